import { ManifestCommon } from "./manifest";

/**
 * Format 2 of a full backup: a chunked, parallel dump (issue 13). Every blob is written once
 * (`ifNoneMatch: "*"`), each with its own sha256 in the manifest; the manifest is written last,
 * so a backup without it is incomplete. Blob names, relative to the prefix:
 *
 *   full/<backupId>/schema.sql.<ext>            CREATE DATABASE / TABLE / VIEW, no triggers (before data)
 *   full/<backupId>/data/<n>.sql.<ext>          one chunk of one table: INSERT statements (see below)
 *   full/<backupId>/post.sql.<ext>              triggers, routines, events (after data)
 *   full/<backupId>/manifest.json               this record
 *
 * A data chunk holds only `INSERT INTO \`<table>\` (\`col\`, ...) VALUES (...),(...);` statements
 * separated by newlines, each at most `maxStatementBytes`, with no database name: the loader
 * selects the (staging) database itself, so chunks load into any database unchanged. Values are
 * the server's text-protocol bytes: binary columns as X'..' hex literals, NULL as NULL, everything
 * else quoted and escaped as mysqldump does.
 */
export interface ChunkedBackupManifest extends ManifestCommon {
  formatVersion: 2;
  /** How the sessions got one snapshot: MariaDB's per-session binlog_snapshot position, or LOCK TABLES (RDS MySQL). */
  snapshotMethod: "binlog-snapshot" | "lock-tables" | "flush-tables-with-read-lock";
  /** Sessions that dumped data in parallel. */
  sessions: number;
  codec: ChunkCodec;
  schema: ChunkFile;
  post: ChunkFile;
  /** Their rows add up to `tables`, per table. */
  chunks: DataChunk[];
}

/** How each blob is compressed; `zstd` is the system tool's frame format, `gzip` the fallback. */
export type ChunkCodec = "zstd" | "gzip";

/** One blob of the backup with what proves it whole. */
export interface ChunkFile {
  blob: string;
  compressedBytes: number;
  compressedSha256: string;
  uncompressedBytes: number;
}

/** One chunk of one table's rows. */
export interface DataChunk extends ChunkFile {
  database: string;
  table: string;
  /** Position of the chunk within its table (0-based), in primary-key order. */
  index: number;
  rows: number;
  /** The primary-key range it covers, for the report: e.g. "id >= 1 AND id < 50001", or "whole table". */
  range: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

function fileProblems(what: string, file: Partial<ChunkFile> | undefined): string[] {
  if (!file || typeof file !== "object") return [`${what} missing`];
  const problems: string[] = [];
  if (typeof file.blob !== "string" || file.blob === "") problems.push(`${what}.blob missing`);
  if (!Number.isInteger(file.compressedBytes) || (file.compressedBytes ?? -1) < 0) problems.push(`${what}.compressedBytes missing`);
  if (!SHA256.test(String(file.compressedSha256))) problems.push(`${what}.compressedSha256 missing`);
  if (!Number.isInteger(file.uncompressedBytes) || (file.uncompressedBytes ?? -1) < 0) problems.push(`${what}.uncompressedBytes missing`);
  return problems;
}

/** Checks a parsed format-2 manifest's shape; returns the problems (empty when valid). */
export function chunkedManifestProblems(value: unknown): string[] {
  const m = value as Partial<ChunkedBackupManifest>;
  if (!m || typeof m !== "object") return ["manifest is not a JSON object"];
  const problems: string[] = [];
  if (m.formatVersion !== 2) problems.push(`unsupported formatVersion ${String(m.formatVersion)}`);
  for (const key of ["backupId", "epoch", "startedAt", "snapshotAt", "finishedAt"] as const) {
    if (typeof m[key] !== "string" || m[key] === "") problems.push(`${key} missing`);
  }
  if (!Array.isArray(m.databases) || m.databases.length === 0) problems.push("databases missing");
  if (!m.coordinates || typeof m.coordinates.file !== "string" || !Number.isInteger(m.coordinates.position)) problems.push("coordinates missing");
  if (m.codec !== "zstd" && m.codec !== "gzip") problems.push(`unknown codec ${String(m.codec)}`);
  problems.push(...fileProblems("schema", m.schema), ...fileProblems("post", m.post));
  if (!Array.isArray(m.chunks)) {
    problems.push("chunks missing");
  } else {
    m.chunks.forEach((chunk, i) => {
      problems.push(...fileProblems(`chunks[${i}]`, chunk));
      if (typeof chunk?.database !== "string" || typeof chunk?.table !== "string") problems.push(`chunks[${i}] names no table`);
      if (!Number.isInteger(chunk?.rows)) problems.push(`chunks[${i}].rows missing`);
    });
  }
  if (!Array.isArray(m.tables)) problems.push("tables missing");
  return problems;
}

/** File extension of a codec's blobs. */
export function codecExtension(codec: ChunkCodec): string {
  return codec === "zstd" ? "zst" : "gz";
}
