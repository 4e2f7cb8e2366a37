import { DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES, DEFAULT_FULL_BACKUP_BINLOG_SHARE } from "../config/agent-config";
import { formatBytes } from "../lib/progress";
import { RunFigures } from "./figures";
import { METRICS, formatMetric, spread } from "./metrics";
import { MYDUMPER_TLS_NOTE } from "./mydumper";

const s = (value: number) => `${value.toFixed(2)} s`;
const x = (value: number) => `${value.toFixed(2)}x`;
/** The agent's default DR_FULL_BACKUP_BINLOG_SHARE, for the note on what the bound would have done. */
const DEFAULT_BINLOG_SHARE = DEFAULT_FULL_BACKUP_BINLOG_SHARE;

/** The side-by-side table of one run. */
export function renderRun(f: RunFigures, run: number, binlogShare: number): string {
  const day = f.agent.dayOfBinlogs;
  const agentFormat = f.agent.format === 2 ? `format 2, ${f.agent.sessions} sessions, ${f.agent.codec}` : `format 1, one mysqldump session, ${f.agent.codec}`;
  const share = day.binlogBytes / day.dumpUncompressedBytes;
  const lines = [
    `Run ${run}. Transport: ${f.transport}. Database: ${f.rows} rows, ${formatBytes(f.sqlBytes)} of SQL. Compressed: seed gzip ${formatBytes(f.seed.compressedBytes)}, mydumper gzip ${formatBytes(f.mydumper.compressedBytes)} (${f.mydumper.files} files), agent ${formatBytes(f.agent.compressedBytes)} (${agentFormat})`,
    "",
    `| step | seed pipeline (dump\\|gzip + az CLI) | mydumper/myloader -t ${f.mydumper.threads} + Azure SDK | agent + restore tool | seed / agent | mydumper / agent |`,
    "|---|---:|---:|---:|---:|---:|",
    `| full backup (dump, compress, upload) | ${s(f.seed.backupSeconds)} (dump ${s(f.seed.dumpSeconds)} + upload ${s(f.seed.uploadSeconds)}) | ${s(f.mydumper.backupSeconds)} (dump ${s(f.mydumper.dumpSeconds)} + upload ${s(f.mydumper.uploadSeconds)}) | ${s(f.agent.backupSeconds)} (streamed) | ${x(f.seed.backupSeconds / f.agent.backupSeconds)} | ${x(f.mydumper.backupSeconds / f.agent.backupSeconds)} |`,
    `| restore (download, decompress, load) | ${s(f.seed.restoreSeconds)} (download ${s(f.seed.downloadSeconds)} + load ${s(f.seed.loadSeconds)}) | ${s(f.myloader.restoreSeconds)} (download ${s(f.myloader.downloadSeconds)} + load ${s(f.myloader.loadSeconds)}) | ${s(f.agent.restoreSeconds)} (streamed, sha256-verified) | ${x(f.seed.restoreSeconds / f.agent.restoreSeconds)} | ${x(f.myloader.restoreSeconds / f.agent.restoreSeconds)} |`,
    `| restore after a day of changes (${day.batches} hourly batches, ${day.changedRows} rows, ${formatBytes(day.binlogBytes)} of binlog) | | | ${s(day.restoreSeconds)} (replay ${s(day.replaySeconds)}; binlog phases ${s(day.binlogPhasesSeconds)}) | day / right after the dump: ${x(day.restoreSeconds / f.agent.restoreSeconds)} | |`,
    `| restore / single-stream ingest (mysql < local SQL file: ${s(f.ingestSeconds)}) | ${x(f.seed.restoreSeconds / f.ingestSeconds)} | ${x(f.myloader.restoreSeconds / f.ingestSeconds)} | ${x(f.agent.restoreSeconds / f.ingestSeconds)} | | |`,
    `| recovery point objective | 300 s (5-minute dumps) | one dump's age | seconds (continuous binlog) | | |`,
    "",
    `Agent restore phases right after the dump: ${f.agent.restorePhases.map((p) => `${p.name} ${p.seconds.toFixed(2)} s`).join(", ")}`,
    `Agent restore phases after the day: ${day.restorePhases.map((p) => `${p.name} ${p.seconds.toFixed(2)} s`).join(", ")}`,
    `The day's binlog is ${(share * 100).toFixed(0)}% of the agent's full backup (${formatBytes(day.dumpUncompressedBytes)} uncompressed); the agent ran with DR_FULL_BACKUP_BINLOG_SHARE=${binlogShare}` +
      (binlogShare === 0
        ? `; at the default ${DEFAULT_BINLOG_SHARE} it would ${share > DEFAULT_BINLOG_SHARE && day.binlogBytes >= DEFAULT_FULL_BACKUP_BINLOG_MIN_BYTES ? "have taken a full backup early" : "not have taken a full backup early"}.`
        : day.earlyFullBackup
          ? ": it took a full backup early, and the restore after the day started from that one."
          : ": no early full backup."),
    ...(f.agent.format === 2 && f.agent.sessions !== f.mydumper.threads ? [`NOTE: the agent dumped with ${f.agent.sessions} sessions, mydumper with ${f.mydumper.threads} threads.`] : []),
    `Identical to the source (CHECKSUM TABLE): ${Object.entries(f.identical).map(([who, same]) => `${who} ${same ? "yes" : "NO"}`).join(", ")}`,
    `TLS: ${f.transport === "verified TLS" ? `seed, agent and restore verify the CA and the host name; ${MYDUMPER_TLS_NOTE}.` : "plaintext everywhere (--plaintext)."}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Every run's headline figures side by side, with min–max. */
export function renderSummary(runs: readonly RunFigures[]): string {
  const range = spread(runs);
  const lines = [
    `Every run (${runs.length}) and the spread:`,
    "",
    `| figure | ${runs.map((_, i) => `run ${i + 1}`).join(" | ")} | min–max |`,
    `|---|${runs.map(() => "---:|").join("")}---:|`,
    ...METRICS.map((metric) => {
      const { min, max } = range[metric.key];
      return `| ${metric.label} | ${runs.map((run) => formatMetric(metric.value(run), metric.unit)).join(" | ")} | ${formatMetric(min, metric.unit)}–${formatMetric(max, metric.unit)} |`;
    }),
  ];
  return `${lines.join("\n")}\n`;
}

/** The bytes-shipped-per-day model, from one run's measurements. */
export function renderEgress(f: RunFigures): string {
  const lines = [
    `Bytes shipped per day for a ${formatBytes(f.egress.databaseBytes)} database changing ${(f.egress.changePerHour * 100).toFixed(1)}%/h (measured: agent compression ratio ${(f.agent.compressedBytes / f.sqlBytes).toFixed(3)}, ${f.binlogBytesPerChangedByte.toFixed(2)} binlog bytes per changed byte):`,
    "",
    "| design | per day | per 30 days | egress at $0.126/GB (30 days) |",
    "|---|---:|---:|---:|",
    `| seed: 288 full dumps/day | ${formatBytes(f.egress.seedBytesPerDay)} | ${formatBytes(f.egress.seedBytesPerDay * 30)} | $${f.egress.seedCostPerMonthUsd.toFixed(2)} |`,
    `| agent: 1 full dump/day + binlogs | ${formatBytes(f.egress.agentBytesPerDay)} (dump ${formatBytes(f.egress.agentFullBytesPerDay)} + binlog ${formatBytes(f.egress.agentBinlogBytesPerDay)}) | ${formatBytes(f.egress.agentBytesPerDay * 30)} | $${f.egress.agentCostPerMonthUsd.toFixed(2)} |`,
    `| ratio | ${x(f.egress.ratio)} fewer bytes with the agent | | |`,
  ];
  return `${lines.join("\n")}\n`;
}
