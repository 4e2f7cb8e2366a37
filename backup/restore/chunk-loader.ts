import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { Duplex, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { ContainerClient } from "@azure/storage-blob";
import { MysqlEndpoint } from "../config/shared";
import { storageErrorCode } from "../lib/blob-client";
import { ChunkCodec, ChunkedBackupManifest, ChunkFile, DataChunk } from "../lib/chunked-manifest";
import { HashingStream } from "../lib/hash-stream";
import { MysqlTools, toolConnection } from "../lib/mysql-tools";
import { Progress } from "../lib/progress";
import { redact } from "../lib/secrets";
import { DumpError } from "./dump-loader";
import { RewriteStats, SqlRewriter } from "./sql-rewrite";

/**
 * Session settings every data chunk is loaded with: the character set and time zone the chunks'
 * text-protocol values were read in (as mysqldump's header sets them), no auto-increment for an
 * explicit 0, and no foreign-key or unique checks (the source enforced them; chunks of related
 * tables load in any order).
 */
export const CHUNK_SESSION_SQL =
  "SET NAMES utf8mb4; SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0, unique_checks = 0;\n";

/** Where a format-2 backup's bytes go: into the target's staging databases, or nowhere (verify only). */
export type ChunkSink =
  | {
      kind: "load";
      target: MysqlEndpoint;
      tools: MysqlTools;
      /** Original database -> staging database to load into. */
      renames: ReadonlyMap<string, string>;
    }
  | { kind: "verify" };

/** How to run the load. */
export interface ChunkLoadOptions {
  /** Data chunks streamed at once, each with its own download, decompressor and client session (DR_RESTORE_SESSIONS). */
  sessions: number;
  progress?: Progress;
  /** Called as each phase ends (also when it failed), with its duration. */
  onPhase?: (name: string, seconds: number) => void;
  /** The zstd binary (default `zstd` on PATH). */
  zstd?: string;
}

/** What the load did, for the restore report. */
export interface ChunkLoadReport {
  /** `load-schema`, `load-data`, `load-post` (or `verify-dump` when only verifying), in order. */
  phases: Array<{ name: string; seconds: number }>;
  /** What the rewrite of schema and post changed (none when only verifying). */
  rewrite?: RewriteStats;
  chunks: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

/**
 * Restores a format-2 (chunked) backup: the schema first (rewritten for a restore user without
 * SUPER and renamed to the staging databases, as the single-stream dump is), then every data
 * chunk, `sessions` at a time, then triggers, routines and events. Each blob streams from Azure
 * through sha256 and its decompressor (`zstd -d` or gunzip) into its own `mysql` client, so
 * nothing touches disk. A blob that is missing, whose size or sha256 differs from the manifest,
 * that does not decompress, or that the server refuses is a DumpError, and the first one stops
 * the others: the caller drops the staging databases and falls back to the previous backup.
 * With a `verify` sink every blob is downloaded, checked and decompressed, and nothing is loaded.
 */
export async function loadChunkedBackup(container: ContainerClient, manifest: ChunkedBackupManifest, sink: ChunkSink, options: ChunkLoadOptions): Promise<ChunkLoadReport> {
  const files = [manifest.schema, ...manifest.chunks, manifest.post];
  const report: ChunkLoadReport = {
    phases: [],
    chunks: manifest.chunks.length,
    compressedBytes: files.reduce((sum, file) => sum + file.compressedBytes, 0),
    uncompressedBytes: files.reduce((sum, file) => sum + file.uncompressedBytes, 0),
  };
  let streamed = 0;
  let finished = 0;
  const stream = (file: ChunkFile, destination: Destination | undefined, signal: AbortSignal, label: string) =>
    streamBlob(container, manifest, file, destination, signal, options.zstd ?? "zstd", (bytes) => {
      streamed += bytes;
      options.progress?.update(`${label} (${finished}/${files.length} blobs)`, streamed, report.compressedBytes);
    }).then(() => void (finished += 1));
  const phase = async (name: string, work: () => Promise<void>) => {
    const started = Date.now();
    try {
      await work();
    } finally {
      const seconds = Math.round(Date.now() - started) / 1000;
      report.phases.push({ name, seconds });
      options.onPhase?.(name, seconds);
    }
  };
  if (manifest.codec === "zstd") requireZstd(options.zstd ?? "zstd");
  try {
    if (sink.kind === "verify") {
      await phase("verify-dump", () => runPool(bySizeDescending(files), options.sessions, (file, signal) => stream(file, undefined, signal, "verify backup")));
      return report;
    }
    const connection = toolConnection(sink.target, sink.tools);
    const base = [...connection.args, "--max-allowed-packet=1G"];
    const rewrite: RewriteStats = { definers: 0, droppedStatements: 0 };
    const rewritten = async (file: ChunkFile, label: string) => {
      const rewriter = new SqlRewriter(undefined, sink.renames);
      await stream(file, { client: sink.tools.client, args: base, rewriter }, new AbortController().signal, label);
      rewrite.definers += rewriter.stats.definers;
      rewrite.droppedStatements += rewriter.stats.droppedStatements;
    };
    try {
      await phase("load-schema", () => rewritten(manifest.schema, "load schema"));
      await phase("load-data", () =>
        runPool(bySizeDescending(manifest.chunks), options.sessions, (chunk, signal) => {
          const database = sink.renames.get(chunk.database) ?? chunk.database;
          return stream(chunk, { client: sink.tools.client, args: [...base, "--default-character-set=utf8mb4", `--database=${database}`], preamble: CHUNK_SESSION_SQL }, signal, "load data");
        }),
      );
      await phase("load-post", () => rewritten(manifest.post, "load triggers and routines"));
    } finally {
      connection.dispose();
    }
    report.rewrite = rewrite;
    return report;
  } finally {
    options.progress?.done();
  }
}

/**
 * Fails before anything is loaded when the zstd tool is missing: every backup written with it would
 * otherwise be refused one after the other, as if corrupt.
 */
function requireZstd(zstd: string): void {
  const probe = spawnSync(zstd, ["--version"], { stdio: "ignore", timeout: 10_000 });
  if (probe.status !== 0) {
    throw new Error(`cannot run ${zstd} (${probe.error?.message ?? `exit code ${probe.status}`}), which this backup's chunks need: install zstd on the restore host (apt-get install zstd, dnf install zstd)`);
  }
}

/** A `mysql` client to pipe a blob's SQL into. */
interface Destination {
  client: string;
  args: string[];
  /** SQL sent before the blob's. */
  preamble?: string;
  rewriter?: SqlRewriter;
}

/** Raised in a chunk's stream when another chunk failed first: not a finding of its own. */
class Cancelled extends Error {}

/** Runs `work` on every item, at most `sessions` at once; the first failure cancels the rest and is rethrown. */
async function runPool<T>(items: T[], sessions: number, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await work(item, abort.signal);
      } catch (error) {
        if (!failure && !(error instanceof Cancelled)) {
          failure = { error };
          abort.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(sessions, items.length)) }, worker));
  if (failure) throw failure.error;
}

