import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Connection } from "mysql2/promise";
import { ContainerClient } from "@azure/storage-blob";
import { runFullBackup } from "../../backup/agent/full-backup";
import { ChunkedBackupOptions, runChunkedBackup } from "../../backup/dump/chunked-backup";
import { InsertBuilder } from "../../backup/dump/row-sql";
import { readDumpSettings } from "../../backup/dump/settings";
import { lockStatements } from "../../backup/dump/snapshot";
import { ConfigReader } from "../../backup/config/reader";
import { DrStack, startDrStack } from "../../backup/harness/stack";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";
import { compareBinlogNames } from "../../backup/lib/binlog-names";
import { createContainerClient } from "../../backup/lib/blob-client";
import { BlobLayout } from "../../backup/lib/blob-layout";
import { ChunkFile, ChunkedBackupManifest, chunkedManifestProblems } from "../../backup/lib/chunked-manifest";
import { silentLogger } from "../../backup/lib/log";
import { manifestProblems } from "../../backup/lib/manifest";
import { listServerBinlogs } from "../../backup/lib/mysql-connection";
import { MysqlTools, resolveMysqlTools } from "../../backup/lib/mysql-tools";
import { FilterStats, filterBinlogFile } from "../../backup/restore/binlog-filter";
import { loadChunkedBackup } from "../../backup/restore/chunk-loader";
import { replayBinlogs } from "../../backup/restore/replay";

const CONTAINER = "chunked";
const ACCOUNTS = 2_000;
const OPENING_BALANCE = 1_000;

async function withConnection<T>(instance: MariaDbInstance, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await instance.rootConnection();
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** CHECKSUM TABLE of every base table of a database. */
async function checksums(instance: MariaDbInstance, database: string): Promise<Record<string, string>> {
  return withConnection(instance, async (c) => {
    const [tables] = await c.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1", [database]);
    const result: Record<string, string> = {};
    for (const { name } of tables as Array<{ name: string }>) {
      const [rows] = await c.query(`CHECKSUM TABLE \`${database}\`.\`${name}\` EXTENDED`);
      result[name] = String((rows as Array<{ Checksum: string | number | null }>)[0].Checksum);
    }
    return result;
  });
}

/** Money moves between accounts in multi-row transactions over two tables until stopped. */
function startTransfers(primary: MariaDbInstance, database: string, sessions = 3): { done: () => number; stop: () => Promise<number> } {
  let running = true;
  let done = 0;
  const loops = Array.from({ length: sessions }, async (_, session) => {
    const c = await primary.rootConnection();
    try {
      let i = 0;
      while (running) {
        i += 1;
        const from = 1 + ((i * 7919 + session * 104_729) % ACCOUNTS);
        const to = 1 + ((i * 6_007 + session * 15_485_863) % ACCOUNTS);
        const amount = 1 + (i % 50);
        try {
          await c.query("START TRANSACTION");
          await c.query(`UPDATE ${database}.accounts SET balance = balance - ?, moves = moves + 1 WHERE id = ?`, [amount, from]);
          await c.query(`INSERT INTO ${database}.ledger (from_id, to_id, amount, note) VALUES (?, ?, ?, ?)`, [from, to, amount, `s${session} #${i} 'quoted' \\ ü`]);
          await c.query(`UPDATE ${database}.accounts SET balance = balance + ?, moves = moves + 1 WHERE id = ?`, [amount, to]);
          if (i % 10 === 0) await c.query(`INSERT INTO ${database}.accounts (balance, moves) VALUES (0, 0)`);
          await c.query("COMMIT");
          done += 1;
        } catch (error) {
          await c.query("ROLLBACK").catch(() => undefined);
          if ((error as { errno?: number }).errno !== 1213) throw error; // deadlock between two transfers: retry
        }
      }
    } finally {
      await c.end();
    }
  });
  return {
    done: () => done,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return done;
    },
  };
}

