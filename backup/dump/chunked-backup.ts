import type { Connection as CoreConnection } from "mysql2";
import type { Connection } from "mysql2/promise";
import { compareBinlogNames } from "../lib/binlog-names";
import { BackupRun } from "../lib/backup-run";
import { writeManifestOnce } from "../lib/manifest-writer";
import { timeOrderedId } from "../lib/blob-layout";
import { ChunkCodec, ChunkedBackupManifest, DataChunk, codecExtension } from "../lib/chunked-manifest";
import { connect, quoteIdentifier, serverVersion } from "../lib/mysql-connection";
import { ChunkTarget, ChunkUpload, detectCodec } from "./chunk-writer";
import { InsertBuilder, MAX_STATEMENT_BYTES } from "./row-sql";
import { dumpSchemaPart } from "./schema-dump";
import { SnapshotSetting, takeSharedSnapshot } from "./snapshot";
import { ChunkTask, planChunks, planFingerprint, readTablePlans } from "./table-plan";

/** Default number of dump sessions (DR_DUMP_SESSIONS). */
export const DEFAULT_DUMP_SESSIONS = 4;
/** Default rows per chunk (DR_DUMP_CHUNK_ROWS). */
export const DEFAULT_CHUNK_ROWS = 100_000;

/** Inputs of one chunked full backup (format 2). */
export interface ChunkedBackupOptions extends BackupRun {
  /** Sessions reading rows in parallel. Default 4. */
  sessions?: number;
  /** Rows per primary-key range chunk. Default 100,000. */
  chunkRows?: number;
  snapshotMethod?: SnapshotSetting;
  /** Force a codec; default zstd when the tool runs, else gzip. */
  codec?: ChunkCodec;
  /** Ceiling of one INSERT statement. Default 1 MiB. */
  maxStatementBytes?: number;
}

/**
 * Takes a consistent, parallel full backup: the schema and post-data objects through mysqldump,
 * the rows by `sessions` sessions sharing one snapshot (see snapshot.ts), each table split into
 * primary-key chunks that are compressed and uploaded as their own blobs while the sessions pull
 * the next chunk from a shared queue. The manifest, listing every blob with its size and sha256,
 * is written last: without it the backup is incomplete and restore ignores it.
 */
