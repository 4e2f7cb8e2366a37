import type { Connection } from "mysql2/promise";
import { Logger } from "../lib/log";
import { currentBinlogPosition, quoteIdentifier, serverDialect } from "../lib/mysql-connection";

/** How the dump sessions share one snapshot (DR_SNAPSHOT_METHOD); `auto` picks by server family. */
export type SnapshotSetting = "auto" | "binlog-snapshot" | "lock-tables";
export type SnapshotMethod = Exclude<SnapshotSetting, "auto">;

/** The snapshot every worker session is now in, and the binlog position it corresponds to. */
export interface SharedSnapshot {
  method: SnapshotMethod;
  coordinates: { file: string; position: number; gtid?: string };
  takenAt: Date;
}

/** What taking a snapshot needs. */
export interface SnapshotOptions {
  /** The worker sessions; each ends up inside its own `START TRANSACTION WITH CONSISTENT SNAPSHOT`. */
  workers: Connection[];
  /** Opens another session to the source (the LOCK TABLES sessions). */
  open: () => Promise<Connection>;
  /** Every base table the workers will read (locked by the lock-tables method). */
  tables: Array<{ database: string; table: string }>;
  method: SnapshotSetting;
  log: Logger;
  /** Attempts of each method before giving up (binlog-snapshot then falls back to lock-tables). Default 5. */
  attempts?: number;
  /** Seconds a LOCK TABLES waits for writers before it is released and retried. Default 5. */
  lockWaitSeconds?: number;
  /** Bytes per LOCK TABLES statement; more tables go into more sessions. Default 256 KiB. */
  maxLockStatementBytes?: number;
}

const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