/** Accounts whose balance disagrees with their ledger, and the total (must stay ACCOUNTS * OPENING_BALANCE). */
async function invariants(instance: MariaDbInstance, database: string): Promise<{ total: number; unbalanced: number; ledger: number }> {
  return withConnection(instance, async (c) => {
    const [sum] = await c.query(`SELECT CAST(SUM(balance) AS SIGNED) AS total FROM ${database}.accounts`);
    const [bad] = await c.query(
      `SELECT COUNT(*) AS n FROM ${database}.accounts a WHERE a.balance <> IF(a.id <= ${ACCOUNTS}, ${OPENING_BALANCE}, 0)
         - IFNULL((SELECT SUM(amount) FROM ${database}.ledger WHERE from_id = a.id), 0)
         + IFNULL((SELECT SUM(amount) FROM ${database}.ledger WHERE to_id = a.id), 0)`,
    );
    const [ledger] = await c.query(`SELECT COUNT(*) AS n FROM ${database}.ledger`);
    return { total: Number((sum as Array<{ total: number }>)[0].total), unbalanced: Number((bad as Array<{ n: number }>)[0].n), ledger: Number((ledger as Array<{ n: number }>)[0].n) };
  });
}

describe("chunked full backup: parallel sessions, one snapshot (real MariaDB and Azurite)", function () {
  this.timeout(120_000);
  let work: string;
  let stack: DrStack;
  let tools: MysqlTools;
  let reader: ContainerClient;

  before(async () => {
    work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-chunked-"));
    stack = await startDrStack(work);
    await stack.azurite.adminClient().getContainerClient(CONTAINER).createIfNotExists();
    reader = stack.azurite.adminClient().getContainerClient(CONTAINER);
    tools = resolveMysqlTools({ flavor: "auto" });
  });

  after(async () => {
    await Promise.all([stack?.azurite.destroy(), stack?.primary.destroy(), stack?.target.destroy()]);
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  async function backup(prefix: string, databases: string[], extra: Partial<ChunkedBackupOptions> = {}): Promise<ChunkedBackupManifest> {
    const [first] = await withConnection(stack.primary, listServerBinlogs);
    return runChunkedBackup({
      // The agent's own SAS: create and write, no read or list.
      container: createContainerClient(stack.azurite.sasFor(CONTAINER, "caw", prefix)),
      layout: new BlobLayout(prefix),
      source: stack.primary.agentEndpoint,
      tools,
      databases,
      epoch: "test-epoch",
      epochStartFile: first,
      log: silentLogger,
      ...extra,
    });
  }

  /** Loads a backup into the target with the restore side's chunk loader, into the original database names. */
  async function load(manifest: ChunkedBackupManifest): Promise<void> {
    await withConnection(stack.target, async (c) => {
      for (const database of manifest.databases) await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    });
    await loadChunkedBackup(reader, manifest, { kind: "load", target: stack.target.rootEndpoint, tools, renames: new Map(manifest.databases.map((d) => [d, d])) }, { sessions: 3 });
  }

  async function text(manifest: ChunkedBackupManifest, file: ChunkFile): Promise<string> {
    const bytes = await reader.getBlobClient(file.blob).downloadToBuffer();
    const raw = manifest.codec === "zstd" ? execFileSync("zstd", ["-d", "-q", "-c"], { input: bytes, maxBuffer: 1 << 30 }) : gunzipSync(bytes);
    return raw.toString("utf8");
  }

  /** Replays the primary's binlogs from the backup's coordinates (only `database`) into the target. */
  async function replayFrom(manifest: ChunkedBackupManifest, database: string): Promise<FilterStats> {
    const files = (await withConnection(stack.primary, listServerBinlogs)).filter((file) => compareBinlogNames(file, manifest.coordinates.file) >= 0);
    const stats: FilterStats = { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] };
    const filtered: string[] = [];
    for (const file of files) {
      const out = join(work, `replay-${manifest.backupId}-${file}`);
      await filterBinlogFile(join(stack.primary.dir, "data", file), out, file === manifest.coordinates.file ? manifest.coordinates.position : 0, [database], stats);
      filtered.push(out);
    }
    await replayBinlogs({ files: filtered }, stack.target.rootEndpoint, tools);
    return stats;
  }

  it("dumps every MySQL type family byte for byte, leaves generated columns out, and splits integer keys into ranges", async () => {
    const blob = Buffer.alloc(100_000);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 131 + (i >> 8)) % 256;
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await withConnection(stack.primary, async (c) => {
      await c.query("CREATE DATABASE types_db CHARACTER SET utf8mb4");
      await c.query("USE types_db");
      await c.query(`CREATE TABLE types_db.t_types (
        id BIGINT UNSIGNED PRIMARY KEY,
        ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT, bu BIGINT UNSIGNED,
        d DECIMAL(65,30), f FLOAT, db DOUBLE, b1 BIT(1), b64 BIT(64), y YEAR,
        dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(3),
        c CHAR(10), vc VARCHAR(200), tx TEXT, lt VARCHAR(50) CHARACTER SET latin1,
        e ENUM('a', 'b', 'it''s'), s SET('x', 'y', 'z'), j JSON,
        bin BINARY(4), vb VARBINARY(300), bl MEDIUMBLOB, g POINT NULL, u UUID, ip INET6,
        gv BIGINT AS (i * 2) VIRTUAL, gs VARCHAR(220) AS (CONCAT(vc, '!')) PERSISTENT,
        KEY (gv))`);
      await c.query("SET SESSION time_zone = '+00:00'");
      await c.query(
        `INSERT INTO types_db.t_types (id, ti, tiu, si, mi, i, bi, bu, d, f, db, b1, b64, y, dt, dtm, ts, tm, c, vc, tx, lt, e, s, j, bin, vb, bl, g, u, ip)
         VALUES (1, -128, 255, -32768, -8388608, -2147483648, -9223372036854775808, 18446744073709551615,
           '-12345678901234567890.123456789012345678901234567890', 0.1, 1.7976931348623157e308, b'1', b'1000000000000000000000000000000000000000000000000000000000000001', 2155,
           '0000-00-00', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '-838:59:59.000',
           'ab', ?, ?, 'café', 'it''s', 'x,z', ?, ?, ?, ?, ST_PointFromText('POINT(1.5 -2)'), '123e4567-e89b-12d3-a456-426614174000', '::ffff:10.0.0.1')`,
        [
          "it's \"q\" \\ back\\slash\nnew\r\u001a\u0000 end ;),( INSERT",
          "😀 ünïcödé 中文 \\n not a newline",
          JSON.stringify({ a: [1, "two\n", null], b: "😀", c: "it's" }),
          Buffer.from([0x00, 0xff, 0x0a, 0x27]),
          everyByte,
          blob,
        ],
      );
      await c.query("INSERT INTO types_db.t_types (id) VALUES (2)");
      await c.query(
        "INSERT INTO types_db.t_types (id, c, vc, tx, bin, vb, bl, dt, dtm, ts, tm, b1, y, j) VALUES (3, '', '', '', '', '', '', '2024-02-29', '0000-00-00 00:00:00', '1970-01-01 00:00:01', '00:00:00.001', b'0', 0, '[]')",
      );
      await c.query("CREATE TABLE types_db.multi (id INT PRIMARY KEY, v VARCHAR(80), KEY (v))");
      await c.query("INSERT INTO types_db.multi SELECT seq, CONCAT('row ', seq, ' ', REPEAT('.', 60)) FROM seq_0_to_999");
      await c.query("UPDATE types_db.multi SET id = id - 500");
      await c.query("CREATE TABLE types_db.nopk (a INT, b VARCHAR(10))");
      await c.query("INSERT INTO types_db.nopk VALUES (1, 'x'), (1, 'x'), (NULL, NULL)");
      await c.query("CREATE TABLE types_db.composite (a INT, b VARCHAR(10), c INT, PRIMARY KEY (a, b))");
      await c.query("INSERT INTO types_db.composite VALUES (1, 'a', 1), (1, 'b', 2), (2, 'a', 3)");
      await c.query("CREATE TABLE types_db.empty_t (id INT PRIMARY KEY)");
      await c.query("CREATE FUNCTION types_db.twice(n INT) RETURNS INT DETERMINISTIC RETURN n * 2");
      // A view calling a stored function: the function must exist before the view is created.
      await c.query("CREATE VIEW types_db.v_multi AS SELECT id, types_db.twice(id) AS doubled, v FROM types_db.multi WHERE id > 0");
      await c.query("CREATE TRIGGER types_db.multi_bi BEFORE INSERT ON types_db.multi FOR EACH ROW SET NEW.v = UPPER(NEW.v)");
      await c.query("CREATE PROCEDURE types_db.p_count() SELECT COUNT(*) FROM types_db.multi");
      await c.query("CREATE EVENT types_db.ev_noop ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1");
      // Dump sessions must read TIMESTAMPs in UTC whatever the server's zone is.
      await c.query("SET GLOBAL time_zone = '+09:00'");
    });
    let manifest: ChunkedBackupManifest;
    try {
      manifest = await backup("types/", ["types_db"], { sessions: 3, chunkRows: 100, maxStatementBytes: 4_096 });
    } finally {
      await withConnection(stack.primary, (c) => c.query("SET GLOBAL time_zone = SYSTEM"));
    }
    assert.deepEqual(chunkedManifestProblems(manifest), []);
    assert.equal(manifest.codec, "zstd");
    assert.equal(manifest.snapshotMethod, "binlog-snapshot");
    assert.equal(manifest.sessions, 3);
    assert.deepEqual(
      manifest.tables.map((t) => `${t.table}=${t.rows}`),
      ["composite=3", "empty_t=0", "multi=1000", "nopk=3", "t_types=3"],
    );
    const multi = manifest.chunks.filter((chunk) => chunk.table === "multi");
    // Ranges of about chunkRows keys (the server's row estimate sizes them), contiguous, in key order.
    assert.ok(multi.length >= 8 && multi.length <= 12, multi.map((chunk) => chunk.range).join("; "));
    assert.deepEqual(multi.map((chunk) => chunk.index), [...multi.keys()]);
    assert.match(multi[0].range, /^id >= -500 AND id < -\d+$/);
    assert.match(multi.at(-1)!.range, /^id >= \d+$/);
    multi.slice(1).forEach((chunk, i) => assert.equal(chunk.range.split(" ")[2], multi[i].range.split(" ").at(-1)));
    assert.equal(multi.reduce((sum, chunk) => sum + chunk.rows, 0), 1000);
    assert.deepEqual(manifest.chunks.filter((c) => c.table === "composite" || c.table === "nopk").map((c) => c.range), ["whole table", "whole table"]);

    const types = await text(manifest, manifest.chunks.find((chunk) => chunk.table === "t_types")!);
    const lines = types.split("\n").filter(Boolean);
    assert.ok(lines.every((line) => line.startsWith("INSERT INTO `t_types` (`id`,`ti`,") && line.endsWith(");")), types.slice(0, 300));
    assert.ok(!/`gv`|`gs`/.test(lines[0].slice(0, lines[0].indexOf(" VALUES "))), "generated columns are not in the column list");
    assert.ok(types.includes("'2038-01-19 03:14:07.999999'"), "TIMESTAMP written in UTC");
    assert.ok(types.includes("'0000-00-00'"), "zero date kept");
    assert.ok(types.includes("'it\\'s \\\"q\\\" \\\\ back\\\\slash\\nnew\\r\\Z\\0 end ;),( INSERT'"), "strings escaped as mysqldump does");
    assert.ok(types.includes(`X'${everyByte.toString("hex")}'`), "binary as hex");
    assert.equal(lines.length, 2, "the 100 kB row gets a statement of its own, the others share one");
    const multiLines = (await text(manifest, multi[0])).split("\n").filter(Boolean);
    assert.ok(multiLines.length > 1 && multiLines.every((line) => Buffer.byteLength(line) + 1 <= 4_096), `statements at most 4096 bytes: ${multiLines.map((l) => l.length)}`);
    assert.match(await text(manifest, manifest.post), /TRIGGER (`?types_db`?\.)?`?multi_bi`? BEFORE INSERT/);
    assert.match(await text(manifest, manifest.post), /EVENT `ev_noop`/);
    const schemaSql = await text(manifest, manifest.schema);
    assert.doesNotMatch(schemaSql, /TRIGGER|EVENT `ev_noop`/);
    assert.ok(schemaSql.indexOf("PROCEDURE `p_count`") > 0 && schemaSql.indexOf("FUNCTION `twice`") < schemaSql.lastIndexOf("VIEW `v_multi`"), "routines before the views that call them");

    await load(manifest);
    assert.deepEqual(await checksums(stack.target, "types_db"), await checksums(stack.primary, "types_db"));
    const objects = await withConnection(stack.target, async (c) => {
      const [rows] = await c.query(
        `SELECT 'view' AS kind, TABLE_NAME AS name FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'types_db'
         UNION ALL SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'types_db'
         UNION ALL SELECT 'routine', ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'types_db'
         UNION ALL SELECT 'event', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'types_db' ORDER BY 1, 2`,
      );
      return (rows as Array<{ kind: string; name: string }>).map((row) => `${row.kind}:${row.name}`);
    });
    assert.deepEqual(objects, ["event:ev_noop", "routine:p_count", "routine:twice", "trigger:multi_bi", "view:v_multi"]);
    // The trigger was created after the rows: restored rows are unchanged (not upper-cased).
    const restoredRow = await withConnection(stack.target, async (c) => ((await c.query("SELECT v FROM types_db.multi WHERE id = 1"))[0] as Array<{ v: string }>)[0].v);
    assert.equal(restoredRow, `row 501 ${".".repeat(60)}`);
  });

  it("falls back to gzip and still restores identical data", async () => {
    const manifest = await backup("types-gzip/", ["types_db"], { sessions: 2, chunkRows: 300, codec: "gzip" });
    assert.equal(manifest.codec, "gzip");
    assert.ok(manifest.chunks.every((chunk) => chunk.blob.endsWith(".sql.gz")) && manifest.schema.blob.endsWith("/schema.sql.gz"));
    await load(manifest);
    assert.deepEqual(await checksums(stack.target, "types_db"), await checksums(stack.primary, "types_db"));
  });

  for (const method of ["binlog-snapshot", "lock-tables"] as const) {
    it(`stays consistent under concurrent transfers with ${method}: sums hold in the dump, and replay from its coordinates converges to the source`, async () => {
      const database = `bank_${method.replace("-", "_")}`;
      await withConnection(stack.primary, async (c) => {
        await c.query(`CREATE DATABASE ${database}`);
        await c.query(`USE ${database}`);
        await c.query(`CREATE TABLE ${database}.accounts (id INT AUTO_INCREMENT PRIMARY KEY, balance BIGINT NOT NULL, moves INT NOT NULL)`);
        await c.query(
          `CREATE TABLE ${database}.ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, from_id INT NOT NULL, to_id INT NOT NULL, amount INT NOT NULL, note VARCHAR(64), KEY (from_id), KEY (to_id))`,
        );
        await c.query(`INSERT INTO ${database}.accounts (id, balance, moves) SELECT seq, ${OPENING_BALANCE}, 0 FROM seq_1_to_${ACCOUNTS}`);
        await c.query(`INSERT INTO ${database}.ledger (from_id, to_id, amount, note) SELECT 1 + seq % ${ACCOUNTS}, 1 + (seq * 7) % ${ACCOUNTS}, 0, 'opening' FROM seq_1_to_3000`);
      });
      const transfers = startTransfers(stack.primary, database);
      let manifest: ChunkedBackupManifest;
      let before: number;
      let during: number;
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        before = transfers.done();
        manifest = await backup(`${database}/`, [database], { sessions: 3, chunkRows: 250, snapshotMethod: method });
        during = transfers.done() - before;
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await transfers.stop();
      }
      assert.ok(before > 0 && during > 0, `transfers ran before (${before}) and during (${during}) the backup`);
      assert.equal(manifest.snapshotMethod, method);
      assert.ok(manifest.chunks.filter((chunk) => chunk.table === "ledger").length >= 8);

      await load(manifest);
      const restored = await invariants(stack.target, database);
      assert.equal(restored.total, ACCOUNTS * OPENING_BALANCE, "no money created or lost in the dump");
      assert.equal(restored.unbalanced, 0, "every balance matches its ledger rows: both tables from one snapshot");
      const source = await invariants(stack.primary, database);
      assert.ok(restored.ledger < source.ledger, "the dump is older than the final state: writes continued after the snapshot");
      assert.equal(restored.ledger, manifest.tables.find((t) => t.table === "ledger")!.rows);

      const replayed = await replayFrom(manifest, database);
      assert.ok(replayed.keptTransactions >= source.ledger - restored.ledger, `${replayed.keptTransactions} transactions replayed`);
      assert.deepEqual(await checksums(stack.target, database), await checksums(stack.primary, database));
    });
  }

  it("is what the agent's full backup takes by default; DR_DUMP_FORMAT=single-stream keeps format 1", async () => {
    const [first] = await withConnection(stack.primary, listServerBinlogs);
    const common = {
      layout: new BlobLayout("formats/"),
      source: stack.primary.agentEndpoint,
      tools,
      databases: ["types_db"],
      epoch: "test-epoch",
      epochStartFile: first,
      serverVersion: "10.11",
      gzipLevel: 1,
      log: silentLogger,
    };
    const container = createContainerClient(stack.azurite.sasFor(CONTAINER, "caw", "formats/"));
    const chunked = await runFullBackup({ ...common, container });
    assert.equal(chunked.formatVersion, 2);
    assert.deepEqual(chunkedManifestProblems(chunked), []);
    const single = await runFullBackup({ ...common, container, dump: { format: "single-stream", sessions: 4, chunkRows: 100_000, snapshotMethod: "auto" } });
    assert.equal(single.formatVersion, 1);
    assert.deepEqual(manifestProblems(single), []);
    const tuned = await runFullBackup({ ...common, container, dump: { format: "chunked", sessions: 2, chunkRows: 400, snapshotMethod: "lock-tables" } });
    assert.ok(tuned.formatVersion === 2 && tuned.sessions === 2 && tuned.snapshotMethod === "lock-tables");
    const multiChunks = tuned.chunks.filter((chunk) => chunk.table === "multi").length;
    assert.ok(multiChunks >= 2 && multiChunks <= 3, `${multiChunks} chunks of about 400 of 1000 rows`);
  });

  it("stops on abort without writing a manifest", async () => {
    const abort = new AbortController();
    const attempt = backup("aborted/", ["bank_lock_tables"], { sessions: 2, chunkRows: 50, signal: abort.signal, onProgress: () => abort.abort() });
    await assert.rejects(attempt, /stopped/);
    const names: string[] = [];
    for await (const blob of reader.listBlobsFlat({ prefix: "aborted/" })) names.push(blob.name);
    assert.ok(names.length > 0, "some chunks were written before the abort");
    assert.ok(!names.some((name) => name.endsWith("manifest.json")), names.join("\n"));
  });

  it("splits LOCK TABLES into statements of bounded size, one per session", () => {
    const tables = Array.from({ length: 30 }, (_, i) => ({ database: "db", table: `table_${String(i).padStart(2, "0")}` }));
    const statements = lockStatements(tables, 200);
    assert.ok(statements.length > 1);
    assert.ok(statements.every((statement) => statement.length <= 200 + "LOCK TABLES ".length));
    assert.equal(statements.join(", ").match(/READ/g)!.length, 30);
    assert.equal(lockStatements(tables, 1_000_000).length, 1);
  });
});

