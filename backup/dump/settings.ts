import { ConfigReader } from "../config/reader";
import { DEFAULT_CHUNK_ROWS, DEFAULT_DUMP_SESSIONS } from "./chunked-backup";
import { SnapshotSetting } from "./snapshot";

/** `chunked` = format 2 (parallel sessions, chunk blobs); `single-stream` = format 1 (one mysqldump blob). */
export type DumpFormat = "chunked" | "single-stream";
export const DUMP_FORMATS: readonly DumpFormat[] = ["chunked", "single-stream"];
export const SNAPSHOT_SETTINGS: readonly SnapshotSetting[] = ["auto", "binlog-snapshot", "lock-tables"];
/** Most sessions a dump may open: each is a connection (and a server thread) on the source. */
export const MAX_DUMP_SESSIONS = 32;

/** How the agent takes full backups (DR_DUMP_FORMAT, DR_DUMP_SESSIONS, DR_DUMP_CHUNK_ROWS, DR_SNAPSHOT_METHOD). */
export interface DumpSettings {
  /** Default `chunked`. */
  format: DumpFormat;
  /** Sessions reading rows at once, 1..32. Default 4. */
  sessions: number;
  /** Rows per primary-key chunk. Default 100,000. */
  chunkRows: number;
  /** Default `auto`: binlog-snapshot on MariaDB, lock-tables on MySQL (RDS). */
  snapshotMethod: SnapshotSetting;
}

/** Reads the dump settings; a chunked-only setting given with the single-stream format is a problem, not silently ignored. */
export function readDumpSettings(reader: ConfigReader): DumpSettings {
  const format = reader.choice("DR_DUMP_FORMAT", DUMP_FORMATS, "chunked");
  const settings: DumpSettings = {
    format,
    sessions: reader.integer("DR_DUMP_SESSIONS", DEFAULT_DUMP_SESSIONS, 1, MAX_DUMP_SESSIONS),
    chunkRows: reader.integer("DR_DUMP_CHUNK_ROWS", DEFAULT_CHUNK_ROWS, 1, 100_000_000),
    snapshotMethod: reader.choice("DR_SNAPSHOT_METHOD", SNAPSHOT_SETTINGS, "auto"),
  };
  if (format === "single-stream") {
    for (const key of ["DR_DUMP_SESSIONS", "DR_DUMP_CHUNK_ROWS", "DR_SNAPSHOT_METHOD"]) {
      if (reader.optional(key) !== undefined) {
        reader.problems.push(`${key} has no effect with DR_DUMP_FORMAT=single-stream (one mysqldump session): unset ${key} or set DR_DUMP_FORMAT=chunked`);
      }
    }
  }
  return settings;
}
