import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { ContainerClient } from "@azure/storage-blob";
import { ChunkCodec, ChunkFile } from "../lib/chunked-manifest";
import { HashingStream } from "../lib/hash-stream";

/** zstd level: 1 is the fastest and already smaller than gzip -6 on SQL (issue13-research.md §4). */
const ZSTD_LEVEL = 1;
const GZIP_LEVEL = 1;
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;

/**
 * The codec this machine can write: `zstd` when the system `zstd` tool runs, else `gzip` (Node's
 * zlib). `preferred` forces one (tests, and DR_DUMP_CODEC-style overrides).
 */
export function detectCodec(preferred?: ChunkCodec, zstdTool = "zstd"): { codec: ChunkCodec; zstdTool: string } {
  if (preferred === "gzip") return { codec: "gzip", zstdTool };
  try {
    execFileSync(zstdTool, ["--version"], { stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
    return { codec: "zstd", zstdTool };
  } catch (error) {
    if (preferred === "zstd") throw new Error(`the zstd tool ${zstdTool} does not run (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): install the zstd package`);
    return { codec: "gzip", zstdTool };
  }
}

/** Where chunks go and how they are compressed. */
export interface ChunkTarget {
  container: ContainerClient;
  codec: ChunkCodec;
  zstdTool: string;
  signal: AbortSignal;
}

/**
 * One blob being written: SQL goes in through `write` (respect its backpressure: `false` means
 * wait for `drained()`), is counted, compressed (a `zstd -1` child or Node gzip), hashed and
 * streamed into a block blob created with `ifNoneMatch: "*"` (never overwriting). `finish`
 * resolves with what the manifest records once the blob is committed.
 */
export class ChunkUpload {
  // Room for a few 1 MiB statements, so the reader is not paused after every one.
  private readonly raw = new HashingStream({ highWaterMark: 4 * 1024 * 1024 });
  private readonly compressed = new HashingStream();
  private readonly done: Promise<void>;
  private compressor?: ChildProcess;
  private stderr = "";

  constructor(target: ChunkTarget, readonly blob: string) {
    let compress: Transform | { writable: Writable; readable: Readable };
    if (target.codec === "zstd") {
      const child = spawn(target.zstdTool, [`-${ZSTD_LEVEL}`, "-q", "-c"], { stdio: ["pipe", "pipe", "pipe"] });
      this.compressor = child;
      child.stderr!.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString("utf8")).slice(-1_000)));
      compress = { writable: child.stdin!, readable: child.stdout! };
    } else {
      compress = createGzip({ level: GZIP_LEVEL });
    }
    const upload = target.container.getBlockBlobClient(blob).uploadStream(this.compressed, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      abortSignal: target.signal,
      blobHTTPHeaders: { blobContentType: target.codec === "zstd" ? "application/zstd" : "application/gzip" },
      conditions: { ifNoneMatch: "*" },
    });
    let parts: Array<Promise<unknown>>;
    if (compress instanceof Transform) {
      parts = [pipeline(this.raw, compress, this.compressed), upload];
    } else {
      const child = this.compressor!;
      const exited = new Promise<void>((resolve, reject) => {
        child.on("error", (error) => reject(new Error(`cannot run ${target.zstdTool}: ${error.message}`)));
        child.on("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${target.zstdTool} exited with ${code ?? signal} compressing ${blob}: ${this.stderr.trim()}`))));
      });
      parts = [pipeline(this.raw, compress.writable), pipeline(compress.readable, this.compressed), exited, upload];
    }
    const all = Promise.all(parts).then(() => undefined);
    this.done = all.catch(async (error) => {
      this.destroy(error as Error);
      await Promise.allSettled(parts);
      throw error;
    });
    // Errors surface through finish(); this keeps an early failure from being an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Writes SQL; false when the compressor's buffer is full. */
  write(bytes: Buffer): boolean {
    return this.raw.write(bytes);
  }

  /** Resolves when the writer can take more (or the upload failed: finish() then throws). */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const settle = () => {
        this.raw.off("drain", settle);
        resolve();
      };
      this.raw.on("drain", settle);
      this.done.then(settle, settle);
    });
  }

  /** Ends the input and waits for the blob to be committed. */
  async finish(): Promise<ChunkFile> {
    this.raw.end();
    await this.done;
    return { blob: this.blob, compressedBytes: this.compressed.bytes, compressedSha256: this.compressed.sha256(), uncompressedBytes: this.raw.bytes };
  }

  /** Stops everything (abort, failure elsewhere); the blob is never committed. */
  destroy(error?: Error): void {
    this.compressor?.kill("SIGKILL");
    this.raw.destroy(error);
    this.compressed.destroy(error);
  }
}

/** Uploads a finished stream (e.g. mysqldump's output) as one chunk blob. */
export async function uploadStreamAsChunk(target: ChunkTarget, blob: string, source: Readable): Promise<ChunkFile> {
  const chunk = new ChunkUpload(target, blob);
  try {
    for await (const piece of source) {
      if (!chunk.write(piece as Buffer)) await chunk.drained();
    }
  } catch (error) {
    chunk.destroy(error as Error);
    throw error;
  }
  return chunk.finish();
}
