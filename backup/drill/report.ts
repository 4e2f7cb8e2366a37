import { DrillResult } from "./run-drill";

/** Summary statistics over several drills. */
export interface DrillSummary {
  runs: number;
  allIntegrityOk: boolean;
  medianRpoSeconds: number;
  maxRpoSeconds: number;
  medianRestoreSeconds: number;
  totalLostWrites: number;
  minAcknowledgedWrites: number;
}

/** Median, max and totals over the runs. */
export function summarise(results: DrillResult[]): DrillSummary {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  return {
    runs: results.length,
    allIntegrityOk: results.every((result) => result.integrityOk),
    medianRpoSeconds: median(results.map((result) => result.rpoSeconds)),
    maxRpoSeconds: Math.max(...results.map((result) => result.rpoSeconds)),
    medianRestoreSeconds: median(results.map((result) => result.restoreSeconds)),
    totalLostWrites: results.reduce((sum, result) => sum + result.lostWrites, 0),
    minAcknowledgedWrites: Math.min(...results.map((result) => result.acknowledgedWrites)),
  };
}

/** The drill report in Markdown, with tables and a link to each run's chart. */
export function renderDrillReport(results: DrillResult[], charts: string[], startedAt: Date): string {
  const summary = summarise(results);
  const lines = [
    "# DR drill report",
    "",
    `Run ${startedAt.toISOString()} on this host: MariaDB primary (ROW binlogs, sync_binlog=1) and restore target, Azurite, the backup agent, ${results[0].rate} writes/s; the primary is killed with SIGKILL at a random moment; the restore uses Azurite only.`,
    "",
    "| run | mode | acknowledged writes | lost writes | RPO (s) | restore (s) | integrity | backup used | binlog files |",
    "|---:|---|---:|---:|---:|---:|---|---|---:|",
    ...results.map(
      (result, index) =>
        `| ${index + 1} | ${result.mode} | ${result.acknowledgedWrites} | ${result.lostWrites} | ${result.rpoSeconds.toFixed(3)} | ${result.restoreSeconds.toFixed(2)} | ${result.integrityOk ? "ok" : `FAILED: ${result.problems.join("; ")}`} | ${result.restoredBackupId} | ${result.binlogFiles} |`,
    ),
    "",
    `**Summary over ${summary.runs} run(s):** median RPO ${summary.medianRpoSeconds.toFixed(3)} s, worst ${summary.maxRpoSeconds.toFixed(3)} s; median restore ${summary.medianRestoreSeconds.toFixed(2)} s; ${summary.totalLostWrites} acknowledged write(s) lost in total; integrity ${summary.allIntegrityOk ? "ok in every run" : "FAILED"}.`,
    "",
    "RPO is the time between the last write the primary acknowledged and the newest write the restore recovered (0 when every acknowledged write came back). Restore time is the wall time of `mysql-dr restore`, from start to exit, including listing, binlog download and verification, streaming the dump into the target and replaying binlogs.",
    "",
    "## Phases of each run (seconds)",
    "",
    `| run | ${results[0].phases.map((phase) => phase.name).join(" | ")} | restore phases |`,
    `|---:|${results[0].phases.map(() => "---:").join("|")}|---|`,
    ...results.map(
      (result, index) =>
        `| ${index + 1} | ${result.phases.map((phase) => phase.seconds.toFixed(2)).join(" | ")} | ${result.restorePhases.map((phase) => `${phase.name} ${phase.seconds.toFixed(2)}`).join(", ")} |`,
    ),
    "",
    "## Write time vs recovery point",
    "",
    ...charts.map((chart, index) => `Run ${index + 1}:\n\n![run ${index + 1}](${chart})\n`),
  ];
  return `${lines.join("\n")}\n`;
}
