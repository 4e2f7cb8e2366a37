/** Which server family and version a connection talks to, and so which statements it accepts. */
export interface ServerDialect {
  flavor: "mysql" | "mariadb";
  /** `SELECT VERSION()` as the server reports it, e.g. `8.4.3`, `10.11.6-MariaDB-log`. */
  version: string;
  /** Statement that returns the current binlog file and position (columns `File`, `Position`). */
  binlogStatusStatement: string;
}

/** MySQL release that added SHOW BINARY LOG STATUS; 8.4.0 removed SHOW MASTER STATUS. */
const BINARY_LOG_STATUS_SINCE: readonly [number, number, number] = [8, 2, 0];

/** ER_PARSE_ERROR: what MySQL 8.4 answers to a removed statement such as SHOW MASTER STATUS. */
export const ER_PARSE_ERROR = 1064;

function atLeast(version: readonly number[], floor: readonly number[]): boolean {
  for (let i = 0; i < floor.length; i++) {
    const part = version[i] ?? 0;
    if (part !== floor[i]) return part > floor[i];
  }
  return true;
}

/**
 * Picks the statements for a server from its `SELECT VERSION()` string. Decided by version rather
 * than by trying the new statement and falling back on ER_PARSE_ERROR: one round trip, no failed
 * statements in the server's error counters on every lag poll, and no ambiguity with MariaDB, whose
 * own new name is `SHOW BINLOG STATUS` (10.5.2+) while it keeps `SHOW MASTER STATUS` as an alias.
 * MariaDB reports versions like `10.11.6-MariaDB`; MySQL (RDS, Azure) plain `8.4.3` or `8.0.39`.
 * A version that cannot be parsed is an error: guessing would hide a new server family.
 */
export function dialectFor(version: string): ServerDialect {
  const numbers = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!numbers) throw new Error(`cannot tell the server's SQL dialect from its version ${JSON.stringify(version)}`);
  const parts = numbers.slice(1, 4).map(Number);
  const flavor = /mariadb/i.test(version) ? "mariadb" : "mysql";
  const binaryLogStatus = flavor === "mysql" && atLeast(parts, BINARY_LOG_STATUS_SINCE);
  return {
    flavor,
    version,
    binlogStatusStatement: binaryLogStatus ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS",
  };
}

/** The client tools' family and `--version` text, as `resolveMysqlTools` reports them. */
export interface ToolIdentity {
  flavor: "mysql" | "mariadb";
  dumpVersion: string;
}

/**
 * Why these client tools cannot back up this server, or undefined when they can. MariaDB's
 * mariadb-dump reads the coordinates with SHOW MASTER STATUS (gone in MySQL 8.4) and MySQL's
 * 8.2+ mysqldump with SHOW BINARY LOG STATUS (absent from MariaDB), so the family must match the
 * server's, and a MySQL 8.2+ server needs MySQL tools of 8.2 or later.
 */
export function toolsMismatch(server: ServerDialect, tools: ToolIdentity): string | undefined {
  if (tools.flavor !== server.flavor) {
    const wanted = server.flavor === "mysql" ? "MySQL's mysqlbinlog, mysqldump and mysql (DR_MYSQL_FLAVOR=mysql)" : "MariaDB's mariadb-binlog, mariadb-dump and mariadb (DR_MYSQL_FLAVOR=mariadb)";
    return `the source is ${server.flavor === "mysql" ? "MySQL" : "MariaDB"} ${server.version} but the client tools are ${tools.flavor === "mysql" ? "MySQL's" : "MariaDB's"}; install ${wanted}`;
  }
  if (server.binlogStatusStatement !== "SHOW BINARY LOG STATUS") return undefined;
  const found = /(?:Distrib|Ver) (\d+)\.(\d+)\.(\d+)/.exec(tools.dumpVersion);
  const toolVersion = found ? found.slice(1, 4).map(Number) : undefined;
  if (!toolVersion || !atLeast(toolVersion, BINARY_LOG_STATUS_SINCE)) {
    return `the source is MySQL ${server.version} but the dump tool is ${JSON.stringify(tools.dumpVersion.trim())}; MySQL 8.2 and later need mysqldump/mysqlbinlog 8.2 or later (SHOW MASTER STATUS was removed in 8.4)`;
  }
  return undefined;
}
