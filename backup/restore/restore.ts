import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import { RestoreConfig } from "../config/restore-config";
import { createContainerClient } from "../lib/blob-client";
import { explainBlobError } from "../lib/explain-error";
import { BlobLayout } from "../lib/blob-layout";
import { Logger } from "../lib/log";
import { TableRows } from "../lib/manifest";
import { connect } from "../lib/mysql-connection";
import { resolveMysqlTools } from "../lib/mysql-tools";
import { nearest } from "../lib/nearest";
import { formatBytes, Progress } from "../lib/progress";
import { ChainError, fetchVerifiedChain, VerifiedBinlog } from "./binlog-chain";
import { FilterStats, filterBinlogFile } from "./binlog-filter";
import { BackupEntry, BackupManifest, catalogByRecoveryPoint, ChainReach } from "./catalog";
import { loadChunkedBackup } from "./chunk-loader";
import { DumpError, streamDump } from "./dump-loader";
import { explainNoBackup } from "./no-backup";
import { replayBinlogs } from "./replay";
import { RewriteStats } from "./sql-rewrite";
import { dropStaging, planStaging, Replacement, stagingRenames, StagingPlan, swapIn } from "./staging";
import { countRows, existingDatabases, listTables, TargetNotEmptyError } from "./target";
import { workDirError } from "./work-dir";

/** Refusal of --dump-only with --until: a dump alone has one recovery point, its snapshot. */
export const DUMP_ONLY_WITH_UNTIL =
  "--dump-only restores a full backup to its snapshot and replays no binlog, so --until cannot apply: leave out --until, or pick an older snapshot with --backup <id>";

/** What the operator asked for. */
export interface RestoreOptions {
  /** Point in time: replay only events stamped before it (one-second resolution). */
  until?: Date;
  /** Restore this backup (and fall back from it) instead of the newest. */
  backupId?: string;
  /**
   * Replace the backup's databases if they exist on the target: the restore is loaded and
   * replayed into staging databases and swapped in only once it succeeded; the replaced tables
   * are kept in `<db>__dr_previous_<id>`.
   */
  replace: boolean;
  /** Download and verify everything, touch no database. */
  verifyOnly: boolean;
  /**
   * Restore the full backup alone, to its snapshot: no binlog is fetched or replayed (for a
   * missing or broken chain). Backups are tried newest snapshot first. Not combined with `until`.
   */
  dumpOnly?: boolean;
  progress: Progress;
}

/** How long one phase took. */
export interface PhaseTiming {
  name: string;
  seconds: number;
}

/** The outcome of a restore, as printed with --json. */
export interface RestoreResult {
  ok: boolean;
  verifyOnly: boolean;
  /** True when the binlogs were not replayed (--dump-only): the target stands at the backup's snapshot. */
  dumpOnly?: boolean;
  backupId?: string;
  epoch?: string;
  snapshotAt?: string;
  /** Where the target now stands: the last applied transaction (or the backup's snapshot if none). */
  recoveredTo?: { time: string; file: string; position: number };
  until?: string;
  skippedBackups: Array<{ backupId: string; reason: string }>;
  binlogFiles: number;
  binlogBytes: number;
  dumpBytes?: { compressed: number; uncompressed: number };
  phases: PhaseTiming[];
  totalSeconds: number;
  verification: string[];
  notes: string[];
  tables: TableRows[];
  /**
   * Whether the restore changed the target's restored databases. False on every failure before
   * the swap: the restore works in `<db>__dr_restore_<id>` databases, dropped on failure.
   */
  targetChanged: boolean;
  /** What the swap did, per database (see staging.ts). */
  replaced?: Replacement[];
  error?: string;
}

/**
 * Rebuilds the target from the container: newest valid full backup (falling back past corrupt
 * or incomplete ones), then the verified binlog chain from its coordinates up to the newest
 * shipped event or `until`. Never touches a target database that exists unless `replace`, and
 * then only after everything was fetched, verified, loaded and replayed into staging databases.
 * With `dumpOnly` the chain is neither fetched nor replayed: the target ends at the snapshot.
 * Failures name their cause (see no-backup.ts, work-dir.ts, lib/explain-error.ts).
 */
