import { ConfigError } from "./config-error";
import { ConfigReader } from "./reader";
import { BlobSettings, MysqlEndpoint, ToolSettings, readBlobSettings, readMysqlEndpoint, readToolSettings } from "./shared";
import { LogFormat } from "../lib/log";

/** SAS permissions the restore tool needs: read and list. */
export const RESTORE_SAS_REQUIRED = "rl";
/** SAS permissions the restore tool must not hold: it never changes the backups it reads. */
export const RESTORE_SAS_FORBIDDEN = "cawdxyt";

/** Sessions loading a chunked (format 2) backup's data at once when DR_RESTORE_SESSIONS is not set. */
export const DEFAULT_RESTORE_SESSIONS = 4;

/** Everything the restore tool needs, typed and validated. */
export interface RestoreConfig {
  blob: BlobSettings;
  target: MysqlEndpoint;
  tools: ToolSettings;
  /** Scratch space for downloaded binlogs (the dump itself is streamed, never stored). */
  workDir: string;
  logFormat: LogFormat;
  /** DR_RESTORE_SESSIONS: data chunks of a format-2 backup downloaded, verified and loaded at once (1-64, default 4). */
  restoreSessions: number;
}

/** Builds the restore configuration from environment-style values; throws ConfigError listing every problem. */
export function loadRestoreConfig(values: Record<string, string | undefined>, defaultWorkDir: string): RestoreConfig {
  const reader = new ConfigReader(values);
  const config: RestoreConfig = {
    blob: readBlobSettings(reader, RESTORE_SAS_REQUIRED, RESTORE_SAS_FORBIDDEN),
    target: readMysqlEndpoint(reader, "DR_TARGET"),
    tools: readToolSettings(reader),
    workDir: reader.string("DR_WORK_DIR", defaultWorkDir),
    logFormat: reader.choice<LogFormat>("DR_LOG_FORMAT", ["text", "json"], "text"),
    restoreSessions: reader.integer("DR_RESTORE_SESSIONS", DEFAULT_RESTORE_SESSIONS, 1, 64),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}
