import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ContainerClient } from "@azure/storage-blob";
import { BlobLayout, timeOrderedId } from "../../backup/lib/blob-layout";
import { ChunkCodec, ChunkedBackupManifest, ChunkFile, DataChunk, codecExtension } from "../../backup/lib/chunked-manifest";
import { BinlogSeal, FullBackupManifest, TableRows } from "../../backup/lib/manifest";

/** One data chunk's SQL: INSERT statements for one table, no database name (see chunked-manifest.ts). */
export interface ChunkSql {
  database: string;
  table: string;
  sql: string | Buffer;
  rows: number;
  range?: string;
}

/** What a format-2 backup is made of, as SQL text. */
export interface ChunkedBackupInput {
  prefix: string;
  epoch: string;
  databases: string[];
  coordinates: { file: string; position: number };
  schema: string | Buffer;
  post: string | Buffer;
  chunks: ChunkSql[];
  /** Tables without any chunk, listed with 0 rows. */
  emptyTables?: Array<{ database: string; table: string }>;
  codec?: ChunkCodec;
  backupId?: string;
}

/** Compresses with the system `zstd -1` (as the agent does) or Node's gzip. */
export function compress(codec: ChunkCodec, data: Buffer): Buffer {
  return codec === "zstd" ? execFileSync("zstd", ["-1", "-q", "-c"], { input: data, maxBuffer: 1 << 30 }) : gzipSync(data, { level: 1 });
}

async function upload(container: ContainerClient, blob: string, codec: ChunkCodec, sql: string | Buffer): Promise<ChunkFile> {
  const raw = Buffer.isBuffer(sql) ? sql : Buffer.from(sql, "utf8");
  const body = compress(codec, raw);
  await container.getBlockBlobClient(blob).uploadData(body, { conditions: { ifNoneMatch: "*" } });
  return { blob, compressedBytes: body.length, compressedSha256: createHash("sha256").update(body).digest("hex"), uncompressedBytes: raw.length };
}

/**
 * Writes a valid format-2 backup under `prefix` with the admin client: schema, every chunk and
 * post compressed and uploaded under their BlobLayout names, then the manifest (last) with sizes,
 * sha256 and row counts computed from what was uploaded.
 */
export async function writeChunkedBackup(container: ContainerClient, input: ChunkedBackupInput): Promise<ChunkedBackupManifest> {
  const layout = new BlobLayout(input.prefix);
  const codec = input.codec ?? "zstd";
  const ext = codecExtension(codec);
  const backupId = input.backupId ?? timeOrderedId();
  const startedAt = new Date().toISOString();
  const schema = await upload(container, layout.chunkedSchema(backupId, ext), codec, input.schema);
  const counters = new Map<string, number>();
  const chunks: DataChunk[] = [];
  for (const [n, chunk] of input.chunks.entries()) {
    const key = `${chunk.database}.${chunk.table}`;
    const index = counters.get(key) ?? 0;
    counters.set(key, index + 1);
    const file = await upload(container, layout.chunkedData(backupId, n + 1, ext), codec, chunk.sql);
    chunks.push({ ...file, database: chunk.database, table: chunk.table, index, rows: chunk.rows, range: chunk.range ?? "whole table" });
  }
  const post = await upload(container, layout.chunkedPost(backupId, ext), codec, input.post);
  const tables = new Map<string, TableRows>();
  for (const { database, table } of input.emptyTables ?? []) tables.set(`${database}.${table}`, { database, table, rows: 0 });
  for (const chunk of chunks) {
    const entry = tables.get(`${chunk.database}.${chunk.table}`) ?? { database: chunk.database, table: chunk.table, rows: 0 };
    entry.rows += chunk.rows;
    tables.set(`${chunk.database}.${chunk.table}`, entry);
  }
  const now = new Date().toISOString();
  const manifest: ChunkedBackupManifest = {
    formatVersion: 2,
    backupId,
    epoch: input.epoch,
    databases: input.databases,
    startedAt,
    snapshotAt: startedAt,
    finishedAt: now,
    coordinates: input.coordinates,
    snapshotMethod: "binlog-snapshot",
    sessions: 2,
    codec,
    schema,
    post,
    chunks,
    tables: [...tables.values()].sort((a, b) => `${a.database}.${a.table}`.localeCompare(`${b.database}.${b.table}`)),
    server: { version: "10.11 (test fixture)" },
    tools: { dump: "chunked-fixture", flavor: "mariadb" },
  };
  await writeManifest(container, layout.fullManifest(backupId), manifest);
  return manifest;
}

