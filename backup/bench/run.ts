import { DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES } from "../config/agent-config";
import { DrStack } from "../harness/stack";
import { AGENT_CONTAINER, AgentBenchSettings, BenchAgent } from "./agent-run";
import { applyDayOfChanges, benchChecksum, dropBench, quiesce, withRoot } from "./database";
import { egressPerDay } from "./egress-model";
import { RunFigures } from "./figures";
import { runMydumper, runMyloader } from "./mydumper";
import { runIngest, runSeed } from "./seed";

const EGRESS_USD_PER_GB = 0.126; // AWS Seoul internet egress, list price (BRIEF.md)
/** The container mydumper's directory is uploaded to. */
export const MYDUMPER_CONTAINER = "mydumper";
export const SEED_CONTAINER = "seed";

/** Options every run shares. */
export interface RunOptions extends AgentBenchSettings {
  rows: number;
  plaintext: boolean;
  modelDbGb: number;
  changePerHour: number;
  log: (message: string) => void;
}

/**
 * One run of every contender on the same database, in an order where none disturbs another:
 * seed pipeline, single-stream ingest, mydumper/myloader, the agent (full backup, restore right
 * after it), then a day of changes shipped by the agent and a restore that replays it. Before
 * each timed step the server it reads or loads has written its dirty pages, and every load goes
 * into an empty target. Every restored copy is compared with the source by CHECKSUM TABLE (not timed).
 */
export async function benchRun(work: string, stack: DrStack, run: number, options: RunOptions): Promise<RunFigures> {
  const { azurite, primary: source, target } = stack;
  const { log, rows, threads } = options;
  const admin = azurite.adminClient();
  const identical: Record<string, boolean> = {};
  // Every run's chain starts in a fresh binlog file, so no run fetches an earlier run's (or the generation's) binlog.
  await withRoot(source, (c) => c.query("FLUSH BINARY LOGS"));
  const expected = await benchChecksum(source);
  const check = async (who: string, want = expected) => {
    identical[who] = (await benchChecksum(target)) === want;
    if (!identical[who]) log(`WARNING: ${who}: the restored bench.orders differs from the source (CHECKSUM TABLE)`);
  };

  log(`run ${run}: seed pipeline: mysqldump | gzip > file; az storage blob upload; az storage blob download; gunzip | mysql`);
  const seed = await runSeed(work, azurite, source, target, SEED_CONTAINER, `run${run}/backup_seed.sql.gz`);
  await check("seed");
  log(`run ${run}: single-stream ingest: mysql < uncompressed dump from local disk`);
  const { ingestSeconds, sqlBytes } = await runIngest(work, target, seed.dumpFile);

  log(`run ${run}: mydumper -t ${threads} -r ${options.chunkRows} -c, upload with the Azure SDK; download, myloader -t ${threads} -o`);
  const mydumperContainer = admin.getContainerClient(MYDUMPER_CONTAINER);
  await quiesce(source);
  const mydumper = await runMydumper(work, source, mydumperContainer, `run${run}/`, threads, options.chunkRows);
  await dropBench(target);
  await quiesce(target);
  const myloader = await runMyloader(work, target, mydumperContainer, `run${run}/`, threads);
  await check("mydumper/myloader");

  log(`run ${run}: agent: full backup (DR_DUMP_SESSIONS=${threads}), then the restore tool (DR_RESTORE_SESSIONS=${threads})`);
  await quiesce(source);
  const agent = new BenchAgent(work, azurite, source, `run${run}/`, options);
  try {
    const backup = await agent.firstBackup();
    const rightAfter = await agent.restore(target);
    await check("agent");
    log(`run ${run}: a day of changes: 24 hourly batches of 1% of the rows, shipped by the agent`);
    const day = await applyDayOfChanges(source, rows, sqlBytes);
    await agent.shippedTo(day.end);
    // The agent counts from the backup's coordinates, at or before the day's start: it passes the bound whenever this does.
    const earlyFullBackup =
      options.binlogShare > 0 && day.binlogBytes > options.binlogShare * backup.uncompressedBytes && day.binlogBytes >= DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES;
    if (earlyFullBackup) await agent.newerBackupThan(backup.backupId);
    await agent.stop();
    log(`run ${run}: restore after the day of changes (${day.binlogBytes} binlog bytes to replay)`);
    const afterDay = await agent.restore(target);
    await check("agent after a day of changes", await benchChecksum(source));
    const phase = (...names: string[]) => afterDay.phases.filter((p) => names.includes(p.name)).reduce((sum, p) => sum + p.seconds, 0);

    const databaseBytes = options.modelDbGb * 1024 ** 3;
    const model = egressPerDay({
      databaseBytes,
      compressionRatio: backup.compressedBytes / sqlBytes,
      changePerHour: options.changePerHour,
      binlogBytesPerChangedByte: day.binlogBytesPerChangedByte,
      seedDumpsPerDay: 288,
      agentDumpsPerDay: 1,
    });
    return {
      transport: options.plaintext ? "plaintext" : "verified TLS",
      rows,
      sqlBytes,
      seed: seed.figures,
      agent: {
        backupSeconds: backup.backupSeconds,
        restoreSeconds: rightAfter.seconds,
        restorePhases: rightAfter.phases,
        compressedBytes: backup.compressedBytes,
        format: backup.format,
        sessions: backup.sessions,
        codec: backup.codec,
        dayOfBinlogs: {
          batches: day.batches,
          changedRows: day.changedRows,
          binlogBytes: day.binlogBytes,
          restoreSeconds: afterDay.seconds,
          replaySeconds: phase("replay-binlogs"),
          binlogPhasesSeconds: phase("fetch-binlogs", "filter-binlogs", "replay-binlogs"),
          restorePhases: afterDay.phases,
          dumpUncompressedBytes: backup.uncompressedBytes,
          earlyFullBackup,
        },
      },
      ingestSeconds,
      binlogBytesPerChangedByte: day.binlogBytesPerChangedByte,
      egress: {
        ...model,
        databaseBytes,
        changePerHour: options.changePerHour,
        seedCostPerMonthUsd: (model.seedBytesPerDay / 1024 ** 3) * 30 * EGRESS_USD_PER_GB,
        agentCostPerMonthUsd: (model.agentBytesPerDay / 1024 ** 3) * 30 * EGRESS_USD_PER_GB,
      },
      mydumper,
      myloader,
      identical,
    };
  } finally {
    await agent.stop();
  }
}

/** Creates the containers every run writes to. */
export async function createContainers(stack: DrStack): Promise<void> {
  const admin = stack.azurite.adminClient();
  for (const name of [SEED_CONTAINER, MYDUMPER_CONTAINER, AGENT_CONTAINER]) await admin.getContainerClient(name).createIfNotExists();
}