/** Largest first, so the longest chunks do not start last and leave the other sessions idle. */
function bySizeDescending<T extends ChunkFile>(files: T[]): T[] {
  return [...files].sort((a, b) => b.compressedBytes - a.compressedBytes);
}

/** "chunk 000003.sql.zst (shop.items #2, id >= 1 AND id < 50001)" or "schema blob". */
function describe(manifest: ChunkedBackupManifest, file: ChunkFile): string {
  if (file === manifest.schema) return `schema blob ${file.blob}`;
  if (file === manifest.post) return `post-data blob ${file.blob}`;
  const chunk = file as DataChunk;
  return `data chunk ${file.blob} (${chunk.database}.${chunk.table} #${chunk.index}, ${chunk.range})`;
}

/** A child process's exit code (-1 when it could not start) and the end of what it printed on stderr. */
function watch(child: ChildProcess): { exited: Promise<number | null>; stderr: () => string } {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2_000)));
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (error) => {
      stderr += `${error.message}`;
      resolve(-1);
    });
    child.once("close", (code) => resolve(code));
  });
  return { exited, stderr: () => redact(stderr.trim()) };
}

/**
 * Streams one blob through sha256 and its decompressor into `destination` (or nowhere), then
 * checks size and digest against the manifest. Names the blob and the cause in every DumpError.
 */
