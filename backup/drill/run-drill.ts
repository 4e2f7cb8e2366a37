import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzuriteInstance } from "../harness/azurite-instance";
import { AgentProcess, agentEnvironment, readAgentStatus, restoreEnvironment, runRestoreCli, waitFor } from "../harness/cli-process";
import { databaseDigest } from "../harness/digest";
import { MariaDbInstance } from "../harness/mariadb-instance";
import { startDrStack } from "../harness/stack";
import { PhaseTiming } from "../restore/restore";
import { checkIntegrity } from "./integrity";
import { DRILL_DATABASE, WriteRecord, Workload, createDrillSchema } from "./workload";

/** How to run one drill. */
export interface DrillOptions {
  /** Seconds the workload runs at most; the primary dies at a random moment in the second half. */
  seconds: number;
  /** Writes per second. */
  rate: number;
  /** Rows preloaded before the first full backup, so the restore has a real dump to load. */
  seedRows: number;
  /** The agent's DR_FULL_BACKUP_INTERVAL, short so the restore starts from a mid-run backup. */
  fullBackupInterval: string;
  /** Kill the agent together with the primary (a whole-region loss) instead of letting it drain. */
  killAgent: boolean;
  progress: (message: string) => void;
}

/** The measured outcome of one drill. */
export interface DrillResult {
  mode: "primary-killed" | "primary-and-agent-killed";
  rate: number;
  seedRows: number;
  acknowledgedWrites: number;
  lostWrites: number;
  /** Seconds between the last acknowledged write and the recovery point (the newest recovered write). */
  rpoSeconds: number;
  /** Wall time of the restore command, start to exit. */
  restoreSeconds: number;
  integrityOk: boolean;
  problems: string[];
  killAfterSeconds: number;
  lastAcknowledgedSeq: number;
  recoveredSeq: number;
  lastAcknowledgedAt?: string;
  recoveryPointAt?: string;
  restoredBackupId?: string;
  fullBackupsTaken: number;
  binlogFiles: number;
  restorePhases: PhaseTiming[];
  phases: PhaseTiming[];
  /** Per write: seconds after the workload started that it was acknowledged, and whether it was recovered. */
  timeline: Array<{ seq: number; ackSeconds?: number; recovered: boolean }>;
}

