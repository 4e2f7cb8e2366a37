import { ConfigError } from "./config-error";
import { ConfigReader } from "./reader";
import { BlobSettings, MysqlEndpoint, ToolSettings, readBlobSettings, readMysqlEndpoint, readToolSettings } from "./shared";
import { LogFormat } from "../lib/log";
import { DumpSettings, readDumpSettings } from "../dump/settings";

/**
 * DR_FULL_BACKUP_BINLOG_SHARE when unset: a restore replays at most a quarter of a full backup's
 * worth of binlog. Replay is slower per byte than the parallel load (bench: about 13 MiB/s against
 * 20), so 0.25 keeps a restore at the end of a day within about 1.5x of one right after the dump.
 */
export const DEFAULT_FULL_BACKUP_BINLOG_SHARE = 0.25;
/** DR_FULL_BACKUP_BINLOG_MIN_BYTES when unset: 64 MiB, a few seconds of replay (bench: about 13 MiB/s), not worth a full backup. */
export const DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES = 64 * 1024 * 1024;

/** SAS permissions the agent needs: create, add (append) and write. */
export const AGENT_SAS_REQUIRED = "caw";
/** SAS permissions the agent must not hold: read, list, delete, ... so a stolen agent SAS cannot exfiltrate or destroy backups. */
export const AGENT_SAS_FORBIDDEN = "rldxyt";

/** Optional CloudWatch publication of the lag metric. */
export interface CloudWatchSettings {
  namespace: string;
  region: string;
  /** Override for tests or VPC endpoints; unset means the regional public endpoint. */
  endpoint?: string;
  /** Value of the `Stream` dimension. */
  stream: string;
  intervalMs: number;
}

/** Everything the backup agent needs, typed and validated. */
export interface AgentConfig {
  source: MysqlEndpoint;
  /** Databases included in full backups and replayed on restore. */
  databases: string[];
  blob: BlobSettings;
  tools: ToolSettings;
  /** Where the agent keeps its state file and the binlog spool. */
  stateDir: string;
  /** Time between full backups (a new binlog chain also starts with one). Default 24h. */
  fullBackupIntervalMs: number;
  /** Take the next full backup early once the binlog shipped since the last one passes this share of its uncompressed size; 0 = off. Default 0.5. */
  fullBackupBinlogShare: number;
  /** ... but not before this many binlog bytes: a small database's replay takes seconds anyway. Default 64 MiB. */
  fullBackupBinlogMinBytes: number;
  /** gzip level for dumps, 1 (fast) to 9 (small). Default 6, as `gzip` uses. */
  gzipLevel: number;
  /** Full backup format and parallelism: DR_DUMP_FORMAT, DR_DUMP_SESSIONS, DR_DUMP_CHUNK_ROWS, DR_SNAPSHOT_METHOD. */
  dump: DumpSettings;
  /** How often the spool is checked for new binlog bytes to ship. Default 200ms, at most 1s. */
  shipIntervalMs: number;
  /** Append blocks per binlog segment blob before starting the next (Azure allows 50,000). */
  segmentMaxBlocks: number;
  /** Server id the binlog reader presents to the source; must be unique among its replicas. */
  binlogServerId: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** How often the source's binlog position is polled to measure lag. */
  lagPollIntervalMs: number;
  /** Restart the binlog reader when the source is ahead and nothing arrived for this long. */
  stallTimeoutMs: number;
  /** Serve GET /status on 127.0.0.1:<port> when set. */
  statusPort?: number;
  cloudWatch?: CloudWatchSettings;
  logFormat: LogFormat;
}

/** Builds the agent configuration from environment-style values; throws ConfigError listing every problem. */
export function loadAgentConfig(values: Record<string, string | undefined>): AgentConfig {
  const reader = new ConfigReader(values);
  const databases = reader.list("DR_DATABASES");
  if (databases.length === 0) reader.problems.push("DR_DATABASES is required (comma-separated database names)");
  for (const name of databases) {
    if (!/^[A-Za-z0-9_$]+$/.test(name)) reader.problems.push(`DR_DATABASES: ${JSON.stringify(name)} is not a plain database name`);
    if (["mysql", "sys", "information_schema", "performance_schema"].includes(name.toLowerCase())) {
      reader.problems.push(`DR_DATABASES: ${name} is a system schema and cannot be restored onto another server`);
    }
  }
  const namespace = reader.optional("DR_CLOUDWATCH_NAMESPACE");
  const config: AgentConfig = {
    source: readMysqlEndpoint(reader, "DR_MYSQL"),
    databases,
    blob: readBlobSettings(reader, AGENT_SAS_REQUIRED, AGENT_SAS_FORBIDDEN),
    tools: readToolSettings(reader),
    stateDir: reader.string("DR_STATE_DIR", "/var/lib/mysql-dr"),
    fullBackupIntervalMs: reader.duration("DR_FULL_BACKUP_INTERVAL", "24h", 5_000),
    fullBackupBinlogShare: readShare(reader, "DR_FULL_BACKUP_BINLOG_SHARE", DEFAULT_FULL_BACKUP_BINLOG_SHARE),
    fullBackupBinlogMinBytes: reader.integer("DR_FULL_BACKUP_BINLOG_MIN_BYTES", DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES, 0, Number.MAX_SAFE_INTEGER),
    gzipLevel: reader.integer("DR_DUMP_GZIP_LEVEL", 6, 1, 9),
    dump: readDumpSettings(reader),
    shipIntervalMs: reader.duration("DR_SHIP_INTERVAL", "200ms", 20),
    segmentMaxBlocks: reader.integer("DR_SEGMENT_MAX_BLOCKS", 40_000, 1, 50_000),
    binlogServerId: reader.integer("DR_BINLOG_SERVER_ID", 4242, 1, 4_294_967_295),
    backoffMinMs: reader.duration("DR_BACKOFF_MIN", "500ms", 10),
    backoffMaxMs: reader.duration("DR_BACKOFF_MAX", "30s", 10),
    lagPollIntervalMs: reader.duration("DR_LAG_POLL_INTERVAL", "1s", 100),
    stallTimeoutMs: reader.duration("DR_STALL_TIMEOUT", "30s", 1_000),
    statusPort: reader.integer("DR_STATUS_PORT", 0, 0, 65535) || undefined,
    cloudWatch: namespace
      ? {
          namespace,
          region: reader.string("DR_CLOUDWATCH_REGION"),
          endpoint: reader.optional("DR_CLOUDWATCH_ENDPOINT"),
          stream: reader.string("DR_CLOUDWATCH_STREAM", "default"),
          intervalMs: reader.duration("DR_CLOUDWATCH_INTERVAL", "60s", 1_000),
        }
      : undefined,
    logFormat: reader.choice<LogFormat>("DR_LOG_FORMAT", ["text", "json"], "text"),
  };
  if (config.shipIntervalMs > 1_000) reader.problems.push("DR_SHIP_INTERVAL must be at most 1s (binlogs are shipped at least every second)");
  if (config.backoffMaxMs < config.backoffMinMs) reader.problems.push("DR_BACKOFF_MAX must not be smaller than DR_BACKOFF_MIN");
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}

/** A share of the last full backup's size: 0 (off) to 100. */
function readShare(reader: ConfigReader, key: string, fallback: number): number {
  const text = reader.optional(key);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    reader.problems.push(`${key} must be a number from 0 (off) to 100 (a share of the last full backup's uncompressed size), got ${JSON.stringify(text)}`);
    return fallback;
  }
  return value;
}