describe("dump settings (DR_DUMP_FORMAT, DR_DUMP_SESSIONS, DR_DUMP_CHUNK_ROWS, DR_SNAPSHOT_METHOD)", () => {
  const rows: Array<{ env: Record<string, string>; expect?: object; problem?: RegExp }> = [
    { env: {}, expect: { format: "chunked", sessions: 4, chunkRows: 100_000, snapshotMethod: "auto" } },
    { env: { DR_DUMP_FORMAT: "single-stream" }, expect: { format: "single-stream" } },
    { env: { DR_DUMP_SESSIONS: "8", DR_DUMP_CHUNK_ROWS: "50000", DR_SNAPSHOT_METHOD: "lock-tables" }, expect: { sessions: 8, chunkRows: 50_000, snapshotMethod: "lock-tables" } },
    { env: { DR_DUMP_FORMAT: "parallel" }, problem: /^DR_DUMP_FORMAT must be one of chunked, single-stream, got "parallel"$/ },
    { env: { DR_DUMP_SESSIONS: "0" }, problem: /^DR_DUMP_SESSIONS must be an integer from 1 to 32, got "0"$/ },
    { env: { DR_DUMP_SESSIONS: "four" }, problem: /^DR_DUMP_SESSIONS must be an integer from 1 to 32, got "four"$/ },
    { env: { DR_DUMP_CHUNK_ROWS: "12.5" }, problem: /^DR_DUMP_CHUNK_ROWS must be an integer from 1 to 100000000, got "12.5"$/ },
    { env: { DR_SNAPSHOT_METHOD: "ftwrl" }, problem: /^DR_SNAPSHOT_METHOD must be one of auto, binlog-snapshot, lock-tables, got "ftwrl"$/ },
    {
      env: { DR_DUMP_FORMAT: "single-stream", DR_DUMP_SESSIONS: "8" },
      problem: /^DR_DUMP_SESSIONS has no effect with DR_DUMP_FORMAT=single-stream \(one mysqldump session\): unset DR_DUMP_SESSIONS or set DR_DUMP_FORMAT=chunked$/,
    },
  ];
  for (const row of rows) {
    it(`${JSON.stringify(row.env)} -> ${row.problem ? row.problem.source.slice(1, 40) : JSON.stringify(row.expect)}`, () => {
      const reader = new ConfigReader(row.env);
      const settings = readDumpSettings(reader);
      if (row.problem) {
        assert.equal(reader.problems.length, 1, reader.problems.join("; "));
        assert.match(reader.problems[0], row.problem);
      } else {
        assert.deepEqual(reader.problems, []);
        assert.deepEqual({ ...settings, ...row.expect }, settings);
      }
    });
  }
});

