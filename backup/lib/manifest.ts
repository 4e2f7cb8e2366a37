/** Row count of one table at the dump's snapshot, counted from the dump stream itself. */
export interface TableRows {
  database: string;
  table: string;
  rows: number;
}

/** What every full backup's manifest says, whatever its format. */
export interface ManifestCommon {
  backupId: string;
  /** Binlog chain the coordinates belong to. */
  epoch: string;
  databases: string[];
  startedAt: string;
  /** When the consistent snapshot was taken (just after its coordinates were read). */
  snapshotAt: string;
  finishedAt: string;
  /** Binlog position the snapshot corresponds to: replay starts here. */
  coordinates: { file: string; position: number; gtid?: string };
  /** Row counts per table at the snapshot. */
  tables: TableRows[];
  server: { version: string };
  tools: { dump: string; flavor: string };
}

/** The record that makes a full backup complete. Written after the dump blob is committed. */
export interface FullBackupManifest extends ManifestCommon {
  formatVersion: 1;
  dump: {
    blob: string;
    compression: "gzip";
    compressedBytes: number;
    compressedSha256: string;
    uncompressedBytes: number;
    uncompressedSha256: string;
  };
}

/** The record written when the server closed a binlog file and every byte of it was shipped. */
export interface BinlogSeal {
  formatVersion: 1;
  epoch: string;
  file: string;
  size: number;
  sha256: string;
  segments: number;
  firstEventAt?: string;
  lastEventAt?: string;
  sealedAt: string;
}

/** The record that starts a binlog chain. */
export interface EpochInfo {
  formatVersion: 1;
  epoch: string;
  startFile: string;
  createdAt: string;
  serverVersion: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Checks a parsed manifest's shape; returns the problems (empty when valid). */
export function manifestProblems(value: unknown): string[] {
  const m = value as Partial<FullBackupManifest>;
  const problems: string[] = [];
  if (!m || typeof m !== "object") return ["manifest is not a JSON object"];
  if (m.formatVersion !== 1) problems.push(`unsupported formatVersion ${String(m.formatVersion)}`);
  for (const key of ["backupId", "epoch", "startedAt", "snapshotAt", "finishedAt"] as const) {
    if (typeof m[key] !== "string" || m[key] === "") problems.push(`${key} missing`);
  }
  if (!Array.isArray(m.databases) || m.databases.length === 0) problems.push("databases missing");
  if (!m.coordinates || typeof m.coordinates.file !== "string" || !Number.isInteger(m.coordinates.position)) problems.push("coordinates missing");
  if (!m.dump || !SHA256.test(String(m.dump.compressedSha256)) || !Number.isInteger(m.dump.compressedBytes)) problems.push("dump checksum or size missing");
  if (!Array.isArray(m.tables)) problems.push("tables missing");
  return problems;
}

/** Checks a parsed seal's shape; returns the problems (empty when valid). */
export function sealProblems(value: unknown): string[] {
  const s = value as Partial<BinlogSeal>;
  if (!s || typeof s !== "object") return ["seal is not a JSON object"];
  const problems: string[] = [];
  if (s.formatVersion !== 1) problems.push(`unsupported formatVersion ${String(s.formatVersion)}`);
  if (!Number.isInteger(s.size) || (s.size ?? 0) < 4) problems.push("size missing");
  if (!SHA256.test(String(s.sha256))) problems.push("sha256 missing");
  if (!Number.isInteger(s.segments) || (s.segments ?? 0) < 1) problems.push("segments missing");
  return problems;
}