/**
 * One hermetic drill on loopback: Azurite, a MariaDB primary with ROW binlogs, a separate MariaDB
 * restore target, the agent, a steady workload, SIGKILL of the primary at a random moment, a
 * restore from Azurite alone, and an integrity check against every acknowledged write.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const phases: PhaseTiming[] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      phases.push({ name, seconds: Math.round(Date.now() - started) / 1000 });
    }
  };
  const work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-drill-"));
  let azurite: AzuriteInstance | undefined;
  let primary: MariaDbInstance | undefined;
  let target: MariaDbInstance | undefined;
  let agent: AgentProcess | undefined;
  try {
    options.progress("starting Azurite, primary and restore target");
    const seedDigest = await timed("setup", async () => {
      ({ azurite, primary, target } = await startDrStack(work));
      await (azurite as AzuriteInstance).adminClient().getContainerClient("mysql-backups").createIfNotExists();
      const connection = await (primary as MariaDbInstance).rootConnection();
      try {
        await createDrillSchema(connection);
        await connection.query(`USE ${DRILL_DATABASE}`);
        if (options.seedRows > 0) {
          await connection.query(`INSERT INTO seed SELECT seq, CONCAT(MD5(seq), ' ', SHA1(seq), ' ', MD5(seq * 7)) FROM seq_1_to_${options.seedRows}`);
        }
        return (await databaseDigest(connection, DRILL_DATABASE)).seed.sha256;
      } finally {
        await connection.end();
      }
    });
    const live = { azurite: azurite as AzuriteInstance, primary: primary as MariaDbInstance, target: target as MariaDbInstance };
    const stateDir = join(work, "agent-state");
    options.progress("starting the agent and waiting for its first full backup");
    agent = AgentProcess.start(
      agentEnvironment(live.primary.agentEndpoint, live.azurite.sasFor("mysql-backups", "caw"), [DRILL_DATABASE], stateDir, {
        DR_FULL_BACKUP_INTERVAL: options.fullBackupInterval,
      }),
    );
    const running = agent;
    await timed("first-full-backup", () => waitFor("the first full backup", 120_000, () => readAgentStatus(stateDir)?.fullBackup.last));
    const workload = new Workload(live.primary.rootEndpoint, options.rate);
    const killAfterSeconds = options.seconds * (0.5 + Math.random() * 0.5);
    options.progress(`writing ${options.rate}/s; the primary dies after ${killAfterSeconds.toFixed(1)} s`);
    await timed("workload", async () => {
      await workload.start();
      await new Promise((resolve) => setTimeout(resolve, killAfterSeconds * 1000));
      await live.primary.kill();
      if (options.killAgent) await running.kill();
      await workload.stop();
    });
    const killedAt = Date.now();
    if (!options.killAgent) {
      await timed("agent-drain", async () => {
        await waitFor("the agent to ship what it received", 30_000, () => {
          const status = readAgentStatus(stateDir);
          return status && Date.parse(status.updatedAt) > killedAt + 500 && status.shipping.localUnshippedBytes === 0;
        });
        await running.stop();
      });
    }
    const fullBackupsTaken = (running.output().match(/full backup finished/g) ?? []).length;
    options.progress("restoring into the target from Azurite alone");
    const restore = await timed("restore", () =>
      runRestoreCli(restoreEnvironment(live.target.rootEndpoint, live.azurite.sasFor("mysql-backups", "rl"), join(work, "restore-work"))),
    );
    if (restore.code !== 0 || !restore.result?.ok) throw new Error(`restore failed (exit ${restore.code}): ${restore.result?.error ?? restore.stderr.slice(-2_000)}`);
    const integrity = await timed("verify", async () => {
      const connection = await live.target.rootConnection();
      try {
        const restoredSeed = (await databaseDigest(connection, DRILL_DATABASE)).seed?.sha256 ?? "";
        return await checkIntegrity(connection, workload.writes, seedDigest, restoredSeed);
      } finally {
        await connection.end();
      }
    });
    const lastAcked = workload.lastAcknowledged;
    const ackTime = (seq: number): number | undefined => workload.writes[seq - 1]?.ackAt;
    const recoveryPoint = integrity.recoveredSeq > 0 ? ackTime(Math.min(integrity.recoveredSeq, lastAcked)) : workload.startedAt;
    const lastAckAt = ackTime(lastAcked);
    const rpoSeconds = integrity.recoveredSeq >= lastAcked || !lastAckAt ? 0 : (lastAckAt - (recoveryPoint ?? workload.startedAt)) / 1000;
    return {
      mode: options.killAgent ? "primary-and-agent-killed" : "primary-killed",
      rate: options.rate,
      seedRows: options.seedRows,
      acknowledgedWrites: integrity.acknowledgedWrites,
      lostWrites: integrity.lostWrites,
      rpoSeconds: Math.round(rpoSeconds * 1000) / 1000,
      restoreSeconds: Math.round(restore.wallSeconds * 1000) / 1000,
      integrityOk: integrity.integrityOk,
      problems: integrity.problems,
      killAfterSeconds: Math.round(killAfterSeconds * 1000) / 1000,
      lastAcknowledgedSeq: lastAcked,
      recoveredSeq: integrity.recoveredSeq,
      lastAcknowledgedAt: lastAckAt ? new Date(lastAckAt).toISOString() : undefined,
      recoveryPointAt: recoveryPoint ? new Date(recoveryPoint).toISOString() : undefined,
      restoredBackupId: restore.result.backupId,
      fullBackupsTaken,
      binlogFiles: restore.result.binlogFiles,
      restorePhases: restore.result.phases,
      phases,
      timeline: timeline(workload.writes, workload.startedAt, integrity.recoveredSeq),
    };
  } finally {
    await agent?.kill().catch(() => undefined);
    await Promise.all([azurite?.destroy(), primary?.destroy(), target?.destroy()]);
    await fs.rm(work, { recursive: true, force: true });
  }
}

function timeline(writes: WriteRecord[], startedAt: number, recoveredSeq: number): DrillResult["timeline"] {
  return writes.map((write) => ({
    seq: write.seq,
    ackSeconds: write.ackAt === undefined ? undefined : (write.ackAt - startedAt) / 1000,
    recovered: write.seq <= recoveredSeq,
  }));
}