export async function runChunkedBackup(options: ChunkedBackupOptions): Promise<ChunkedBackupManifest> {
  const { container, layout, tools, log, databases } = options;
  const sessions = options.sessions ?? DEFAULT_DUMP_SESSIONS;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error(`dump sessions must be a positive integer, got ${sessions}`);
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`chunk rows must be a positive integer, got ${chunkRows}`);
  const backupId = timeOrderedId();
  const startedAt = new Date();
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) abort.abort();
  const { codec, zstdTool } = detectCodec(options.codec);
  if (codec === "gzip" && options.codec !== "gzip") {
    log.warn("the zstd tool does not run on this host, so this full backup is compressed with gzip (slower and larger): install the zstd package", { backup: backupId });
  }
  const extension = codecExtension(codec);
  const target: ChunkTarget = { container, codec, zstdTool, signal: abort.signal };
  const opened: Connection[] = [];
  const open = async () => {
    const connection = await connect(options.source);
    opened.push(connection);
    return connection;
  };
  const closeAll = () => Promise.all(opened.map((connection) => connection.end().catch(() => connection.destroy())));
  abort.signal.addEventListener("abort", () => opened.forEach((connection) => connection.destroy()), { once: true });
  let uploaded = 0;
  // The first failure is the cause; the sessions it stopped fail with "stopped" after it.
  let failure: { error: unknown } | undefined;
  const failWith = (error: unknown) => {
    failure ??= { error };
    abort.abort();
  };
  try {
    const control = await open();
    const version = await serverVersion(control);
    const plans = await readTablePlans(control, databases);
    const fingerprint = planFingerprint(plans);
    log.info("full backup started", { backup: backupId, databases: databases.join(","), format: 2, sessions, codec, tables: plans.length });
    const workers = await Promise.all(Array.from({ length: sessions }, open));
    await Promise.all(
      workers.map(async (worker) => {
        await worker.query("SET NAMES utf8mb4");
        // Text-protocol TIMESTAMPs are in the session time zone; UTC makes them portable (mysqldump's --tz-utc).
        await worker.query("SET SESSION time_zone = '+00:00'");
        // A session paused by backpressure (slow upload) must not be dropped by the server.
        await worker.query("SET SESSION net_write_timeout = 3600");
      }),
    );
    const snapshot = await takeSharedSnapshot({ workers, open, tables: plans, method: options.snapshotMethod ?? "auto", log });
    log.info("shared snapshot taken", { backup: backupId, method: snapshot.method, coordinates: `${snapshot.coordinates.file}:${snapshot.coordinates.position}` });
    if (compareBinlogNames(snapshot.coordinates.file, options.epochStartFile) < 0) {
      throw new Error(`snapshot coordinates ${snapshot.coordinates.file} precede the binlog chain start ${options.epochStartFile}`);
    }
    const schemaParts = Promise.all([
      dumpSchemaPart("schema", options.source, tools, databases, target, layout.chunkedSchema(backupId, extension)),
      dumpSchemaPart("post", options.source, tools, databases, target, layout.chunkedPost(backupId, extension)),
    ]);
    schemaParts.catch(failWith);
    const tasks = await planChunks(workers[0], plans, chunkRows);
    const chunks: DataChunk[] = [];
    let next = 0;
    const work = async (worker: Connection) => {
      while (next < tasks.length && !abort.signal.aborted) {
        const task = tasks[next++];
        const chunk = await dumpChunk(worker, task, target, layout.chunkedData(backupId, task.n, extension), options.maxStatementBytes ?? MAX_STATEMENT_BYTES);
        chunks.push(chunk);
        uploaded += chunk.compressedBytes;
        options.onProgress?.(uploaded);
      }
    };
    await Promise.all(
      workers.map((worker) =>
        work(worker).catch((error) => {
          failWith(error);
          throw error;
        }),
      ),
    );
    if (abort.signal.aborted) throw new Error("the full backup was stopped");
    await Promise.all(workers.map((worker) => worker.query("COMMIT")));
    const [schema, post] = await schemaParts;
    uploaded += schema.compressedBytes + post.compressedBytes;
    // Same columns now as before the snapshot: no DDL slipped between the schema dump and the rows.
    if (planFingerprint(await readTablePlans(control, databases)) !== fingerprint) {
      throw new Error(`a table of ${databases.join(",")} changed (DDL) while the full backup ran, so its schema and rows may disagree; the backup is discarded and the next attempt retries`);
    }
    chunks.sort((a, b) => a.blob.localeCompare(b.blob));
    const rows = new Map<string, { database: string; table: string; rows: number }>();
    for (const plan of plans) rows.set(`${plan.database}.${plan.table}`, { database: plan.database, table: plan.table, rows: 0 });
    for (const chunk of chunks) rows.get(`${chunk.database}.${chunk.table}`)!.rows += chunk.rows;
    const manifest: ChunkedBackupManifest = {
      formatVersion: 2,
      backupId,
      epoch: options.epoch,
      databases,
      startedAt: startedAt.toISOString(),
      snapshotAt: snapshot.takenAt.toISOString(),
      finishedAt: new Date().toISOString(),
      coordinates: snapshot.coordinates,
      snapshotMethod: snapshot.method,
      sessions,
      codec,
      schema,
      post,
      chunks,
      tables: [...rows.values()],
      server: { version },
      tools: { dump: tools.dumpVersion, flavor: tools.flavor },
    };
    await writeManifestOnce(container, layout, backupId, manifest, options.assertWriter);
    const uncompressed = chunks.reduce((sum, chunk) => sum + chunk.uncompressedBytes, schema.uncompressedBytes + post.uncompressedBytes);
    log.info("full backup finished", {
      backup: backupId,
      format: 2,
      coordinates: `${snapshot.coordinates.file}:${snapshot.coordinates.position}`,
      snapshot_method: snapshot.method,
      chunks: chunks.length,
      compressed_bytes: uploaded,
      uncompressed_bytes: uncompressed,
      seconds: ((Date.now() - startedAt.getTime()) / 1000).toFixed(1),
    });
    return manifest;
  } catch (error) {
    abort.abort();
    if (options.signal?.aborted) throw new Error("the full backup was stopped (agent shutting down)");
    throw failure ? failure.error : error;
  } finally {
    options.signal?.removeEventListener("abort", stop);
    await closeAll();
  }
}

