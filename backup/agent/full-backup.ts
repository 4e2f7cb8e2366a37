import { spawn } from "node:child_process";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { compareBinlogNames } from "../lib/binlog-names";
import { BackupRun } from "../lib/backup-run";
import { writeManifestOnce } from "../lib/manifest-writer";
import { timeOrderedId } from "../lib/blob-layout";
import { DumpInspector } from "../lib/dump-inspector";
import { HashingStream } from "../lib/hash-stream";
import { ChunkedBackupManifest } from "../lib/chunked-manifest";
import { FullBackupManifest } from "../lib/manifest";
import { toolConnection } from "../lib/mysql-tools";
import { redact } from "../lib/secrets";
import { runChunkedBackup } from "../dump/chunked-backup";
import { DumpSettings } from "../dump/settings";

/** Inputs of one full backup. */
export interface FullBackupOptions extends BackupRun {
  serverVersion: string;
  /** gzip level of the single-stream format (format 1). */
  gzipLevel: number;
  /** Format and parallelism (DR_DUMP_*); default: chunked (format 2) with its default sessions and chunk size. */
  dump?: DumpSettings;
}

const UPLOAD_BLOCK_BYTES = 8 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;

/**
 * Takes a full backup in the configured format: chunked (format 2, parallel sessions sharing one
 * snapshot: backup/dump/chunked-backup.ts) unless `dump.format` is `single-stream` (format 1).
 */
export async function runFullBackup(options: FullBackupOptions): Promise<FullBackupManifest | ChunkedBackupManifest> {
  const { dump } = options;
  if (dump?.format === "single-stream") return runSingleStreamBackup(options);
  return runChunkedBackup({
    container: options.container,
    layout: options.layout,
    source: options.source,
    tools: options.tools,
    databases: options.databases,
    epoch: options.epoch,
    epochStartFile: options.epochStartFile,
    log: options.log,
    sessions: dump?.sessions,
    chunkRows: dump?.chunkRows,
    snapshotMethod: dump?.snapshotMethod,
    onProgress: options.onProgress,
    signal: options.signal,
    assertWriter: options.assertWriter,
  });
}

/**
 * Format 1 (DR_DUMP_FORMAT=single-stream): takes a consistent logical dump (single transaction,
 * with the binlog coordinates it starts from), gzips it and streams it into a block blob without
 * a local copy, then writes the manifest. The manifest goes last: a dump blob without one is
 * incomplete and ignored by restore.
 */
export async function runSingleStreamBackup(options: FullBackupOptions): Promise<FullBackupManifest> {
  const { container, layout, tools, log } = options;
  const backupId = timeOrderedId();
  const startedAt = new Date();
  const blobName = layout.fullDump(backupId);
  const connection = toolConnection(options.source, tools);
  const args = [
    ...connection.args,
    "--single-transaction",
    tools.sourceDataOption,
    "--routines",
    "--events",
    "--triggers",
    "--hex-blob",
    "--default-character-set=utf8mb4",
    // MySQL's mysqldump 8.0.21+ needs PROCESS to dump tablespaces; a tablespace is not part of a database restore.
    "--no-tablespaces",
    ...tools.dumpOptions,
    "--databases",
    ...options.databases,
  ];
  log.info("full backup started", { backup: backupId, databases: options.databases.join(",") });
  const dump = spawn(tools.dump, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  dump.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    dump.on("error", reject);
    dump.on("close", (code) => resolve(code));
  });
  const raw = new HashingStream();
  const inspector = new DumpInspector();
  const compressed = new HashingStream();
  const abort = new AbortController();
  const stop = () => {
    abort.abort();
    dump.kill("SIGKILL");
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    const upload = container.getBlockBlobClient(blobName).uploadStream(compressed, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      abortSignal: abort.signal,
      blobHTTPHeaders: { blobContentType: "application/gzip" },
      conditions: { ifNoneMatch: "*" },
      onProgress: (progress) => options.onProgress?.(progress.loadedBytes),
    });
    const flow = pipeline(dump.stdout, raw, inspector, createGzip({ level: options.gzipLevel }), compressed);
    const dumped = exited.then((code) => {
      if (code === 0) return;
      const unknown = /Unknown database '([^']+)'/.exec(stderr)?.[1];
      if (unknown) {
        // Checked at start-up too; here the database was dropped (or renamed) while the agent ran.
        throw new Error(
          `DR_DATABASES names ${unknown}, which the source ${options.source.host}:${options.source.port} does not have (any more): correct DR_DATABASES and restart the agent (${tools.dump}: ${redact(stderr.trim().split("\n").at(-1) ?? "")})`,
        );
      }
      throw new Error(`${tools.dump} exited with code ${code}: ${redact(stderr.trim().split("\n").slice(-3).join(" | "))}`);
    });
    // Any part failing stops the others: an upload stuck on an outage must not leave the dump blocked on a full pipe.
    const parts = [dumped, flow, upload];
    try {
      await Promise.all(parts);
    } catch (error) {
      abort.abort();
      dump.kill("SIGKILL");
      compressed.destroy(error as Error);
      await Promise.allSettled(parts);
      throw error;
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
    connection.dispose();
  }
  const coordinates = inspector.facts.coordinates;
  if (!coordinates || !inspector.facts.coordinatesSeenAt) {
    throw new Error("the dump carried no binlog coordinates; is log_bin on, and does the user have RELOAD and REPLICATION CLIENT?");
  }
  if (compareBinlogNames(coordinates.file, options.epochStartFile) < 0) {
    throw new Error(`dump coordinates ${coordinates.file} precede the binlog chain start ${options.epochStartFile}`);
  }
  const manifest: FullBackupManifest = {
    formatVersion: 1,
    backupId,
    epoch: options.epoch,
    databases: options.databases,
    startedAt: startedAt.toISOString(),
    snapshotAt: inspector.facts.coordinatesSeenAt.toISOString(),
    finishedAt: new Date().toISOString(),
    coordinates,
    dump: {
      blob: blobName,
      compression: "gzip",
      compressedBytes: compressed.bytes,
      compressedSha256: compressed.sha256(),
      uncompressedBytes: raw.bytes,
      uncompressedSha256: raw.sha256(),
    },
    tables: inspector.facts.tables,
    server: { version: options.serverVersion },
    tools: { dump: tools.dumpVersion, flavor: tools.flavor },
  };
  await writeManifestOnce(container, layout, backupId, manifest, options.assertWriter);
  log.info("full backup finished", {
    backup: backupId,
    coordinates: `${coordinates.file}:${coordinates.position}`,
    compressed_bytes: compressed.bytes,
    uncompressed_bytes: raw.bytes,
    seconds: ((Date.now() - startedAt.getTime()) / 1000).toFixed(1),
  });
  return manifest;
}
