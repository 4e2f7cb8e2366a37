import { spawn } from "node:child_process";
import { MysqlEndpoint } from "../config/shared";
import { MysqlTools, toolConnection } from "../lib/mysql-tools";
import { redact } from "../lib/secrets";
import { RewriteStats, SqlRewriter } from "./sql-rewrite";

/** What to replay into the target. */
export interface ReplayPlan {
  /** Filtered binlog files (see binlog-filter.ts): only transactions of the backed-up databases. */
  files: string[];
  /** Seconds since the epoch; passed as --stop-datetime (UTC). */
  stopAt?: number;
  /**
   * Original database name -> staging database to replay into: `--rewrite-db` for the default
   * database and the row events' table maps, the SQL rewrite for names in statements.
   */
  renames?: ReadonlyMap<string, string>;
}

/** Formats seconds since the epoch as the `YYYY-MM-DD HH:MM:SS` --stop-datetime expects (in UTC, see TZ below). */
export function stopDatetime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
}

/**
 * Pipes `mysqlbinlog`/`mariadb-binlog` over the filtered files into the `mysql` client, in one
 * session, through the rewrite for a restore user without SUPER (definers, GTID_NEXT,
 * sql_log_bin: see sql-rewrite.ts), into the staging databases of `renames`. Returns what the rewrite changed.
 */
export async function replayBinlogs(plan: ReplayPlan, target: MysqlEndpoint, tools: MysqlTools): Promise<RewriteStats> {
  {
    const args = [
      "--no-defaults",
      ...(plan.stopAt !== undefined ? [`--stop-datetime=${stopDatetime(plan.stopAt)}`] : []),
      ...tools.replayOptions,
      ...[...(plan.renames ?? [])].map(([from, to]) => `--rewrite-db=${from}->${to}`),
      ...plan.files,
    ];
    // The tools read --stop-datetime in the local time zone; pin it to UTC to match.
    const reader = spawn(tools.binlog, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
    const connection = toolConnection(target, tools);
    const client = spawn(tools.client, [...connection.args, "--binary-mode", "--max-allowed-packet=1G"], { stdio: ["pipe", "ignore", "pipe"] });
    const rewriter = new SqlRewriter(undefined, plan.renames);
    // A client that dies mid-replay closes its stdin; its exit code reports the failure, the EPIPE must not crash the process.
    client.stdin.on("error", () => undefined);
    reader.stdout.pipe(rewriter).pipe(client.stdin);
    let readerErr = "";
    let clientErr = "";
    reader.stderr.on("data", (chunk: Buffer) => (readerErr = (readerErr + chunk.toString("utf8")).slice(-2_000)));
    client.stderr.on("data", (chunk: Buffer) => (clientErr = (clientErr + chunk.toString("utf8")).slice(-2_000)));
    const [readerCode, clientCode] = await Promise.all([exitCode(reader), exitCode(client)]);
    connection.dispose();
    if (readerCode !== 0) throw new Error(`${tools.binlog} exited with code ${readerCode} replaying: ${redact(readerErr.trim())}`);
    if (clientCode !== 0) throw new Error(`${tools.client} exited with code ${clientCode} replaying: ${redact(clientErr.trim())}`);
    return rewriter.stats;
  }
}

function exitCode(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("error", () => resolve(-1));
    child.on("close", (code) => resolve(code));
  });
}
