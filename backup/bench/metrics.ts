import { RunFigures } from "./figures";

/** A headline figure of a run: a time in seconds or a ratio. */
export interface Metric {
  key: string;
  label: string;
  unit: "s" | "x";
  value: (f: RunFigures) => number;
}

/** The figures compared across runs, in the order the summary prints them. */
export const METRICS: readonly Metric[] = [
  { key: "seed.backupSeconds", label: "seed full backup", unit: "s", value: (f) => f.seed.backupSeconds },
  { key: "mydumper.backupSeconds", label: "mydumper + upload", unit: "s", value: (f) => f.mydumper.backupSeconds },
  { key: "agent.backupSeconds", label: "agent full backup", unit: "s", value: (f) => f.agent.backupSeconds },
  { key: "seed.restoreSeconds", label: "seed restore", unit: "s", value: (f) => f.seed.restoreSeconds },
  { key: "myloader.restoreSeconds", label: "download + myloader", unit: "s", value: (f) => f.myloader.restoreSeconds },
  { key: "agent.restoreSeconds", label: "agent restore right after the dump", unit: "s", value: (f) => f.agent.restoreSeconds },
  { key: "agent.dayOfBinlogs.restoreSeconds", label: "agent restore after a day of changes", unit: "s", value: (f) => f.agent.dayOfBinlogs.restoreSeconds },
  { key: "agent.dayOfBinlogs.replaySeconds", label: "  of which replay-binlogs", unit: "s", value: (f) => f.agent.dayOfBinlogs.replaySeconds },
  { key: "ingestSeconds", label: "single-stream ingest (mysql < local file)", unit: "s", value: (f) => f.ingestSeconds },
  { key: "ratio.backup.seedPerAgent", label: "backup: seed / agent", unit: "x", value: (f) => f.seed.backupSeconds / f.agent.backupSeconds },
  { key: "ratio.backup.mydumperPerAgent", label: "backup: mydumper / agent", unit: "x", value: (f) => f.mydumper.backupSeconds / f.agent.backupSeconds },
  { key: "ratio.restore.seedPerAgent", label: "restore: seed / agent", unit: "x", value: (f) => f.seed.restoreSeconds / f.agent.restoreSeconds },
  { key: "ratio.restore.myloaderPerAgent", label: "restore: myloader / agent", unit: "x", value: (f) => f.myloader.restoreSeconds / f.agent.restoreSeconds },
  {
    key: "ratio.restore.dayOfBinlogsPerRightAfterDump",
    label: "restore: day of binlogs / right after the dump",
    unit: "x",
    value: (f) => f.agent.dayOfBinlogs.restoreSeconds / f.agent.restoreSeconds,
  },
];

/** Min and max of every metric over the runs. */
export function spread(runs: readonly RunFigures[]): Record<string, { min: number; max: number }> {
  const result: Record<string, { min: number; max: number }> = {};
  for (const metric of METRICS) {
    const values = runs.map(metric.value);
    result[metric.key] = { min: Math.min(...values), max: Math.max(...values) };
  }
  return result;
}

/** "12.34 s" or "1.23x". */
export function formatMetric(value: number, unit: Metric["unit"]): string {
  return unit === "s" ? `${value.toFixed(2)} s` : `${value.toFixed(2)}x`;
}