/** Reads one chunk's rows inside the worker's snapshot and streams them, as INSERTs, into its blob. */
async function dumpChunk(worker: Connection, task: ChunkTask, target: ChunkTarget, blob: string, maxStatementBytes: number): Promise<DataChunk> {
  const { plan } = task;
  const upload = new ChunkUpload(target, blob);
  // The promise wrapper keeps the callback connection, whose query emits rows one by one and can pause.
  const core = (worker as unknown as { connection: CoreConnection }).connection;
  const columns = plan.columns.map(quoteIdentifier).join(", ");
  const sql = `SELECT ${columns} FROM ${quoteIdentifier(plan.database)}.${quoteIdentifier(plan.table)}${task.where ? ` WHERE ${task.where}` : ""}`;
  let rows: number;
  try {
    rows = await new Promise<number>((resolve, reject) => {
      let paused = false;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        target.signal.removeEventListener("abort", stopped);
        reject(error);
      };
      // A destroyed connection does not always fail its running query: settle on the abort itself.
      const stopped = () => fail(new Error("the full backup was stopped"));
      if (target.signal.aborted) return stopped();
      target.signal.addEventListener("abort", stopped, { once: true });
      const builder = new InsertBuilder(
        plan.table,
        plan.columns,
        plan.kinds,
        (statement) => {
          if (upload.write(statement) || paused) return;
          paused = true;
          core.pause();
          void upload.drained().then(() => {
            paused = false;
            core.resume();
          });
        },
        maxStatementBytes,
      );
      const query = core.query({ sql, rowsAsArray: true, typeCast: false });
      // Fast path: mysql2 hands each row packet to its row parser; this one feeds the packet's
      // payload straight to the builder instead of allocating a Buffer per value. The count check
      // below notices if a mysql2 upgrade stops consulting `_rowParser`.
      let parsed = 0;
      let results = 0;
      const rawParser = {
        next: (packet: { buffer: Buffer; offset: number; end: number }) => {
          parsed += 1;
          builder.addRawRow(packet.buffer, packet.offset, packet.end);
          return null;
        },
      };
      Object.defineProperty(query, "_rowParser", { get: () => rawParser, set: () => undefined, configurable: true });
      query.on("result", () => {
        results += 1;
      });
      query.on("error", (error: Error) => fail(new Error(`reading ${plan.database}.${plan.table} (${task.range}): ${error.message}`)));
      query.on("end", () => {
        if (failed) return;
        if (parsed !== results) {
          fail(new Error(`mysql2 did not pass ${plan.database}.${plan.table}'s rows through the raw row parser (${parsed} of ${results}); its internals changed: pin mysql2 3.x`));
          return;
        }
        builder.flush();
        target.signal.removeEventListener("abort", stopped);
        resolve(builder.rows);
      });
    });
  } catch (error) {
    upload.destroy(error as Error);
    throw error;
  }
  const file = await upload.finish();
  return { ...file, database: plan.database, table: plan.table, index: task.index, rows, range: task.range };
}
