import { join } from "node:path";
import { CorruptJsonError, readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file";
import { explainWriteError } from "../lib/fs-errors";

/** An append that was sent but not yet confirmed; resent byte-for-byte after a crash or outage. */
export interface PendingAppend {
  segment: number;
  /** Where in the segment blob the bytes start (the append-position condition). */
  segmentOffset: number;
  length: number;
}

/** Where shipping of the current (first unsealed) binlog file stands. */
export interface ShippingCursor {
  file: string;
  /** Bytes of the file durably appended to Azure; always an event boundary. */
  shippedBytes: number;
  segment: number;
  /** File offset where the current segment blob starts. */
  segmentStart: number;
  segmentBlocks: number;
  segmentCreated: boolean;
  pending?: PendingAppend;
}

/** The last full backup this agent completed. */
export interface FullBackupRecord {
  backupId: string;
  epoch: string;
  snapshotAt: string;
  finishedAt: string;
  coordinates: { file: string; position: number };
  /**
   * Uncompressed bytes of the backup (format 1: the dump; format 2: schema, post and every chunk):
   * what DR_FULL_BACKUP_BINLOG_SHARE measures the binlog against. Absent in state written before it was recorded.
   */
  uncompressedBytes?: number;
}

/** Everything the agent must remember across restarts to resume without gaps or duplicates. */
export interface AgentState {
  formatVersion: 1;
  epoch: string;
  epochStartFile: string;
  epochCreatedAt: string;
  epochInfoWritten: boolean;
  cursor: ShippingCursor;
  nextRun: number;
  sealedFiles: number;
  lastSealed?: { file: string; size: number; sha256: string };
  lastFullBackup?: FullBackupRecord;
}

/** A cursor at the start of a binlog file. */
export function cursorAt(file: string): ShippingCursor {
  return { file, shippedBytes: 0, segment: 1, segmentStart: 0, segmentBlocks: 0, segmentCreated: false };
}

/** Loads and saves the agent state file; saves are serialised so they never interleave. */
export class StateStore {
  readonly path: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly stateDir: string) {
    this.path = join(stateDir, "state.json");
  }

  async load(): Promise<AgentState | undefined> {
    let state: AgentState | undefined;
    try {
      state = await readJsonIfExists<AgentState>(this.path);
    } catch (error) {
      if (!(error instanceof CorruptJsonError)) throw error;
      throw new Error(`${error.message}: the agent cannot resume its binlog chain from it; move it aside (the agent then starts a new chain with a full backup)`);
    }
    if (state && state.formatVersion !== 1) throw new Error(`${this.path}: unsupported formatVersion ${String(state.formatVersion)}`);
    return state;
  }

  /** Durably saves a snapshot of the state (fsync + rename); a failure names the file and the cause (a full disk: the free bytes). */
  save(state: AgentState): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(state)) as AgentState;
    const next = this.chain.then(() =>
      writeJsonAtomic(this.path, snapshot).catch(async (error) => {
        throw await explainWriteError(error, this.path, { setting: "DR_STATE_DIR", dir: this.stateDir });
      }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }
}
