import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import type { Connection } from "mysql2/promise";
import { ConfigError } from "../../backup/config/config-error";
import { loadRestoreConfig } from "../../backup/config/restore-config";
import { MysqlEndpoint } from "../../backup/config/shared";
import { ChunkCodec, ChunkedBackupManifest } from "../../backup/lib/chunked-manifest";
import { currentBinlogPosition, quoteIdentifier } from "../../backup/lib/mysql-connection";
import { MysqlTools, resolveMysqlTools, toolConnection } from "../../backup/lib/mysql-tools";
import { join } from "node:path";
import { RestoreRun, restoreEnvironment, runRestoreCli } from "../../backup/harness/cli-process";
import { BlobLayout } from "../../backup/lib/blob-layout";
import { listBackupsNewestFirst } from "../../backup/restore/catalog";
import { loadChunkedBackup } from "../../backup/restore/chunk-loader";
import { DumpError } from "../../backup/restore/dump-loader";
import { ChunkSql, corruptBlob, shipBinlogs, writeChunkedBackup, writeSingleStreamBackup } from "./chunked-fixture";
import { CONTAINER, DrFixture } from "./fixture";

/** An SQL string literal escaped as mysql_real_escape_string does (what a chunk holds). */
function quote(text: string): string {
  return `'${text.replace(/[\0\n\r\\'"\x1a]/g, (c) => ({ "\0": "\\0", "\n": "\\n", "\r": "\\r", "\\": "\\\\", "'": "\\'", '"': '\\"', "\x1a": "\\Z" })[c] as string)}'`;
}

const TABLES = `
CREATE TABLE items (
  id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL, body TEXT, price DECIMAL(10,2),
  raw VARBINARY(32), ts TIMESTAMP(6) NULL, dt DATETIME, KEY by_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE TABLE tags (
  id INT PRIMARY KEY, item_id INT NOT NULL, tag VARCHAR(16) NOT NULL, UNIQUE KEY item_tag (item_id, tag),
  CONSTRAINT tags_item FOREIGN KEY (item_id) REFERENCES items (id)
) ENGINE=InnoDB;
CREATE TABLE empty_t (id BIGINT PRIMARY KEY, note VARCHAR(10)) ENGINE=InnoDB;
CREATE VIEW priced AS SELECT id, name, price * 2 AS doubled FROM items;
`;

const OBJECTS = `
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW SET NEW.dt = NOW();
CREATE PROCEDURE count_items(OUT n INT) SELECT COUNT(*) INTO n FROM items;
`;

/** How the source's rows were written: UTC times (what the dump reads them in), an explicit id 0 kept, foreign keys not checked. */
const SOURCE_SESSION_SQL = "SET NAMES utf8mb4; SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0;\n";

/** Rows of `items` with ids [from, to) as INSERT statements of `perStatement` rows, in chunk format (no database name). */
function itemsChunk(from: number, to: number, perStatement = 25): ChunkSql {
  const rows: string[] = [];
  for (let id = from; id < to; id++) {
    const body = id % 7 === 0 ? "NULL" : quote(`line ${id}\nsecond 'line' "quoted" back\\slash \0 nul \x1a ctrl-z ✓ 😀`);
    const raw = id % 5 === 0 ? "NULL" : `X'${Buffer.from([id % 256, 0, 255, 10, 13, 39, 92]).toString("hex")}'`;
    const ts = id % 3 === 0 ? "NULL" : quote(`2024-03-${String(1 + (id % 28)).padStart(2, "0")} 02:${String(id % 60).padStart(2, "0")}:00.${String(id).padStart(6, "0")}`);
    rows.push(`(${id},${quote(`item ${id} é`)},${body},${(id * 1.25).toFixed(2)},${raw},${ts},'2020-01-01 00:00:${String(id % 60).padStart(2, "0")}')`);
  }
  return { database: "chk", table: "items", sql: statements("items", "`id`,`name`,`body`,`price`,`raw`,`ts`,`dt`", rows, perStatement), rows: rows.length, range: `id >= ${from} AND id < ${to}` };
}

/** Tags of items, plus one whose item does not exist: the source allowed it (written with foreign_key_checks=0), so the restore must too. */
function tagsChunk(count: number): ChunkSql {
  const rows = Array.from({ length: count }, (_, i) => `(${i + 1},${i % 200},${quote(`tag-${i % 3}`)})`);
  rows.push(`(${count + 1},9999,'orphan')`);
  return { database: "chk", table: "tags", sql: statements("tags", "`id`,`item_id`,`tag`", rows, 40), rows: rows.length };
}

