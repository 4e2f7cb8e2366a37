import { join } from "node:path";
import { AzuriteInstance } from "../harness/azurite-instance";
import { AgentProcess, agentEnvironment, readAgentStatus, restoreEnvironment, runRestoreCli, waitFor } from "../harness/cli-process";
import { MariaDbInstance } from "../harness/mariadb-instance";
import { compareCoordinates } from "../lib/binlog-names";
import { BlobLayout } from "../lib/blob-layout";
import { BENCH_DATABASE, DayOfChanges, dropBench, quiesce } from "./database";
import { Phase } from "./figures";

/** The container the agent writes to; each run uses its own prefix (its own chain and lease). */
export const AGENT_CONTAINER = "mysql-backups";

/** Settings the bench gives the agent and the restore tool, so their sessions match mydumper's threads. */
export interface AgentBenchSettings {
  threads: number;
  chunkRows: number;
  /** DR_FULL_BACKUP_BINLOG_SHARE; 0 keeps the day's binlogs on the first full backup (the case measured). */
  binlogShare: number;
}

/** A full backup as its manifest describes it, whatever the format. */
export interface AgentBackup {
  backupId: string;
  backupSeconds: number;
  format: number;
  sessions: number;
  codec: string;
  compressedBytes: number;
  uncompressedBytes: number;
}

/** One restore tool run. */
export interface AgentRestore {
  seconds: number;
  phases: Phase[];
}

interface ManifestFile {
  compressedBytes: number;
  uncompressedBytes: number;
}

/** Sizes from a format-1 (one dump blob) or format-2 (schema, chunks, post) manifest. */
function manifestSizes(manifest: Record<string, unknown>): { format: number; sessions: number; codec: string; compressedBytes: number; uncompressedBytes: number } {
  if (manifest.formatVersion === 2) {
    const files = [manifest.schema, manifest.post, ...(manifest.chunks as ManifestFile[])] as ManifestFile[];
    return {
      format: 2,
      sessions: Number(manifest.sessions),
      codec: String(manifest.codec),
      compressedBytes: files.reduce((sum, file) => sum + file.compressedBytes, 0),
      uncompressedBytes: files.reduce((sum, file) => sum + file.uncompressedBytes, 0),
    };
  }
  const dump = manifest.dump as ManifestFile & { compression: string };
  return { format: 1, sessions: 1, codec: dump.compression, compressedBytes: dump.compressedBytes, uncompressedBytes: dump.uncompressedBytes };
}

/** The agent of one bench run: started on its own prefix and state directory, stopped at the end. */
export class BenchAgent {
  private readonly process: AgentProcess;
  private readonly stateDir: string;
  private readonly layout: BlobLayout;
  private restores = 0;

  constructor(private readonly work: string, private readonly azurite: AzuriteInstance, source: MariaDbInstance, private readonly prefix: string, private readonly settings: AgentBenchSettings) {
    this.stateDir = join(work, `agent-${prefix.replace(/\W/g, "")}`);
    this.layout = new BlobLayout(prefix);
    this.process = AgentProcess.start(
      agentEnvironment(source.agentEndpoint, azurite.sasFor(AGENT_CONTAINER, "caw", prefix), [BENCH_DATABASE], this.stateDir, {
        DR_DUMP_SESSIONS: String(settings.threads),
        DR_DUMP_CHUNK_ROWS: String(settings.chunkRows),
        DR_FULL_BACKUP_BINLOG_SHARE: String(settings.binlogShare),
      }),
    );
  }

  /** Waits for the first full backup and reads its manifest: the time is the manifest's startedAt to finishedAt. */
  async firstBackup(): Promise<AgentBackup> {
    const last = await this.until("the agent's full backup", 1_800_000, () => readAgentStatus(this.stateDir)?.fullBackup.last);
    const text = await this.azurite.adminClient().getContainerClient(AGENT_CONTAINER).getBlobClient(this.layout.fullManifest(last.backupId)).downloadToBuffer();
    const manifest = JSON.parse(text.toString("utf8")) as Record<string, unknown>;
    return { backupId: last.backupId, backupSeconds: (Date.parse(String(manifest.finishedAt)) - Date.parse(String(manifest.startedAt))) / 1000, ...manifestSizes(manifest) };
  }

  /** Waits until the agent has shipped the binlog up to `end` (the last change of the day). */
  async shippedTo(end: DayOfChanges["end"]): Promise<void> {
    await this.until(`the agent to ship the binlog up to ${end.file}:${end.position}`, 1_800_000, () => {
      const shipping = readAgentStatus(this.stateDir)?.shipping;
      return shipping !== undefined && compareCoordinates({ file: shipping.file, position: shipping.shippedBytes }, end) >= 0;
    });
  }

  /** Waits for a full backup newer than `backupId` to complete (the early one DR_FULL_BACKUP_BINLOG_SHARE asks for). */
  async newerBackupThan(backupId: string): Promise<void> {
    await this.until(`a full backup newer than ${backupId}`, 1_800_000, () => {
      const last = readAgentStatus(this.stateDir)?.fullBackup.last;
      return last !== undefined && last.backupId !== backupId;
    });
  }

  /** Drops the bench database on the target, lets it flush, then runs the restore tool (newest backup + every shipped binlog) and times it. */
  async restore(target: MariaDbInstance): Promise<AgentRestore> {
    await dropBench(target);
    await quiesce(target);
    this.restores += 1;
    const env = {
      ...restoreEnvironment(target.rootEndpoint, this.azurite.sasFor(AGENT_CONTAINER, "rl", this.prefix), join(this.work, `restore-${this.prefix.replace(/\W/g, "")}-${this.restores}`)),
      DR_RESTORE_SESSIONS: String(this.settings.threads),
    };
    const run = await runRestoreCli(env);
    if (run.code !== 0) throw new Error(`restore failed: ${run.result?.error ?? run.stderr.slice(-2_000)}`);
    return { seconds: run.wallSeconds, phases: run.result?.phases ?? [] };
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }

  private async until<T>(what: string, timeoutMs: number, condition: () => T | undefined | false): Promise<T> {
    try {
      return await waitFor(what, timeoutMs, () => {
        if (!this.process.running) throw new Error(`the agent exited: ${this.process.output().slice(-2_000)}`);
        return condition();
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\nagent log (tail):\n${this.process.output().slice(-2_000)}`);
    }
  }
}
