import { formatBytes } from "../lib/progress";
import { RestoreResult } from "./restore";

/** Renders a restore result for a human. */
export function renderRestoreReport(result: RestoreResult): string {
  const lines: string[] = [];
  if (result.ok) {
    if (result.dumpOnly) {
      lines.push(
        result.verifyOnly
          ? `Verified backup ${result.backupId} alone (--dump-only: binlogs not checked, nothing was loaded).`
          : `Restored backup ${result.backupId} alone (--dump-only): binlogs were NOT replayed; the target stands at the backup's snapshot.`,
      );
    } else {
      lines.push(result.verifyOnly ? `Verified backup ${result.backupId} and its binlog chain (nothing was loaded).` : `Restored backup ${result.backupId}.`);
    }
    lines.push(`  snapshot:      ${result.snapshotAt}`);
    if (result.recoveredTo) lines.push(`  recovered to:  ${result.recoveredTo.time} (${result.recoveredTo.file}:${result.recoveredTo.position})`);
    if (result.until) lines.push(`  until:         ${result.until}`);
    if (result.dumpBytes) lines.push(`  dump:          ${formatBytes(result.dumpBytes.compressed)} compressed, ${formatBytes(result.dumpBytes.uncompressed)} SQL`);
    lines.push(`  binlogs:       ${result.binlogFiles} file(s), ${formatBytes(result.binlogBytes)}`);
  } else {
    lines.push(`Restore FAILED: ${result.error ?? "unknown error"}`);
  }
  if (result.phases.length > 0) {
    lines.push("Phases:");
    for (const phase of result.phases) lines.push(`  ${phase.name.padEnd(16)} ${phase.seconds.toFixed(2).padStart(8)} s`);
    lines.push(`  ${"total".padEnd(16)} ${result.totalSeconds.toFixed(2).padStart(8)} s`);
  }
  if (result.verification.length > 0) {
    lines.push("Verification:");
    for (const check of result.verification) lines.push(`  ok  ${check}`);
  }
  if (result.skippedBackups.length > 0) {
    lines.push("Rejected or skipped backups:");
    for (const skipped of result.skippedBackups) lines.push(`  -   ${skipped.backupId}: ${skipped.reason}`);
  }
  for (const note of result.notes) lines.push(`Note: ${note}`);
  if (result.tables.length > 0) {
    lines.push("Tables:");
    for (const table of result.tables) lines.push(`  ${`${table.database}.${table.table}`.padEnd(40)} ${String(table.rows).padStart(12)} rows`);
  }
  return `${lines.join("\n")}\n`;
}

/** Parses --until: ISO 8601, or `YYYY-MM-DD HH:MM:SS` taken as UTC. */
export function parseUntil(text: string): Date {
  const normalized = text.trim().replace(" ", "T");
  const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(normalized) ? normalized : `${normalized}Z`;
  const time = Date.parse(withZone);
  if (Number.isNaN(time)) throw new Error(`--until: not a time: ${JSON.stringify(text)} (use ISO 8601, e.g. 2025-01-31T12:00:00Z)`);
  return new Date(time);
}