describe("INSERT statements from text-protocol rows (row-sql.ts)", () => {
  /** A text-protocol row packet payload: one length-encoded string per value, 0xFB for NULL. */
  function packet(values: Array<Buffer | null>): Buffer {
    return Buffer.concat(
      values.map((value) => {
        if (value === null) return Buffer.from([0xfb]);
        if (value.length < 0xfb) return Buffer.concat([Buffer.from([value.length]), value]);
        const length = Buffer.alloc(3);
        length.writeUInt16LE(value.length, 1);
        length[0] = 0xfc;
        return Buffer.concat([length, value]);
      }),
    );
  }

  it("writes the same statements from a row packet as from its values, escaping text and hexing bytes", () => {
    const rows: Array<Array<Buffer | null>> = [
      [Buffer.from("-12.50"), Buffer.from("it's \"q\" \\ \n\r\u001a\u0000 ü😀", "utf8"), Buffer.from([0, 255, 39, 92])],
      [Buffer.from("7"), null, Buffer.alloc(0)],
      [Buffer.from("8"), Buffer.from("x".repeat(300)), null],
    ];
    const kinds = ["number", "text", "binary"] as const;
    const fromValues: Buffer[] = [];
    const fromPackets: Buffer[] = [];
    const a = new InsertBuilder("t`1", ["id", "name", "raw"], kinds, (statement) => fromValues.push(statement), 200);
    const b = new InsertBuilder("t`1", ["id", "name", "raw"], kinds, (statement) => fromPackets.push(statement), 200);
    for (const row of rows) {
      a.addRow(row);
      const bytes = Buffer.concat([Buffer.alloc(5), packet(row), Buffer.alloc(3)]);
      b.addRawRow(bytes, 5, bytes.length - 3);
    }
    a.flush();
    b.flush();
    assert.deepEqual(fromPackets, fromValues);
    assert.equal(
      Buffer.concat(fromValues).toString("utf8"),
      "INSERT INTO `t``1` (`id`,`name`,`raw`) VALUES (-12.50,'it\\'s \\\"q\\\" \\\\ \\n\\r\\Z\\0 ü😀',X'00ff275c'),(7,NULL,X'');\n" +
        `INSERT INTO \`t\`\`1\` (\`id\`,\`name\`,\`raw\`) VALUES (8,'${"x".repeat(300)}',NULL);\n`,
    );
    assert.equal(b.rows, 3);
    assert.equal(b.statements, 2, "the 300-byte row does not fit a 200-byte statement with the others and gets its own");
  });

  it("refuses a row packet that does not hold exactly one value per column", () => {
    const builder = new InsertBuilder("t", ["a", "b"], ["number", "number"], () => undefined);
    const short = packet([Buffer.from("1")]);
    assert.throws(() => builder.addRawRow(short, 0, short.length), /row packet ends after 1 of 2 columns/);
    const long = packet([Buffer.from("1"), Buffer.from("2"), Buffer.from("3")]);
    assert.throws(() => builder.addRawRow(long, 0, long.length), /row packet has 2 bytes after its 2 columns/);
  });
});