function statements(table: string, columns: string, rows: string[], perStatement: number): string {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += perStatement) out.push(`INSERT INTO \`${table}\` (${columns}) VALUES ${rows.slice(i, i + perStatement).join(",")};\n`);
  return out.join("");
}

/** Runs SQL through the `mysql` client, as a restore does (so the reference sees the same client). */
function runSql(endpoint: MysqlEndpoint, tools: MysqlTools, sql: string, database?: string): Promise<void> {
  const connection = toolConnection(endpoint, tools);
  const child = spawn(tools.client, [...connection.args, "--max-allowed-packet=1G", ...(database ? [`--database=${database}`] : [])], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.stdin.end(sql);
  return new Promise((resolve, reject) =>
    child.once("close", (code) => {
      connection.dispose();
      if (code === 0) resolve();
      else reject(new Error(`${tools.client} exited with ${code}: ${stderr}`));
    }),
  );
}

/** Output of the dump tool, byte for byte (binary column values are raw bytes in it). */
function dumpTool(endpoint: MysqlEndpoint, tools: MysqlTools, args: string[]): Promise<Buffer> {
  const connection = toolConnection(endpoint, tools);
  const child = spawn(tools.dump, [...connection.args, "--single-transaction", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) =>
    child.once("close", (code) => {
      connection.dispose();
      if (code === 0) resolve(Buffer.concat(stdout));
      else reject(new Error(`${tools.dump} exited with ${code}: ${stderr}`));
    }),
  );
}

async function checksums(connection: Connection, database: string): Promise<Record<string, string>> {
  const [tables] = await connection.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1", [database]);
  const result: Record<string, string> = {};
  for (const { name } of tables as Array<{ name: string }>) {
    const [rows] = await connection.query(`CHECKSUM TABLE ${quoteIdentifier(database)}.${quoteIdentifier(name)}`);
    const [count] = await connection.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(database)}.${quoteIdentifier(name)}`);
    result[name] = `${(rows as Array<{ Checksum: number }>)[0].Checksum} rows=${(count as Array<{ n: number }>)[0].n}`;
  }
  return result;
}

async function objects(connection: Connection, database: string): Promise<string[]> {
  const [rows] = await connection.query(
    "SELECT CONCAT('trigger ', TRIGGER_NAME) AS o FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? " +
      "UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? " +
      "UNION ALL SELECT CONCAT('view ', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1",
    [database, database, database],
  );
  return (rows as Array<{ o: string }>).map((row) => row.o);
}

describe("parallel restore of a chunked (format 2) backup (real MariaDB and Azurite)", function () {
  this.timeout(120_000);
  let dr: DrFixture;
  let tools: MysqlTools;
  let chunks: ChunkSql[];
  let schema: Buffer;
  let post: Buffer;
  let coordinates: { file: string; position: number };
  /** The reference at the backups' coordinates (before the changes the binlogs carry), and its single-stream dump. */
  let atSnapshot: Record<string, string>;
  let singleStream: Buffer;
  const container = () => dr.azurite.adminClient().getContainerClient(CONTAINER);

  before(async () => {
    dr = await DrFixture.start();
    tools = resolveMysqlTools({ flavor: "auto" });
    // The reference: the same SQL loaded into the primary; the backups are made of it.
    chunks = [tagsChunk(150), itemsChunk(0, 80), itemsChunk(80, 160, 7), itemsChunk(160, 240, 80)];
    await runSql(dr.primary.rootEndpoint, tools, `CREATE DATABASE chk CHARACTER SET utf8mb4; USE chk; ${TABLES}`);
    for (const chunk of chunks) await runSql(dr.primary.rootEndpoint, tools, SOURCE_SESSION_SQL + chunk.sql, "chk");
    await runSql(dr.primary.rootEndpoint, tools, OBJECTS, "chk");
    schema = await dumpTool(dr.primary.rootEndpoint, tools, ["--no-data", "--skip-triggers", "--databases", "chk"]);
    post = await dumpTool(dr.primary.rootEndpoint, tools, ["--no-data", "--no-create-info", "--no-create-db", "--triggers", "--routines", "--events", "--databases", "chk"]);
    singleStream = await dumpTool(dr.primary.rootEndpoint, tools, ["--triggers", "--routines", "--events", "--databases", "chk"]);
    coordinates = await dr.onPrimary(async (c) => {
      const position = await currentBinlogPosition(c);
      return { file: position.file, position: position.position };
    });
    atSnapshot = await dr.onPrimary((c) => checksums(c, "chk"));
    // What the binlogs after the backups carry; every restore that replays must end equal to this.
    await dr.onPrimary(async (c) => {
      await c.query("INSERT INTO chk.items (name, body, price) VALUES ('after the backup', 'replayed', 9.99)");
      await c.query("UPDATE chk.items SET price = price + 1 WHERE id % 9 = 0");
      await c.query("DELETE FROM chk.tags WHERE id % 4 = 0");
      await c.query("INSERT INTO chk.empty_t VALUES (1, 'no longer')");
      await c.query("FLUSH BINARY LOGS");
    });
  });

  after(async () => {
    await dr?.destroy();
  });

  async function backup(prefix: string, codec: ChunkCodec = "zstd", backupId?: string): Promise<ChunkedBackupManifest> {
    return writeChunkedBackup(container(), {
      backupId,
      prefix,
      epoch: "e1",
      databases: ["chk"],
      coordinates,
      schema,
      post,
      chunks,
      emptyTables: [{ database: "chk", table: "empty_t" }],
      codec,
    });
  }

  async function loadInto(staging: string, manifest: ChunkedBackupManifest, sessions: number) {
    return loadChunkedBackup(container(), manifest, { kind: "load", target: dr.target.rootEndpoint, tools, renames: new Map([["chk", staging]]) }, { sessions });
  }

  for (const [codec, sessions] of [["zstd", 3], ["gzip", 1]] as const) {
    it(`loads every chunk (${codec}, ${sessions} session(s)) into the staging database: CHECKSUM TABLE equal to the reference on every table`, async () => {
      const manifest = await backup(`direct-${codec}/`, codec);
      const staging = `chk__dr_restore_${codec}`;
      const report = await loadInto(staging, manifest, sessions);
      assert.deepEqual(report.phases.map((phase) => phase.name), ["load-schema", "load-data", "load-post"]);
      assert.equal(report.chunks, 4);
      assert.ok((report.rewrite?.definers ?? 0) >= 2, "the DEFINERs of the view, trigger and procedure are rewritten");
      assert.deepEqual(Object.keys(atSnapshot), ["empty_t", "items", "tags"]);
      assert.deepEqual(await dr.onTarget((c) => checksums(c, staging)), atSnapshot);
      assert.deepEqual(await dr.onTarget((c) => objects(c, staging)), await dr.onPrimary((c) => objects(c, "chk")));
      await dr.onTarget((c) => c.query(`DROP DATABASE ${staging}`));
    });
  }

  it("refuses a chunk whose bytes differ from the manifest (same size) and a missing chunk, naming the blob", async () => {
    const corrupt = await backup("direct-corrupt/");
    const victim = corrupt.chunks[2];
    await corruptBlob(container(), victim.blob);
    await assert.rejects(loadInto("chk__dr_restore_bad", corrupt, 2), (error: Error) => {
      assert.ok(error instanceof DumpError, String(error));
      assert.match(error.message, new RegExp(`${corrupt.backupId}: data chunk ${victim.blob} \\(chk\\.items #1, id >= 80 AND id < 160\\) is corrupt`));
      return true;
    });
    const verify = loadChunkedBackup(container(), corrupt, { kind: "verify" }, { sessions: 4 });
    await assert.rejects(verify, /data chunk \S+ \(chk\.items #1.*is corrupt/);
    const missing = await backup("direct-missing/");
    await container().getBlobClient(missing.chunks[0].blob).delete();
    await assert.rejects(loadInto("chk__dr_restore_missing", missing, 2), (error: Error) => {
      assert.ok(error instanceof DumpError, String(error));
      assert.match(error.message, new RegExp(`data chunk ${missing.chunks[0].blob} \\(chk\\.tags #0, whole table\\) is missing from the container`));
      return true;
    });
    await dr.onTarget((c) => c.query("DROP DATABASE IF EXISTS chk__dr_restore_bad"));
    await dr.onTarget((c) => c.query("DROP DATABASE IF EXISTS chk__dr_restore_missing"));
  });

  it("the catalog rejects a chunked backup from the listing alone: a blob missing or at another size", async () => {
    const sound = await backup("listing/", "zstd", "20260101T000000Z-000001");
    const truncated = await backup("listing/", "zstd", "20260101T000001Z-000002");
    const chunk = container().getBlockBlobClient(truncated.chunks[1].blob);
    const bytes = await chunk.downloadToBuffer();
    await chunk.uploadData(bytes.subarray(0, bytes.length - 5));
    const missing = await backup("listing/", "zstd", "20260101T000002Z-000003");
    await container().getBlobClient(missing.post.blob).delete();
    const entries = await listBackupsNewestFirst(container(), new BlobLayout("listing/"));
    assert.deepEqual(
      entries.map((entry) => [entry.backupId, entry.problem]),
      [
        [missing.backupId, `post-data blob ${missing.post.blob} is missing: the backup is incomplete`],
        [truncated.backupId, `data chunk chk.items #0 ${truncated.chunks[1].blob} is ${bytes.length - 5} bytes, manifest says ${bytes.length}`],
        [sound.backupId, undefined],
      ],
    );
  });

  it("verifies every blob of a sound backup without a database", async () => {
    const manifest = await backup("direct-verify/");
    const report = await loadChunkedBackup(container(), manifest, { kind: "verify" }, { sessions: 4 });
    assert.deepEqual(report.phases.map((phase) => phase.name), ["verify-dump"]);
    assert.equal(report.compressedBytes, [manifest.schema, manifest.post, ...manifest.chunks].reduce((sum, file) => sum + file.compressedBytes, 0));
  });

  /** Ships the primary's binlogs from the backups' coordinates under `prefix` and runs the restore CLI there. */
  async function restore(prefix: string, args: string[] = [], sessions = "3"): Promise<RestoreRun> {
    await shipBinlogs(container(), prefix, "e1", `${dr.primary.dir}/data`, coordinates.file);
    const env = { ...restoreEnvironment(dr.target.rootEndpoint, dr.restoreBlob(prefix), join(dr.work, `restore-${prefix.replace("/", "")}-${Date.now()}`)), DR_RESTORE_SESSIONS: sessions };
    return runRestoreCli(env, args);
  }

  const targetState = () => dr.onTarget((c) => checksums(c, "chk"));
  const primaryState = () => dr.onPrimary((c) => checksums(c, "chk"));
  const leftovers = () =>
    dr.onTarget(async (c) => {
      const [rows] = await c.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_\\_dr\\_%' ORDER BY 1");
      return (rows as Array<{ name: string }>).map((row) => row.name);
    });
  const dropTarget = () => dr.onTarget((c) => c.query("DROP DATABASE IF EXISTS chk"));

  it("mysql-dr restore loads a chunked backup with DR_RESTORE_SESSIONS sessions, replays the binlogs and ends identical to the source", async () => {
    await dropTarget();
    const manifest = await backup("cli/");
    const run = await restore("cli/");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const result = run.result!;
    assert.equal(result.backupId, manifest.backupId);
    assert.deepEqual(result.phases.map((phase) => phase.name), ["catalog", "fetch-binlogs", "filter-binlogs", "load-schema", "load-data", "load-post", "check-dump", "replay-binlogs", "verify", "swap"]);
    assert.ok(result.verification.some((line) => /4 data chunk\(s\).* 3 session\(s\)/.test(line)), result.verification.join("\n"));
    assert.notDeepEqual(await primaryState(), atSnapshot, "the binlogs carry changes");
    assert.deepEqual(await targetState(), await primaryState());
    assert.deepEqual(await dr.onTarget((c) => objects(c, "chk")), await dr.onPrimary((c) => objects(c, "chk")));
    assert.deepEqual(await leftovers(), []);
  });

  it("--dump-only restores the chunked backup alone, to its snapshot", async () => {
    await dropTarget();
    const run = await restore("cli/", ["--dump-only"]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await targetState(), atSnapshot);
  });

  it("--verify-only checks every chunk's sha256 without a database; a corrupt chunk is reported and the older backup verified", async () => {
    await dropTarget();
    const sound = await restore("cli/", ["--verify-only"]);
    assert.equal(sound.code, 0, sound.stderr + sound.stdout);
    assert.ok(sound.result!.phases.some((phase) => phase.name === "verify-dump"));
    assert.deepEqual(sound.result!.skippedBackups, []);
    const older = await backup("verify/", "zstd", "20260101T000000Z-000001");
    const newer = await backup("verify/", "zstd", "20260101T000001Z-000002");
    await corruptBlob(container(), newer.chunks[1].blob);
    const run = await restore("verify/", ["--verify-only"]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.result!.backupId, older.backupId);
    assert.equal(run.result!.skippedBackups[0].backupId, newer.backupId);
    assert.match(run.result!.skippedBackups[0].reason, new RegExp(`data chunk ${newer.chunks[1].blob} .* is corrupt`));
    assert.equal(await dr.targetHasDatabase("chk"), false, "verify-only touched no database");
    assert.deepEqual(await leftovers(), []);
  });

  it("a corrupt chunk in the newest backup is refused and the previous (single-stream, format 1) backup restored", async () => {
    await dropTarget();
    const older = await writeSingleStreamBackup(container(), {
      prefix: "fallback/",
      backupId: "20260101T000000Z-000001",
      epoch: "e1",
      databases: ["chk"],
      coordinates,
      sql: singleStream,
      tables: [
        { database: "chk", table: "empty_t", rows: 0 },
        { database: "chk", table: "items", rows: 240 },
        { database: "chk", table: "tags", rows: 151 },
      ],
    });
    const newer = await backup("fallback/", "zstd", "20260101T000001Z-000002");
    await corruptBlob(container(), newer.chunks[0].blob);
    const run = await restore("fallback/");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.result!.backupId, older.backupId);
    assert.deepEqual(run.result!.skippedBackups.map((skipped) => skipped.backupId), [newer.backupId]);
    assert.match(run.result!.skippedBackups[0].reason, new RegExp(`data chunk ${newer.chunks[0].blob} .* is corrupt`));
    assert.ok(run.result!.phases.some((phase) => phase.name === "load-dump"), "the format-1 dump was streamed as before");
    assert.deepEqual(await targetState(), await primaryState());
    assert.deepEqual(await leftovers(), []);
  });

  it("a backup with a missing chunk is refused from the listing and the previous one restored", async () => {
    await dropTarget();
    const older = await backup("missing/", "gzip", "20260101T000000Z-000001");
    const newer = await backup("missing/", "zstd", "20260101T000001Z-000002");
    await container().getBlobClient(newer.chunks[3].blob).delete();
    const run = await restore("missing/", [], "1");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.result!.backupId, older.backupId);
    assert.equal(run.result!.skippedBackups[0].backupId, newer.backupId);
    assert.match(run.result!.skippedBackups[0].reason, new RegExp(`${newer.chunks[3].blob.replace(/[.]/g, "\\.")} is missing`));
    assert.deepEqual(await targetState(), await primaryState());
  });

  it("reads DR_RESTORE_SESSIONS: 4 by default, 1 to 64, anything else refused naming the setting", () => {
    const base = {
      DR_TARGET_HOST: "localhost",
      DR_TARGET_USER: "root",
      DR_TARGET_SSL_CA: dr.target.pki.caFile,
      DR_BLOB_CONTAINER_URL: "https://a.blob.core.windows.net/c",
      DR_BLOB_SAS: "sv=2025-01-05&sp=rl&sr=c&sig=abc",
    };
    assert.equal(loadRestoreConfig(base, "/tmp/w").restoreSessions, 4);
    assert.equal(loadRestoreConfig({ ...base, DR_RESTORE_SESSIONS: "2" }, "/tmp/w").restoreSessions, 2);
    for (const bad of ["0", "65", "two"]) {
      assert.throws(
        () => loadRestoreConfig({ ...base, DR_RESTORE_SESSIONS: bad }, "/tmp/w"),
        (error: ConfigError) => error.problems.join() === `DR_RESTORE_SESSIONS must be an integer from 1 to 64, got "${bad}"`,
      );
    }
  });

  it("--replace with only a corrupt chunked backup fails and leaves the target's database as it was", async () => {
    await dr.onTarget((c) => c.query("INSERT INTO chk.empty_t VALUES (42, 'target')"));
    const before = await targetState();
    const only = await backup("replace/");
    await corruptBlob(container(), only.chunks[2].blob);
    const run = await restore("replace/", ["--replace"]);
    assert.notEqual(run.code, 0, run.stdout);
    assert.equal(run.result!.targetChanged, false);
    assert.match(run.result!.error!, new RegExp(`none of the 1 full backup\\(s\\).*${only.backupId}.*data chunk .* is corrupt`));
    assert.deepEqual(await targetState(), before);
    assert.deepEqual(await leftovers(), []);
  });
});
