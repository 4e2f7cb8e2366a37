import { promises as fs } from "node:fs";
import type { Connection } from "mysql2/promise";
import { RestoreConfig } from "../config/restore-config";
import { createContainerClient } from "../lib/blob-client";
import { BlobLayout } from "../lib/blob-layout";
import { Logger } from "../lib/log";
import { FullBackupManifest, TableRows } from "../lib/manifest";
import { connect } from "../lib/mysql-connection";
import { resolveMysqlTools } from "../lib/mysql-tools";
import { Progress } from "../lib/progress";
import { fetchVerifiedChain, VerifiedBinlog } from "./binlog-chain";
import { FilterStats, filterBinlogFile } from "./binlog-filter";
import { BackupEntry, listBackups } from "./catalog";
import { DumpError, streamDump } from "./dump-loader";
import { replayBinlogs } from "./replay";
import { RewriteStats } from "./sql-rewrite";
import { countRows, dropDatabases, existingDatabases, listTables, TargetNotEmptyError } from "./target";

/** What the operator asked for. */
export interface RestoreOptions {
  /** Point in time: replay only events stamped before it (one-second resolution). */
  until?: Date;
  /** Restore this backup (and fall back from it) instead of the newest. */
  backupId?: string;
  /** Drop the backup's databases on the target first if they exist. */
  replace: boolean;
  /** Download and verify everything, touch no database. */
  verifyOnly: boolean;
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
  error?: string;
}

/**
 * Rebuilds the target from the container: newest valid full backup (falling back past corrupt
 * or incomplete ones), then the verified binlog chain from its coordinates up to the newest
 * shipped event or `until`. Never touches a target database that exists unless `replace`.
 */
