import { spawn } from "node:child_process";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { ContainerClient } from "@azure/storage-blob";
import { MysqlEndpoint } from "../config/shared";
import { HashingStream } from "../lib/hash-stream";
import { FullBackupManifest } from "../lib/manifest";
import { MysqlTools, toolConnection } from "../lib/mysql-tools";
import { redact } from "../lib/secrets";
import { RewriteStats, SqlRewriter } from "./sql-rewrite";

/** Raised when a dump cannot be trusted or loaded; the caller cleans up and falls back. */
export class DumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DumpError";
  }
}

/** Where the dump's bytes go: into the target through the client, or nowhere (verify only). */
export type DumpSink =
  | { kind: "load"; target: MysqlEndpoint; tools: MysqlTools; /** Original database -> staging database to load into. */ renames?: ReadonlyMap<string, string> }
  | { kind: "verify" };

/**
 * Streams the dump from Azure through sha256, gunzip and sha256 again into the `mysql` client,
 * so download, verification and decompression overlap with loading and no copy touches disk.
 * On its way to the client the SQL is rewritten for a restore user without SUPER (see
 * sql-rewrite.ts); the digests are of the dump as shipped. Checks both digests and sizes against
 * the manifest at the end; any mismatch is a DumpError. Returns what the rewrite changed (none
 * when only verifying).
 */
export async function streamDump(
  container: ContainerClient,
  manifest: FullBackupManifest,
  sink: DumpSink,
  onBytes?: (bytes: number) => void,
): Promise<RewriteStats | undefined> {
  const response = await container.getBlobClient(manifest.dump.blob).download(0, undefined, { maxRetryRequests: 5 });
  const compressed = new HashingStream();
  const raw = new HashingStream();
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes?.(chunk.length);
      callback(null, chunk);
    },
  });
  const body = response.readableStreamBody as NodeJS.ReadableStream;
  let rewrite: RewriteStats | undefined;
  if (sink.kind === "verify") {
    try {
      await pipeline(body, progress, compressed, createGunzip(), raw, new Transform({ transform: (_chunk, _encoding, callback) => callback() }));
    } catch (error) {
      throw new DumpError(streamFailure(manifest, error));
    }
  } else {
    const connection = toolConnection(sink.target, sink.tools);
    const client = spawn(sink.tools.client, [...connection.args, "--max-allowed-packet=1G"], { stdio: ["pipe", "ignore", "pipe"] });
    const rewriter = new SqlRewriter(undefined, sink.renames);
    let stderr = "";
    client.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2_000)));
    const exited = new Promise<number | null>((resolve) => {
      client.on("error", () => resolve(-1));
      client.on("close", (code) => resolve(code));
    });
    try {
      await pipeline(body, progress, compressed, createGunzip(), raw, rewriter, client.stdin);
    } catch (error) {
      client.kill("SIGKILL");
      await exited;
      connection.dispose();
      throw new DumpError(`${streamFailure(manifest, error)}${stderr.trim() ? `; ${sink.tools.client} said: ${redact(stderr.trim())}` : ""}`);
    }
    const code = await exited;
    connection.dispose();
    if (code !== 0) throw new DumpError(`${manifest.backupId}: ${sink.tools.client} exited with code ${code}: ${redact(stderr.trim())}`);
    rewrite = rewriter.stats;
  }
  if (compressed.bytes !== manifest.dump.compressedBytes || compressed.sha256() !== manifest.dump.compressedSha256) {
    throw new DumpError(
      `${manifest.backupId}: dump blob ${manifest.dump.blob} is corrupt: sha256 mismatch (got ${compressed.sha256().slice(0, 12)}…, manifest ${manifest.dump.compressedSha256.slice(0, 12)}…)`,
    );
  }
  if (raw.bytes !== manifest.dump.uncompressedBytes || raw.sha256() !== manifest.dump.uncompressedSha256) {
    throw new DumpError(`${manifest.backupId}: decompressed dump does not match the manifest`);
  }
  return rewrite;
}

/** Names the dump blob and whether its bytes are corrupt (gunzip refused them) or the stream broke. */
function streamFailure(manifest: FullBackupManifest, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") {
    return `${manifest.backupId}: dump blob ${manifest.dump.blob} is corrupt (gunzip: ${(error as Error).message})`;
  }
  return `${manifest.backupId}: reading dump blob ${manifest.dump.blob} failed (${(error as Error).message})`;
}