async function streamBlob(
  container: ContainerClient,
  manifest: ChunkedBackupManifest,
  file: ChunkFile,
  destination: Destination | undefined,
  signal: AbortSignal,
  zstd: string,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const what = describe(manifest, file);
  const fail = (cause: string) => new DumpError(`${manifest.backupId}: ${what} ${cause}`);
  if (signal.aborted) throw new Cancelled();
  let body: NodeJS.ReadableStream;
  try {
    const response = await container.getBlobClient(file.blob).download(0, undefined, { maxRetryRequests: 5, abortSignal: signal });
    body = response.readableStreamBody as NodeJS.ReadableStream;
  } catch (error) {
    if (signal.aborted) throw new Cancelled();
    if (storageErrorCode(error).status === 404) throw fail("is missing from the container: the backup is incomplete");
    throw error;
  }
  const compressed = new HashingStream();
  const raw = new HashingStream();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  const decompressor = startDecompressor(manifest.codec, zstd);
  const client = destination ? spawn(destination.client, destination.args, { stdio: ["pipe", "ignore", "pipe"] }) : undefined;
  const clientState = client ? watch(client) : undefined;
  const preamble = destination?.preamble;
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream | ((source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>)> = [
    body,
    counter,
    compressed,
    decompressor.stream,
    raw,
  ];
  if (destination?.rewriter) stages.push(destination.rewriter);
  if (preamble) {
    stages.push(async function* (source: AsyncIterable<Buffer>) {
      yield Buffer.from(preamble, "utf8");
      for await (const chunk of source) yield chunk;
    });
  }
  stages.push(client ? (client.stdin as Writable) : discard());
  let streamError: unknown;
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages, { signal });
  } catch (error) {
    streamError = error;
    client?.kill("SIGKILL");
    decompressor.kill();
  }
  const [decompressorFailure, clientCode] = await Promise.all([decompressor.failure(), clientState?.exited]);
  if (signal.aborted) throw new Cancelled();
  const readAll = !streamError || compressed.bytes === file.compressedBytes;
  if (readAll && (compressed.bytes !== file.compressedBytes || compressed.sha256() !== file.compressedSha256)) {
    throw fail(
      `is corrupt: ${compressed.bytes} bytes with sha256 ${compressed.sha256().slice(0, 12)}…, the manifest lists ${file.compressedBytes} bytes with sha256 ${file.compressedSha256.slice(0, 12)}…`,
    );
  }
  if (decompressorFailure) throw fail(`is corrupt (${decompressorFailure})`);
  if (clientState && clientCode !== 0) {
    throw fail(`could not be loaded: ${destination?.client} exited with code ${clientCode}: ${clientState.stderr() || "no message"}`);
  }
  if (streamError) {
    const code = storageErrorCode(streamError);
    throw fail(`could not be read (${(streamError as Error).message}${code.code ? `, ${code.code}` : ""})`);
  }
  if (raw.bytes !== file.uncompressedBytes) throw fail(`decompresses to ${raw.bytes} bytes, the manifest lists ${file.uncompressedBytes}`);
}

/** A decompressor stage plus what it reported when it failed. */
interface Decompressor {
  stream: NodeJS.ReadWriteStream;
  kill(): void;
  /** Resolves once it has finished: undefined when it succeeded, else why it failed. */
  failure(): Promise<string | undefined>;
}

/** `zstd -d` as a child process (its frames carry a checksum it verifies), or Node's gunzip. */
function startDecompressor(codec: ChunkCodec, zstd: string): Decompressor {
  if (codec === "gzip") {
    const gunzip = createGunzip();
    let failure: string | undefined;
    gunzip.once("error", (error) => (failure = `gunzip: ${error.message}`));
    const done = new Promise<void>((resolve) => {
      gunzip.once("close", resolve);
      gunzip.once("end", resolve);
      gunzip.once("error", () => resolve());
    });
    return { stream: gunzip, kill: () => gunzip.destroy(), failure: () => done.then(() => failure) };
  }
  const child = spawn(zstd, ["-d", "-q", "-c"], { stdio: ["pipe", "pipe", "pipe"] });
  const state = watch(child);
  // Killed because another stage failed: its exit then says nothing about the blob.
  let killed = false;
  // A zstd that stopped early closes its stdin; the resulting EPIPE is reported through the pipeline.
  child.stdin?.on("error", () => undefined);
  return {
    stream: Duplex.from({ writable: child.stdin as Writable, readable: child.stdout as NodeJS.ReadableStream }) as unknown as NodeJS.ReadWriteStream,
    kill: () => {
      // Output nobody reads any more would keep the process from closing.
      child.stdout?.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      child.kill("SIGKILL");
    },
    failure: async () => {
      const code = await state.exited;
      if (code === 0 || killed) return undefined;
      if (code === -1) return `${zstd} could not be started: ${state.stderr()}; install zstd (apt-get install zstd) on the restore host`;
      return `${zstd} -d exited with code ${code ?? "signal"}: ${state.stderr() || "no message"}`;
    },
  };
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