export async function runRestore(config: RestoreConfig, options: RestoreOptions, log: Logger): Promise<RestoreResult> {
  const started = Date.now();
  const result: RestoreResult = {
    ok: false,
    verifyOnly: options.verifyOnly,
    until: options.until?.toISOString(),
    skippedBackups: [],
    binlogFiles: 0,
    binlogBytes: 0,
    phases: [],
    totalSeconds: 0,
    verification: [],
    notes: [],
    tables: [],
  };
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      const existing = result.phases.find((phase) => phase.name === name);
      const seconds = (Date.now() - t0) / 1000;
      if (existing) existing.seconds = round(existing.seconds + seconds);
      else result.phases.push({ name, seconds: round(seconds) });
    }
  };
  const container = createContainerClient(config.blob, { maxTries: 5 });
  const layout = new BlobLayout(config.blob.prefix);
  const tools = resolveMysqlTools(config.tools);
  const stopAt = options.until ? Math.floor(options.until.getTime() / 1000) : undefined;
  let connection: Connection | undefined;
  try {
    const entries = await timed("catalog", () => listBackups(container, layout));
    const candidates = chooseCandidates(entries, options, result);
    if (candidates.length === 0) throw new Error(`no usable full backup${describeSkipped(result)}`);
    if (!options.verifyOnly) {
      connection = await connect(config.target);
      const databases = [...new Set(candidates.flatMap((manifest) => manifest.databases))];
      const occupied = await existingDatabases(connection, databases);
      if (occupied.length > 0 && !options.replace) throw new TargetNotEmptyError(occupied);
      if (occupied.length > 0) {
        log.warn("--replace: dropping existing databases on the target", { databases: occupied.map((o) => o.database).join(",") });
        await dropDatabases(connection, occupied.map((o) => o.database));
      }
    }
    await fs.mkdir(config.workDir, { recursive: true, mode: 0o700 });
    for (const manifest of candidates) {
      log.info("trying backup", { backup: manifest.backupId, snapshot: manifest.snapshotAt, coordinates: `${manifest.coordinates.file}:${manifest.coordinates.position}` });
      let downloaded = 0;
      const chain = await timed("fetch-binlogs", () =>
        fetchVerifiedChain(container, layout, {
          epoch: manifest.epoch,
          fromFile: manifest.coordinates.file,
          fromPosition: manifest.coordinates.position,
          stopAt,
          workDir: config.workDir,
          onBytes: (bytes) => options.progress.update("binlogs", (downloaded += bytes)),
        }),
      );
      options.progress.done();
      let loaded = 0;
      try {
        const rewrite = await timed(options.verifyOnly ? "verify-dump" : "load-dump", () =>
          streamDump(container, manifest, options.verifyOnly ? { kind: "verify" } : { kind: "load", target: config.target, tools }, (bytes) =>
            options.progress.update(options.verifyOnly ? "verify dump" : "load dump", (loaded += bytes), manifest.dump.compressedBytes),
          ),
        );
        options.progress.done();
        if (rewrite) result.notes.push(describeRewrite("dump", rewrite));
        if (connection) await timed("check-dump", () => checkRowCounts(connection as Connection, manifest));
      } catch (error) {
        options.progress.done();
        if (!(error instanceof DumpError)) throw error;
        log.error("backup rejected; falling back to the previous one", { backup: manifest.backupId, reason: error.message });
        result.skippedBackups.push({ backupId: manifest.backupId, reason: error.message });
        if (connection) await dropDatabases(connection, manifest.databases);
        continue;
      }
      result.verification.push(
        `dump ${manifest.backupId}: sha256 of ${manifest.dump.compressedBytes} compressed and ${manifest.dump.uncompressedBytes} uncompressed bytes match the manifest`,
      );
      if (connection) result.verification.push(`row counts of ${manifest.tables.length} table(s) match the manifest after loading the dump`);
      const sealed = chain.files.filter((file) => file.sealed).length;
      result.verification.push(
        `binlogs: ${chain.files.length} file(s) contiguous from ${manifest.coordinates.file}; ${sealed} sealed file(s) match sha256; every event passed its CRC32 and position checks`,
      );
      result.notes.push(...chain.notes);
      if (connection && chain.files.length > 0) {
        const stats: FilterStats = { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] };
        const filtered = await timed("filter-binlogs", async () => {
          const paths: string[] = [];
          for (const [index, file] of chain.files.entries()) {
            const path = `${file.path}.filtered`;
            await filterBinlogFile(file.path, path, index === 0 ? manifest.coordinates.position : 0, manifest.databases, stats);
            paths.push(path);
          }
          return paths;
        });
        const rewrite = await timed("replay-binlogs", () => replayBinlogs({ files: filtered, stopAt }, config.target, tools));
        result.notes.push(describeRewrite("binlogs", rewrite));
        result.verification.push(`replayed ${stats.keptTransactions} transaction(s) into ${manifest.databases.join(", ")} without errors`);
        if (stats.droppedTransactions > 0) {
          result.notes.push(`left out ${stats.droppedTransactions} transaction(s) on schemas outside the backup (${stats.droppedDatabases.join(", ")})`);
        }
      }
      if (connection) {
        result.tables = await timed("verify", async () => {
          const tables = await listTables(connection as Connection, manifest.databases);
          const missing = manifest.tables.filter((expected) => !tables.some((t) => t.database === expected.database && t.table === expected.table));
          if (missing.length > 0) throw new Error(`after replay, table(s) missing on the target: ${missing.map((t) => `${t.database}.${t.table}`).join(", ")}`);
          return countRows(connection as Connection, tables);
        });
        result.verification.push(`all ${manifest.tables.length} table(s) of the backup exist on the target`);
      }
      result.ok = true;
      result.backupId = manifest.backupId;
      result.epoch = manifest.epoch;
      result.snapshotAt = manifest.snapshotAt;
      result.recoveredTo = recoveredTo(manifest, chain.files);
      result.binlogFiles = chain.files.length;
      result.binlogBytes = chain.files.reduce((sum, file) => sum + file.bytes, 0);
      result.dumpBytes = { compressed: manifest.dump.compressedBytes, uncompressed: manifest.dump.uncompressedBytes };
      return result;
    }
    throw new Error(`every candidate backup was rejected${describeSkipped(result)}`);
  } catch (error) {
    result.error = (error as Error).message;
    throw Object.assign(error as Error, { result });
  } finally {
    result.totalSeconds = round((Date.now() - started) / 1000);
    await connection?.end().catch(() => undefined);
    await fs.rm(config.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function chooseCandidates(entries: BackupEntry[], options: RestoreOptions, result: RestoreResult): FullBackupManifest[] {
  const candidates: FullBackupManifest[] = [];
  let reachedRequested = options.backupId === undefined;
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
  if (!reachedRequested) throw new Error(`backup ${options.backupId} not found`);
  return candidates;
}

async function checkRowCounts(connection: Connection, manifest: FullBackupManifest): Promise<void> {
  const actual = await countRows(connection, manifest.tables);
  const wrong = manifest.tables
    .map((expected, index) => ({ expected, found: actual[index].rows }))
    .filter(({ expected, found }) => found !== expected.rows);
  if (wrong.length > 0) {
    throw new DumpError(
      `${manifest.backupId}: row counts differ from the manifest for ${wrong.map(({ expected, found }) => `${expected.database}.${expected.table} (${found} vs ${expected.rows})`).join(", ")}`,
    );
  }
}

function recoveredTo(manifest: FullBackupManifest, files: VerifiedBinlog[]): RestoreResult["recoveredTo"] {
  for (let i = files.length - 1; i >= 0; i--) {
    const commit = files[i].summary.lastAppliedCommit;
    if (commit) return { time: new Date(commit.timestamp * 1000).toISOString(), file: files[i].file, position: commit.end };
  }
  return { time: manifest.snapshotAt, file: manifest.coordinates.file, position: manifest.coordinates.position };
}

function describeSkipped(result: RestoreResult): string {
  return result.skippedBackups.length === 0 ? "" : `; rejected: ${result.skippedBackups.map((s) => `${s.backupId} (${s.reason})`).join("; ")}`;
}

function describeRewrite(what: string, stats: RewriteStats): string {
  return `${what}: ${stats.definers} DEFINER clause(s) set to CURRENT_USER (the restore user), ${stats.droppedStatements} GTID/sql_log_bin setting(s) left out`;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
