import { spawn } from "node:child_process";
import { MysqlEndpoint } from "../config/shared";
import { ChunkFile } from "../lib/chunked-manifest";
import { MysqlTools, toolConnection } from "../lib/mysql-tools";
import { redact } from "../lib/secrets";
import { ChunkTarget, uploadStreamAsChunk } from "./chunk-writer";

/** Which part of the schema a mysqldump run writes. */
export type SchemaPart = "schema" | "post";

/**
 * mysqldump options for each part: `schema` = databases, tables, stored routines and views, in
 * mysqldump's order (routines before the views, which may call them); `post` = triggers and
 * events, loaded after the data so no trigger fires on restored rows and no event runs while they
 * load. Neither has rows or binlog coordinates; the chunks carry the data. With --no-create-info
 * mysqldump still writes triggers (checked with mariadb-dump 10.11 by
 * tests/backup/chunked-dump.test.ts), which is what the post part relies on.
 */
export function schemaDumpArgs(part: SchemaPart, tools: Pick<MysqlTools, "dumpOptions">, databases: string[]): string[] {
  const common = ["--single-transaction", "--no-data", "--no-tablespaces", "--default-character-set=utf8mb4", ...tools.dumpOptions];
  const parts = part === "schema" ? ["--skip-triggers", "--routines", "--skip-events"] : ["--no-create-info", "--no-create-db", "--triggers", "--skip-routines", "--events"];
  return [...common, ...parts, "--databases", ...databases];
}

/** Runs mysqldump for one part and uploads its output as a chunk blob. */
export async function dumpSchemaPart(
  part: SchemaPart,
  source: MysqlEndpoint,
  tools: MysqlTools,
  databases: string[],
  target: ChunkTarget,
  blob: string,
): Promise<ChunkFile> {
  const connection = toolConnection(source, tools);
  const child = spawn(tools.dump, [...connection.args, ...schemaDumpArgs(part, tools, databases)], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4_000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const kill = () => child.kill("SIGKILL");
  target.signal.addEventListener("abort", kill, { once: true });
  try {
    const [file, code] = await Promise.all([uploadStreamAsChunk(target, blob, child.stdout).catch((error) => {
      kill();
      throw error;
    }), exited]);
    if (code !== 0) {
      const unknown = /Unknown database '([^']+)'/.exec(stderr)?.[1];
      if (unknown) {
        // Checked at start-up too; here the database was dropped (or renamed) while the agent ran.
        throw new Error(
          `DR_DATABASES names ${unknown}, which the source ${source.host}:${source.port} does not have (any more): correct DR_DATABASES and restart the agent (${tools.dump}: ${redact(stderr.trim().split("\n").at(-1) ?? "")})`,
        );
      }
      throw new Error(`${tools.dump} (${part} of ${databases.join(",")}) exited with code ${code}: ${redact(stderr.trim().split("\n").slice(-3).join(" | "))}`);
    }
    return file;
  } finally {
    target.signal.removeEventListener("abort", kill);
    connection.dispose();
  }
}
