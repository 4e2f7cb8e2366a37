import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MysqlEndpoint, ToolSettings, isLoopbackHost } from "../config/shared";

/** The resolved client tools and what their flavor and options are. */
export interface MysqlTools {
  flavor: "mysql" | "mariadb";
  binlog: string;
  dump: string;
  client: string;
  /** `--version` of the dump tool, recorded in manifests. */
  dumpVersion: string;
  binlogVersion: string;
  /** Option that makes the dump record its binlog coordinates as a comment. */
  sourceDataOption: string;
  /** Option naming the server id the binlog reader presents. */
  serverIdOption: string;
  /** Extra options for a replay (`--skip-gtids` with MySQL so the target assigns its own). */
  replayOptions: string[];
  /** Extra dump options for this flavor. */
  dumpOptions: string[];
}

const CANDIDATES = {
  mariadb: { binlog: "mariadb-binlog", dump: "mariadb-dump", client: "mariadb" },
  mysql: { binlog: "mysqlbinlog", dump: "mysqldump", client: "mysql" },
} as const;

function run(tool: string, args: string[]): string | undefined {
  try {
    return execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 15_000 });
  } catch {
    return undefined;
  }
}

/**
 * Finds the client tools: explicit paths win, then the configured flavor, then whichever family is
 * on PATH (MariaDB's first, since Debian's mysql* names point at MariaDB's tools anyway).
 * The flavor is read from `--version`, because names alone lie on Debian.
 */
export function resolveMysqlTools(settings: ToolSettings): MysqlTools {
  const families = settings.flavor === "auto" ? (["mariadb", "mysql"] as const) : ([settings.flavor] as const);
  const problems: string[] = [];
  for (const family of families) {
    const binlog = settings.binlogTool ?? CANDIDATES[family].binlog;
    const dump = settings.dumpTool ?? CANDIDATES[family].dump;
    const client = settings.clientTool ?? CANDIDATES[family].client;
    const binlogVersion = run(binlog, ["--version"]);
    const dumpVersion = run(dump, ["--version"]);
    const clientVersion = run(client, ["--version"]);
    if (!binlogVersion || !dumpVersion || !clientVersion) {
      problems.push(`${family}: ${[!binlogVersion && binlog, !dumpVersion && dump, !clientVersion && client].filter(Boolean).join(", ")} not runnable`);
      continue;
    }
    const flavor = /mariadb/i.test(binlogVersion) ? "mariadb" : "mysql";
    const dumpHelp = run(dump, ["--help"]) ?? "";
    const binlogHelp = run(binlog, ["--help"]) ?? "";
    return {
      flavor,
      binlog,
      dump,
      client,
      dumpVersion: dumpVersion.trim(),
      binlogVersion: binlogVersion.trim(),
      sourceDataOption: dumpHelp.includes("--source-data") ? "--source-data=2" : "--master-data=2",
      serverIdOption: binlogHelp.includes("--connection-server-id") ? "--connection-server-id" : "--stop-never-slave-server-id",
      replayOptions: binlogHelp.includes("--skip-gtids") ? ["--skip-gtids"] : [],
      dumpOptions: dumpHelp.includes("--set-gtid-purged") ? ["--set-gtid-purged=OFF"] : [],
    };
  }
  throw new Error(`no usable MySQL/MariaDB client tools found (${problems.join("; ")}); install them or set DR_BINLOG_TOOL, DR_DUMP_TOOL, DR_CLIENT_TOOL`);
}

let credentialRoot = tmpdir();

/**
 * Puts password files under `dir` (created 0700, emptied first) instead of the OS temp dir, so a
 * process killed before its cleanup leaves nothing behind that the next start does not remove.
 */
export function useCredentialDirectory(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  credentialRoot = dir;
}

/** Connection options for a client tool plus a cleanup for the private password file. */
export interface ToolConnection {
  /** Must come first on the command line (the tools require `--defaults-extra-file` first). */
  args: string[];
  dispose(): void;
}

/**
 * TLS options for the client tools: MySQL's `--ssl-mode=VERIFY_IDENTITY --ssl-ca`, MariaDB's
 * `--ssl --ssl-verify-server-cert --ssl-ca` (its 10.11 tools leave verification off by default).
 * The plaintext mode is refused for a non-loopback host here too.
 */
export function toolTlsArgs(endpoint: MysqlEndpoint, flavor: MysqlTools["flavor"]): string[] {
  const { tls } = endpoint;
  if (tls.mode === "INSECURE_PLAINTEXT_LOOPBACK_ONLY") {
    if (!isLoopbackHost(endpoint.host)) throw new Error(`refusing a plaintext connection to ${endpoint.host}: INSECURE_PLAINTEXT_LOOPBACK_ONLY is for loopback hosts only`);
    return flavor === "mysql" ? ["--ssl-mode=DISABLED"] : ["--skip-ssl"];
  }
  if (flavor === "mysql") return ["--ssl-mode=VERIFY_IDENTITY", `--ssl-ca=${tls.caFile}`];
  if (flavor === "mariadb") return ["--ssl", "--ssl-verify-server-cert", `--ssl-ca=${tls.caFile}`];
  throw new Error(`unknown client tool flavor ${JSON.stringify(flavor)}: cannot choose its TLS options`);
}

/**
 * Builds connection arguments, TLS options included; a password goes into a mode-0600 options file
 * in a private directory so it never appears in `ps` output or the environment of child processes.
 */
export function toolConnection(endpoint: MysqlEndpoint, tools: Pick<MysqlTools, "flavor">): ToolConnection {
  const network = [`--host=${endpoint.host}`, `--port=${endpoint.port}`, `--user=${endpoint.user}`, "--protocol=TCP", ...toolTlsArgs(endpoint, tools.flavor)];
  if (!endpoint.password) return { args: ["--no-defaults", ...network], dispose: () => undefined };
  const dir = mkdtempSync(join(credentialRoot, "mysql-dr-cred-"));
  const file = join(dir, "client.cnf");
  const escaped = endpoint.password.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  writeFileSync(file, `[client]\npassword="${escaped}"\n`, { mode: 0o600 });
  return {
    args: [`--defaults-extra-file=${file}`, ...network],
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
