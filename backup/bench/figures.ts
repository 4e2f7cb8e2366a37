import { egressPerDay } from "./egress-model";

/** One restore phase as the restore tool reports it. */
export interface Phase {
  name: string;
  seconds: number;
}

/** The seed's pipeline: mysqldump | gzip > file, then the az CLI; gunzip | mysql to restore. */
export interface SeedFigures {
  dumpSeconds: number;
  uploadSeconds: number;
  backupSeconds: number;
  downloadSeconds: number;
  loadSeconds: number;
  restoreSeconds: number;
  compressedBytes: number;
}

/** mydumper to a local directory, then uploaded with the Azure SDK (parallel). */
export interface MydumperFigures {
  threads: number;
  chunkRows: number;
  dumpSeconds: number;
  uploadSeconds: number;
  backupSeconds: number;
  compressedBytes: number;
  files: number;
}

/** The directory downloaded with the Azure SDK (parallel), then myloader. */
export interface MyloaderFigures {
  threads: number;
  downloadSeconds: number;
  loadSeconds: number;
  restoreSeconds: number;
}

/** The restore tool after a day of changes: 24 hourly batches each updating 1% of the rows, shipped as binlogs. */
export interface DayOfBinlogsFigures {
  /** Batches applied (one per simulated hour). */
  batches: number;
  /** Rows updated in total. */
  changedRows: number;
  /** Binlog bytes the source wrote for the batches (what the agent shipped and the restore replays). */
  binlogBytes: number;
  restoreSeconds: number;
  /** The restore tool's replay-binlogs phase. */
  replaySeconds: number;
  /** fetch-binlogs + filter-binlogs + replay-binlogs: everything the binlogs add to the restore. */
  binlogPhasesSeconds: number;
  restorePhases: Phase[];
  /** The agent's full-backup uncompressed size, the denominator of DR_FULL_BACKUP_BINLOG_SHARE. */
  dumpUncompressedBytes: number;
  /** True when DR_FULL_BACKUP_BINLOG_SHARE (--binlog-share) made the agent take a full backup during the day: the restore started from it. */
  earlyFullBackup: boolean;
}

/** The agent and restore tool. */
export interface AgentFigures {
  backupSeconds: number;
  restoreSeconds: number;
  restorePhases: Phase[];
  compressedBytes: number;
  /** Manifest format the agent wrote (1: one mysqldump blob; 2: chunked). */
  format: number;
  /** Dump sessions and codec from a format-2 manifest ("1" and gzip for format 1). */
  sessions: number;
  codec: string;
  dayOfBinlogs: DayOfBinlogsFigures;
}

/** Everything one run measures. The keys before `mydumper` are those of the single-contender bench (kept for --json readers). */
export interface RunFigures {
  /** Every MySQL connection's transport during the run. */
  transport: "verified TLS" | "plaintext";
  rows: number;
  sqlBytes: number;
  seed: SeedFigures;
  agent: AgentFigures;
  ingestSeconds: number;
  binlogBytesPerChangedByte: number;
  egress: ReturnType<typeof egressPerDay> & { databaseBytes: number; changePerHour: number; seedCostPerMonthUsd: number; agentCostPerMonthUsd: number };
  mydumper: MydumperFigures;
  myloader: MyloaderFigures;
  /** CHECKSUM TABLE of every restored copy against the source, per contender. */
  identical: Record<string, boolean>;
}

/** What --json writes: the first run's figures at the top (today's keys), every run under `runs`, and min/max of each headline number. */
export type BenchJson = RunFigures & { runs: RunFigures[]; spread: Record<string, { min: number; max: number }> };