/** Writes a format-1 (single-stream) backup: `sql` gzipped into dump.sql.gz, then its manifest. */
export async function writeSingleStreamBackup(
  container: ContainerClient,
  input: { prefix: string; epoch: string; databases: string[]; coordinates: { file: string; position: number }; sql: string | Buffer; tables: TableRows[]; backupId?: string },
): Promise<FullBackupManifest> {
  const layout = new BlobLayout(input.prefix);
  const backupId = input.backupId ?? timeOrderedId();
  const raw = Buffer.isBuffer(input.sql) ? input.sql : Buffer.from(input.sql, "utf8");
  const file = await upload(container, layout.fullDump(backupId), "gzip", raw);
  const now = new Date().toISOString();
  const manifest: FullBackupManifest = {
    formatVersion: 1,
    backupId,
    epoch: input.epoch,
    databases: input.databases,
    startedAt: now,
    snapshotAt: now,
    finishedAt: now,
    coordinates: input.coordinates,
    dump: { ...file, compression: "gzip", uncompressedSha256: createHash("sha256").update(raw).digest("hex") },
    tables: input.tables,
    server: { version: "10.11 (test fixture)" },
    tools: { dump: "chunked-fixture", flavor: "mariadb" },
  };
  await writeManifest(container, layout.fullManifest(backupId), manifest);
  return manifest;
}

async function writeManifest(container: ContainerClient, blob: string, manifest: unknown): Promise<void> {
  const body = JSON.stringify(manifest, null, 2);
  await container.getBlockBlobClient(blob).upload(body, Buffer.byteLength(body), { conditions: { ifNoneMatch: "*" } });
}

/**
 * Ships a server's binlog files from `fromFile` on as the agent's layout under `prefix`: each file
 * one segment; every file but the newest sealed with its size and sha256 (the newest is the one
 * still being written). Call after FLUSH BINARY LOGS to seal the files that hold the changes; calling
 * it again ships the same bytes again.
 */
export async function shipBinlogs(container: ContainerClient, prefix: string, epoch: string, dataDir: string, fromFile: string): Promise<string[]> {
  const layout = new BlobLayout(prefix);
  const index = await fs.readFile(join(dataDir, "mysql-bin.index"), "utf8");
  const files = index
    .split("\n")
    .map((line) => line.trim().split("/").pop() as string)
    .filter((name) => name && name >= fromFile);
  for (const [i, file] of files.entries()) {
    const bytes = await fs.readFile(join(dataDir, file));
    await container.getBlockBlobClient(layout.binlogSegment(epoch, file, 1)).uploadData(bytes);
    if (i === files.length - 1) break;
    const seal: BinlogSeal = {
      formatVersion: 1,
      epoch,
      file,
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      segments: 1,
      sealedAt: new Date().toISOString(),
    };
    const body = JSON.stringify(seal);
    await container.getBlockBlobClient(layout.binlogSeal(epoch, file)).upload(body, Buffer.byteLength(body));
  }
  return files;
}

/** Flips one byte in the middle of a blob, keeping its size: only the sha256 can tell. */
export async function corruptBlob(container: ContainerClient, blob: string): Promise<void> {
  const client = container.getBlockBlobClient(blob);
  const bytes = await client.downloadToBuffer();
  bytes[Math.floor(bytes.length / 2)] ^= 0x40;
  await client.uploadData(bytes);
}