export async function runRestore(config: RestoreConfig, options: RestoreOptions, log: Logger): Promise<RestoreResult> {
  const started = Date.now();
  if (options.dumpOnly && options.until) throw new Error(DUMP_ONLY_WITH_UNTIL);
  const result: RestoreResult = {
    ok: false,
    verifyOnly: options.verifyOnly,
    ...(options.dumpOnly ? { dumpOnly: true } : {}),
    until: options.until?.toISOString(),
    skippedBackups: [],
    binlogFiles: 0,
    binlogBytes: 0,
    phases: [],
    totalSeconds: 0,
    verification: [],
    notes: [],
    tables: [],
    targetChanged: false,
  };
  const addPhase = (name: string, seconds: number) => {
    const existing = result.phases.find((phase) => phase.name === name);
    if (existing) existing.seconds = round(existing.seconds + seconds);
    else result.phases.push({ name, seconds: round(seconds) });
  };
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      addPhase(name, (Date.now() - t0) / 1000);
    }
  };
  const container = createContainerClient(config.blob, { maxTries: 5 });
  const layout = new BlobLayout(config.blob.prefix);
  const tools = resolveMysqlTools(config.tools);
  const stopAt = options.until ? Math.floor(options.until.getTime() / 1000) : undefined;
  let connection: Connection | undefined;
  let createdWorkDir: string | undefined;
  try {
    const { entries, notes: chainNotes, latest } = await timed("catalog", () => catalogByRecoveryPoint(container, layout));
    if (!options.dumpOnly) result.notes.push(...chainNotes);
    const candidates = chooseCandidates(entries, options, result);
    if (candidates.length === 0) throw await explainNoBackup(container, config.blob, entries, latest, options.until);
    noteUntilAfterLatest(options.until, latest, result);
    if (!options.verifyOnly) {
      connection = await connect(config.target);
      const databases = [...new Set(candidates.flatMap((manifest) => manifest.databases))];
      const occupied = await existingDatabases(connection, databases);
      if (occupied.length > 0 && !options.replace) throw new TargetNotEmptyError(occupied);
    }
    // Only what this run creates is removed at the end: DR_WORK_DIR may be a directory holding other files.
    createdWorkDir = await fs.mkdir(config.workDir, { recursive: true, mode: 0o700 }).catch(async (error) => {
      throw await workDirError(error, config.workDir, config.workDir, "creating");
    });
    const workDir = await fs.mkdtemp(join(config.workDir, "mysql-dr-restore-")).catch(async (error) => {
      throw await workDirError(error, join(config.workDir, "mysql-dr-restore-*"), config.workDir, "creating");
    });
    createdWorkDir ??= workDir;
    for (const manifest of candidates) {
      log.info("trying backup", { backup: manifest.backupId, snapshot: manifest.snapshotAt, coordinates: `${manifest.coordinates.file}:${manifest.coordinates.position}` });
      // Everything that can fail without a database (download, digests, CRCs, disk space in the
      // work directory) runs before anything is created on the target.
      let downloaded = 0;
      const chain = options.dumpOnly
        ? { files: [] as VerifiedBinlog[], notes: [] as string[] }
        : await timed("fetch-binlogs", () =>
            fetchVerifiedChain(container, layout, {
              epoch: manifest.epoch,
              fromFile: manifest.coordinates.file,
              fromPosition: manifest.coordinates.position,
              stopAt,
              workDir,
              configuredWorkDir: config.workDir,
              onBytes: (bytes) => options.progress.update("binlogs", (downloaded += bytes)),
            }),
          ).catch((error: Error) => {
            if (!(error instanceof ChainError)) throw error;
            throw Object.assign(error, {
              message: `${error.message}; rerun with --dump-only to restore backup ${manifest.backupId} alone, to its snapshot at ${manifest.snapshotAt} (losing what was written after it)`,
            });
          });
      options.progress.done();
      const stats: FilterStats = { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] };
      const filtered =
        connection && chain.files.length > 0
          ? await timed("filter-binlogs", async () => {
              const paths: string[] = [];
              for (const [index, file] of chain.files.entries()) {
                const path = `${file.path}.filtered`;
                await filterBinlogFile(file.path, path, index === 0 ? manifest.coordinates.position : 0, manifest.databases, stats).catch(async (error: Error) => {
                  throw await workDirError(error, path, config.workDir, "writing");
                });
                paths.push(path);
              }
              return paths;
            })
          : [];
      const staging = connection ? planStaging(manifest.databases, stagingId()) : undefined;
      const renames = staging ? stagingRenames(staging) : undefined;
      let loaded = 0;
      try {
        // Format 2: schema, then the data chunks DR_RESTORE_SESSIONS at a time, then triggers and routines (chunk-loader.ts).
        const rewrite =
          manifest.formatVersion === 2
            ? (
                await loadChunkedBackup(container, manifest, connection && renames ? { kind: "load", target: config.target, tools, renames } : { kind: "verify" }, {
                  sessions: config.restoreSessions,
                  progress: options.progress,
                  onPhase: addPhase,
                })
              ).rewrite
            : await timed(options.verifyOnly ? "verify-dump" : "load-dump", () =>
                streamDump(container, manifest, connection ? { kind: "load", target: config.target, tools, renames } : { kind: "verify" }, (bytes) =>
                  options.progress.update(options.verifyOnly ? "verify dump" : "load dump", (loaded += bytes), manifest.dump.compressedBytes),
                ),
              );
        options.progress.done();
        if (rewrite) result.notes.push(describeRewrite("dump", rewrite));
        if (connection && renames) await timed("check-dump", () => checkRowCounts(connection as Connection, manifest, renames));
      } catch (error) {
        options.progress.done();
        const dropped = connection && staging ? await dropStaging(connection, staging).then(() => true, () => false) : true;
        if (!(error instanceof DumpError)) throw stagingFailure(error as Error, staging, dropped);
        log.error("backup rejected; falling back to the previous one", { backup: manifest.backupId, reason: error.message });
        result.skippedBackups.push({ backupId: manifest.backupId, reason: error.message });
        continue;
      }
      result.verification.push(describeDumpCheck(manifest, config.restoreSessions, !connection));
      if (connection) result.verification.push(`row counts of ${manifest.tables.length} table(s) match the manifest after loading the dump`);
      const sealed = chain.files.filter((file) => file.sealed).length;
      if (options.dumpOnly) {
        result.notes.push(
          `binlogs were not replayed (--dump-only): ${options.verifyOnly ? "backup" : "the target holds backup"} ${manifest.backupId} as of its snapshot at ${manifest.snapshotAt} ` +
            `(${manifest.coordinates.file}:${manifest.coordinates.position}); what the source wrote after it is not restored`,
        );
      } else {
        result.verification.push(
          `binlogs: ${chain.files.length} file(s) contiguous from ${manifest.coordinates.file}; ${sealed} sealed file(s) match sha256; every event passed its CRC32 and position checks`,
        );
      }
      result.notes.push(...chain.notes);
      if (connection && staging && renames) {
        try {
          if (filtered.length > 0) {
            const rewrite = await timed("replay-binlogs", () => replayBinlogs({ files: filtered, stopAt, renames }, config.target, tools));
            result.notes.push(describeRewrite("binlogs", rewrite));
            result.verification.push(`replayed ${stats.keptTransactions} transaction(s) into ${manifest.databases.join(", ")} without errors`);
            if (stats.droppedTransactions > 0) {
              result.notes.push(`left out ${stats.droppedTransactions} transaction(s) on schemas outside the backup (${stats.droppedDatabases.join(", ")})`);
            }
          }
          const stagedTables = await timed("verify", async () => {
            const tables = await listTables(connection as Connection, [...renames.values()]);
            const missing = manifest.tables.filter((expected) => !tables.some((t) => t.database === renames.get(expected.database) && t.table === expected.table));
            if (missing.length > 0) throw new Error(`after replay, table(s) missing: ${missing.map((t) => `${t.database}.${t.table}`).join(", ")}`);
            return countRows(connection as Connection, tables);
          });
          result.verification.push(`all ${manifest.tables.length} table(s) of the backup exist in the restored databases`);
          result.replaced = await timed("swap", () => swapIn(connection as Connection, staging));
          result.targetChanged = true;
          const original = new Map([...renames].map(([database, staged]) => [staged, database]));
          result.tables = stagedTables.map((table) => ({ ...table, database: original.get(table.database) ?? table.database }));
        } catch (error) {
          const dropped = await dropStaging(connection, staging).then(() => true, () => false);
          throw stagingFailure(error as Error, staging, dropped);
        }
        for (const replacement of result.replaced ?? []) result.notes.push(describeReplacement(replacement));
      }
      result.ok = true;
      result.backupId = manifest.backupId;
      result.epoch = manifest.epoch;
      result.snapshotAt = manifest.snapshotAt;
      result.recoveredTo = recoveredTo(manifest, chain.files);
      result.binlogFiles = chain.files.length;
      result.binlogBytes = chain.files.reduce((sum, file) => sum + file.bytes, 0);
      result.dumpBytes = dumpSizes(manifest);
      return result;
    }
    throw await explainNoBackup(
      container,
      config.blob,
      result.skippedBackups.map((skipped) => ({ backupId: skipped.backupId, problem: skipped.reason })),
      undefined,
      undefined,
    );
  } catch (caught) {
    const error = explainBlobError(caught, config.blob) ?? (caught as Error);
    result.error = (error as Error).message;
    if ((error as { targetChanged?: boolean }).targetChanged) result.targetChanged = true;
    if (connection && !result.targetChanged) result.notes.push("the target's databases were not changed");
    throw Object.assign(error as Error, { result });
  } finally {
    result.totalSeconds = round((Date.now() - started) / 1000);
    await connection?.end().catch(() => undefined);
    if (createdWorkDir) await fs.rm(createdWorkDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function chooseCandidates(ordered: BackupEntry[], options: RestoreOptions, result: RestoreResult): BackupManifest[] {
  const candidates: BackupManifest[] = [];
  let reachedRequested = options.backupId === undefined;
  // Without binlogs the newest snapshot is the latest recovery point, whatever its chain.
  const entries = options.dumpOnly ? [...ordered].sort((a, b) => (a.backupId < b.backupId ? 1 : -1)) : ordered;
  for (const entry of entries) {
    if (!reachedRequested && entry.backupId !== options.backupId) continue;
    reachedRequested = true;
    if (entry.problem || !entry.manifest) {
      result.skippedBackups.push({ backupId: entry.backupId, reason: entry.problem ?? "no manifest" });
      continue;
    }
    if (options.until && Date.parse(entry.manifest.snapshotAt) >= options.until.getTime()) continue;
    candidates.push(entry.manifest);
  }
  if (!reachedRequested) {
    const ids = entries.map((entry) => entry.backupId);
    const available = ids.length === 0 ? "the container holds no full backup under DR_BLOB_PREFIX" : `nearest: ${nearest(options.backupId as string, ids, 3).join(", ")} (${ids.length} backup(s) in all; newest ${[...ids].sort().reverse()[0]})`;
    throw new Error(`--backup ${options.backupId}: no such backup; ${available}`);
  }
  return candidates;
}

/** Notes that --until lies after everything shipped: the restore gives the latest point there is. */
function noteUntilAfterLatest(until: Date | undefined, latest: ChainReach | undefined, result: RestoreResult): void {
  if (!until || !latest?.lastWrite || until.getTime() <= latest.lastWrite.getTime()) return;
  result.notes.push(`--until ${until.toISOString()} is after the last shipped binlog write (${latest.lastWrite.toISOString()}): the latest recovery point available is used`);
}

/** Compressed and SQL bytes of the dump: format 1's one blob, or every blob of format 2. */
function dumpSizes(manifest: BackupManifest): { compressed: number; uncompressed: number } {
  if (manifest.formatVersion === 1) return { compressed: manifest.dump.compressedBytes, uncompressed: manifest.dump.uncompressedBytes };
  const files = [manifest.schema, ...manifest.chunks, manifest.post];
  return { compressed: files.reduce((sum, file) => sum + file.compressedBytes, 0), uncompressed: files.reduce((sum, file) => sum + file.uncompressedBytes, 0) };
}

/** What was proved about the dump's bytes. */
function describeDumpCheck(manifest: BackupManifest, sessions: number, verifyOnly: boolean): string {
  if (manifest.formatVersion === 1) {
    return `dump ${manifest.backupId}: sha256 of ${manifest.dump.compressedBytes} compressed and ${manifest.dump.uncompressedBytes} uncompressed bytes match the manifest`;
  }
  const sizes = dumpSizes(manifest);
  return (
    `chunked dump ${manifest.backupId}: sha256 and size of the schema, post-data and ${manifest.chunks.length} data chunk(s) (${formatBytes(sizes.compressed)} ${manifest.codec}, ` +
    `${formatBytes(sizes.uncompressed)} SQL) match the manifest; ${verifyOnly ? "verified" : "loaded"} by ${Math.min(sessions, Math.max(1, manifest.chunks.length))} session(s)`
  );
}

async function checkRowCounts(connection: Connection, manifest: Pick<BackupManifest, "backupId" | "tables">, renames: ReadonlyMap<string, string>): Promise<void> {
  const actual = await countRows(
    connection,
    manifest.tables.map((table) => ({ ...table, database: renames.get(table.database) ?? table.database })),
  );
  const wrong = manifest.tables
    .map((expected, index) => ({ expected, found: actual[index].rows }))
    .filter(({ expected, found }) => found !== expected.rows);
  if (wrong.length > 0) {
    throw new DumpError(
      `${manifest.backupId}: row counts differ from the manifest for ${wrong.map(({ expected, found }) => `${expected.database}.${expected.table} (${found} vs ${expected.rows})`).join(", ")}`,
    );
  }
}

function recoveredTo(manifest: Pick<BackupManifest, "snapshotAt" | "coordinates">, files: VerifiedBinlog[]): RestoreResult["recoveredTo"] {
  for (let i = files.length - 1; i >= 0; i--) {
    const commit = files[i].summary.lastAppliedCommit;
    // Event timestamps are whole seconds (and a transaction's is its start): one that committed after the snapshot can read earlier.
    if (commit) return { time: new Date(Math.max(commit.timestamp * 1000, Date.parse(manifest.snapshotAt))).toISOString(), file: files[i].file, position: commit.end };
  }
  return { time: manifest.snapshotAt, file: manifest.coordinates.file, position: manifest.coordinates.position };
}

function describeRewrite(what: string, stats: RewriteStats): string {
  return `${what}: ${stats.definers} DEFINER clause(s) set to CURRENT_USER (the restore user), ${stats.droppedStatements} GTID/sql_log_bin setting(s) left out`;
}

/** A fresh, short id for the staging and previous database names (base 36 milliseconds). */
function stagingId(): string {
  return Date.now().toString(36);
}

/** Says where the failed restore worked and whether that was cleaned up; the originals were never touched. */
function stagingFailure(error: Error, staging: StagingPlan | undefined, dropped: boolean): Error {
  if (!staging) return error;
  const names = staging.databases.map((d) => d.staging).join(", ");
  const cleanup = dropped ? "now dropped" : "which could not be dropped: drop them yourself";
  return Object.assign(error, { message: `${error.message}. The restore worked in ${names}, ${cleanup}` });
}

function describeReplacement(replacement: Replacement): string {
  const where = replacement.existed
    ? `replaced ${replacement.database}: its ${replacement.previousTables} previous table(s) and objects are kept in ${replacement.previous} until you drop it`
    : `created ${replacement.database}`;
  const objects = replacement.objects.length > 0 ? `; recreated ${replacement.objects.join(", ")}` : "";
  const problems = replacement.problems.length > 0 ? `; PROBLEMS: ${replacement.problems.join("; ")}` : "";
  return `${where} (${replacement.tablesSwapped} table(s) swapped in atomically${objects})${problems}`;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