async function beginSnapshot(workers: Connection[]): Promise<void> {
  // Concurrently, so the sessions' snapshots are as close together as the server allows.
  await Promise.all(workers.map((worker) => worker.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")));
  await Promise.all(workers.map((worker) => worker.query("START TRANSACTION WITH CONSISTENT SNAPSHOT")));
}

async function rollback(workers: Connection[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.query("ROLLBACK").catch(() => undefined)));
}

/** MariaDB's GTID position for a binlog position; undefined where the function does not exist (MySQL). */
async function mariadbGtid(connection: Connection, file: string, position: number): Promise<string | undefined> {
  try {
    const [rows] = await connection.query("SELECT BINLOG_GTID_POS(?, ?) AS gtid", [file, position]);
    const gtid = (rows as Array<{ gtid: string | null }>)[0]?.gtid;
    return gtid || undefined;
  } catch {
    return undefined;
  }
}

/**
 * MariaDB (and Percona Server): each session started WITH CONSISTENT SNAPSHOT reports the binlog
 * position its snapshot matches in `Binlog_snapshot_file`/`_position`. All workers reporting the
 * same position share one snapshot; no lock and no privilege beyond SELECT.
 * https://mariadb.com/kb/en/1549/
 */
async function binlogSnapshot(options: SnapshotOptions): Promise<SharedSnapshot | undefined> {
  const { workers, log } = options;
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await beginSnapshot(workers);
    const positions = await Promise.all(
      workers.map(async (worker) => {
        const [rows] = await worker.query("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
        const status = new Map((rows as Array<{ Variable_name: string; Value: string }>).map((row) => [row.Variable_name.toLowerCase(), row.Value]));
        return { file: status.get("binlog_snapshot_file") ?? "", position: Number(status.get("binlog_snapshot_position") ?? NaN) };
      }),
    );
    const first = positions[0];
    if (!first.file || !Number.isInteger(first.position)) {
      await rollback(workers);
      throw new Error(
        "the source reports no Binlog_snapshot_file/Binlog_snapshot_position (only MariaDB and Percona Server do, and only with log_bin on): set DR_SNAPSHOT_METHOD=lock-tables or auto",
      );
    }
    if (positions.every((p) => p.file === first.file && p.position === first.position)) {
      return { method: "binlog-snapshot", coordinates: { ...first, gtid: await mariadbGtid(workers[0], first.file, first.position) }, takenAt: new Date() };
    }
    await rollback(workers);
    log.info("dump sessions started at different binlog positions; retrying the shared snapshot", {
      attempt,
      positions: positions.map((p) => `${p.file}:${p.position}`).join(","),
    });
  }
  return undefined;
}

/** Groups `LOCK TABLES` clauses into statements of at most `maxBytes`. */
export function lockStatements(tables: Array<{ database: string; table: string }>, maxBytes: number): string[] {
  const statements: string[] = [];
  let clauses: string[] = [];
  let length = 0;
  for (const { database, table } of tables) {
    const clause = `${quoteIdentifier(database)}.${quoteIdentifier(table)} READ`;
    if (clauses.length > 0 && length + clause.length + 2 > maxBytes) {
      statements.push(`LOCK TABLES ${clauses.join(", ")}`);
      clauses = [];
      length = 0;
    }
    clauses.push(clause);
    length += clause.length + 2;
  }
  if (clauses.length > 0) statements.push(`LOCK TABLES ${clauses.join(", ")}`);
  return statements;
}

/**
 * RDS MySQL's way (no FLUSH TABLES WITH READ LOCK, no BACKUP_ADMIN), as MySQL Shell's dump utility
 * and mydumper --lock-all-tables do: `LOCK TABLES ... READ` on every dumped table, each statement in
 * its own session (a second LOCK TABLES in a session releases the first); with the locks granted no
 * dumped table can change, so the workers' snapshots and the binlog position read now agree. The
 * locks are released at once. A short lock_wait_timeout keeps a long writer from stalling the
 * application behind a queued lock; the attempt is released and retried.
 */
async function lockTablesSnapshot(options: SnapshotOptions): Promise<SharedSnapshot> {
  const { workers, log } = options;
  const attempts = options.attempts ?? 5;
  const statements = lockStatements(options.tables, options.maxLockStatementBytes ?? 256 * 1024);
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const lockers: Connection[] = [];
    try {
      for (const _ of statements) lockers.push(await options.open());
      await Promise.all(lockers.map((locker) => locker.query(`SET SESSION lock_wait_timeout = ${options.lockWaitSeconds ?? 5}`)));
      await Promise.all(lockers.map((locker, i) => locker.query(statements[i])));
      await beginSnapshot(workers);
      const position = await currentBinlogPosition(workers[0]);
      const { flavor } = await serverDialect(workers[0]);
      const [rows] = await workers[0].query(flavor === "mariadb" ? "SELECT @@GLOBAL.gtid_binlog_pos AS gtid" : "SELECT @@GLOBAL.gtid_executed AS gtid");
      const gtid = String((rows as Array<{ gtid: string | null }>)[0]?.gtid ?? "") || undefined;
      return { method: "lock-tables", coordinates: { ...position, gtid }, takenAt: new Date() };
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      await rollback(workers);
      if (errno !== ER_LOCK_WAIT_TIMEOUT && errno !== ER_LOCK_DEADLOCK) throw error;
      lastError = error;
      log.info("LOCK TABLES waited too long for writers; releasing and retrying", { attempt, error: (error as Error).message });
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    } finally {
      await Promise.all(lockers.map((locker) => locker.end().catch(() => locker.destroy())));
    }
  }
  throw new Error(
    `could not lock the ${options.tables.length} dumped table(s) for a consistent snapshot in ${attempts} attempts (${(lastError as Error).message}): long write transactions hold them; retry later or raise the lock wait`,
  );
}

/**
 * Puts every worker session into one consistent snapshot and returns the binlog coordinates it
 * matches. `auto`: binlog-snapshot on MariaDB, lock-tables on MySQL; binlog-snapshot falls back to
 * lock-tables when the sessions keep landing on different positions (a busy server).
 */
export async function takeSharedSnapshot(options: SnapshotOptions): Promise<SharedSnapshot> {
  if (options.workers.length === 0) throw new Error("takeSharedSnapshot needs at least one worker session");
  const { flavor } = await serverDialect(options.workers[0]);
  const method: SnapshotMethod = options.method === "auto" ? (flavor === "mariadb" ? "binlog-snapshot" : "lock-tables") : options.method;
  if (method === "binlog-snapshot") {
    const shared = await binlogSnapshot(options);
    if (shared) return shared;
    options.log.info("falling back to LOCK TABLES for the shared snapshot", { sessions: options.workers.length });
  }
  return lockTablesSnapshot(options);
}
