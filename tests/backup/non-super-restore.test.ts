import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { ContainerClient } from "@azure/storage-blob";
import type { Connection } from "mysql2/promise";
import { MysqlEndpoint } from "../../backup/config/shared";
import { restoreEnvironment, runRestoreCli } from "../../backup/harness/cli-process";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";
import { FullBackupManifest } from "../../backup/lib/manifest";
import { connect } from "../../backup/lib/mysql-connection";
import { MysqlTools, resolveMysqlTools, toolConnection } from "../../backup/lib/mysql-tools";
import { FilterStats, filterBinlogFile } from "../../backup/restore/binlog-filter";
import { streamDump } from "../../backup/restore/dump-loader";
import { replayBinlogs } from "../../backup/restore/replay";
import { DrFixture, createSchema, writeBatch } from "./fixture";
import { createRestoreUser, RESTORE_USER } from "./restore-user";

/** What MySQL 8's mysqldump writes around a dump of a server with GTIDs on (RDS with gtid_mode=ON). */
const GTID_HEADER = [
  "SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;",
  "SET @@SESSION.SQL_LOG_BIN= 0;",
  "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5';",
  "",
].join("\n");
const GTID_FOOTER = "\nSET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;\n";

const NOTES = ["DEFINER=`x`@`y` stays as it is", "it's SET sql_log_bin=0; too", "/*!50017 DEFINER=`q`@`h`*/"];

/** Runs a client tool with `input` on stdin; resolves with its exit code and stderr. */
function runTool(tool: string, args: string[], input: Buffer): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

/** Feeds SQL to the `mysql` client as `endpoint`, without any rewrite (what the old restore did). */
async function loadRaw(tools: MysqlTools, endpoint: MysqlEndpoint, sql: Buffer): Promise<{ code: number | null; stderr: string }> {
  const connection = toolConnection(endpoint, tools);
  try {
    return await runTool(tools.client, [...connection.args, "--binary-mode"], sql);
  } finally {
    connection.dispose();
  }
}

/** A container that serves one blob, enough for streamDump. */
function containerServing(bytes: Buffer): ContainerClient {
  return { getBlobClient: () => ({ download: async () => ({ readableStreamBody: Readable.from([bytes]) }) }) } as unknown as ContainerClient;
}

function manifestFor(raw: Buffer, compressed: Buffer): FullBackupManifest {
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  return {
    formatVersion: 1,
    backupId: "non-super",
    epoch: "e",
    databases: ["app"],
    startedAt: new Date().toISOString(),
    snapshotAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    coordinates: { file: "mysql-bin.000001", position: 4 },
    dump: { blob: "dump.sql.gz", compression: "gzip", compressedBytes: compressed.length, compressedSha256: sha(compressed), uncompressedBytes: raw.length, uncompressedSha256: sha(raw) },
    tables: [],
    server: { version: "test" },
    tools: { dump: "mariadb-dump", flavor: "mariadb" },
  };
}

/** `<kind> <name> <definer>` of every stored object in `database`, sorted. */
async function definers(connection: Connection, database = "app"): Promise<string[]> {
  const [rows] = await connection.query(
    "SELECT CONCAT('routine ', ROUTINE_NAME, ' ', DEFINER) AS d FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? " +
      "UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME, ' ', DEFINER) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? " +
      "UNION ALL SELECT CONCAT('view ', TABLE_NAME, ' ', DEFINER) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? " +
      "UNION ALL SELECT CONCAT('event ', EVENT_NAME, ' ', DEFINER) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1",
    [database, database, database, database],
  );
  return (rows as Array<{ d: string }>).map((row) => row.d);
}

describe("restore as a user without SUPER (Azure's admin) into a MariaDB target with binary logging", function () {
  this.timeout(180_000);
  let dir: string;
  let source: MariaDbInstance;
  let target: MariaDbInstance;
  let tools: MysqlTools;
  let restoreUser: MysqlEndpoint;
  let dump: Buffer;

  before(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), "non-super-restore-"));
    // Azure keeps binary logging on and log_bin_trust_function_creators=ON; the target does the same.
    [source, target] = await Promise.all([
      MariaDbInstance.start({ binlog: true, serverId: 1, parentDir: dir }),
      MariaDbInstance.start({ binlog: true, serverId: 2, parentDir: dir, extraArgs: ["--log-bin-trust-function-creators=1"] }),
    ]);
    tools = resolveMysqlTools({ flavor: "auto" });
    restoreUser = await createRestoreUser(target, { binlogReplay: true });
    const root = await source.rootConnection();
    try {
      for (const statement of [
        "CREATE USER 'rds_owner'@'%' IDENTIFIED BY 'owner-secret'",
        "CREATE DATABASE app",
        "GRANT ALL ON app.* TO 'rds_owner'@'%'",
        "CREATE TABLE app.notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE TABLE app.audit (id INT AUTO_INCREMENT PRIMARY KEY, note_id INT NOT NULL)",
        "CREATE DEFINER=`rds_owner`@`%` FUNCTION app.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
        "CREATE DEFINER=`rds_owner`@`%` PROCEDURE app.add_note(IN b TEXT) BEGIN INSERT INTO app.notes (body) VALUES (b); END",
        "CREATE DEFINER=`rds_owner`@`%` TRIGGER app.notes_audit AFTER INSERT ON app.notes FOR EACH ROW INSERT INTO app.audit (note_id) VALUES (NEW.id)",
        "CREATE DEFINER=`rds_owner`@`%` SQL SECURITY DEFINER VIEW app.doubled AS SELECT id, app.twice(id) AS d FROM app.notes",
        "CREATE DEFINER=`rds_owner`@`%` EVENT app.tidy ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM app.audit WHERE id < 0",
      ]) {
        await root.query(statement);
      }
      for (const body of NOTES) await root.query("INSERT INTO app.notes (body) VALUES (?)", [body]);
    } finally {
      await root.end();
    }
    const connection = toolConnection(source.rootEndpoint, tools);
    try {
      const args = [...connection.args, "--single-transaction", "--routines", "--events", "--triggers", "--hex-blob", "--default-character-set=utf8mb4", "--databases", "app"];
      const run = await runTool(tools.dump, args, Buffer.alloc(0));
      assert.equal(run.code, 0, run.stderr);
      dump = Buffer.concat([Buffer.from(GTID_HEADER), run.stdout, Buffer.from(GTID_FOOTER)]);
    } finally {
      connection.dispose();
    }
  });

  after(async () => {
    await Promise.all([source?.destroy(), target?.destroy()]);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("cannot load the dump as it was shipped: sql_log_bin and foreign definers need SUPER", async () => {
    assert.match(dump.toString("latin1"), /DEFINER=`rds_owner`@`%`/, "the dump carries the foreign definer");
    const whole = await loadRaw(tools, restoreUser, dump);
    assert.notEqual(whole.code, 0);
    assert.match(whole.stderr, /Access denied; you need \(at least one of\) the SUPER, BINLOG ADMIN privilege/);
    const withoutGtidHeader = await loadRaw(tools, restoreUser, Buffer.concat([Buffer.from("DROP DATABASE IF EXISTS app;\n"), dump.subarray(GTID_HEADER.length)]));
    assert.notEqual(withoutGtidHeader.code, 0);
    assert.match(withoutGtidHeader.stderr, /Access denied; you need \(at least one of\) the SUPER, SET USER privilege/);
    const root = await target.rootConnection();
    await root.query("DROP DATABASE IF EXISTS app");
    await root.end();
  });

  it("loads the dump through the restore's dump loader, with every object owned by the restore user and the data unchanged", async () => {
    const compressed = gzipSync(dump);
    const stats = await streamDump(containerServing(compressed), manifestFor(dump, compressed), { kind: "load", target: restoreUser, tools });
    assert.deepEqual(stats, { definers: 5, droppedStatements: 3 });
    const connection = await connect(restoreUser);
    try {
      const owner = `${RESTORE_USER}@%`;
      assert.deepEqual(await definers(connection), [
        `event tidy ${owner}`,
        `routine add_note ${owner}`,
        `routine twice ${owner}`,
        `trigger notes_audit ${owner}`,
        `view doubled ${owner}`,
      ]);
      const [notes] = await connection.query("SELECT body FROM app.notes ORDER BY id");
      assert.deepEqual((notes as Array<{ body: string }>).map((row) => row.body), NOTES);
      await connection.query("CALL app.add_note('after restore')");
      const [audit] = await connection.query("SELECT COUNT(*) AS n FROM app.audit");
      assert.equal(Number((audit as Array<{ n: number }>)[0].n), 4, "the trigger fired for the three dumped rows on the source and the new one here");
      const [doubled] = await connection.query("SELECT d FROM app.doubled ORDER BY id");
      assert.deepEqual((doubled as Array<{ d: number }>).map((row) => Number(row.d)), [2, 4, 6, 8]);
      // Back to the state of the source, so the binlog replay below applies on top of it.
      await connection.query("DELETE FROM app.audit WHERE note_id = 4");
      await connection.query("DELETE FROM app.notes WHERE id = 4");
    } finally {
      await connection.end();
    }
  });

  it("needs log_bin_trust_function_creators on a target with binary logging (the server parameter the program sets on Azure)", async () => {
    const root = await target.rootConnection();
    const connection = await connect(restoreUser);
    try {
      await root.query("SET GLOBAL log_bin_trust_function_creators = 0");
      await assert.rejects(connection.query("CREATE FUNCTION app.probe() RETURNS INT DETERMINISTIC RETURN 1"), /You do not have the SUPER privilege and binary logging is enabled/);
    } finally {
      await root.query("SET GLOBAL log_bin_trust_function_creators = 1");
      await root.end();
      await connection.end();
    }
  });

  it("replays binlogs with foreign definers as the restore user, which the unrewritten output cannot", async () => {
    const root = await source.rootConnection();
    let file: string;
    let position: number;
    try {
      const [status] = await root.query("SHOW MASTER STATUS");
      ({ File: file, Position: position } = (status as Array<{ File: string; Position: number }>)[0]);
      for (const statement of [
        "CREATE DEFINER=`rds_owner`@`%` FUNCTION app.thrice(x INT) RETURNS INT DETERMINISTIC RETURN x * 3",
        "CREATE DEFINER=`rds_owner`@`%` TRIGGER app.notes_shout BEFORE INSERT ON app.notes FOR EACH ROW SET NEW.body = UPPER(NEW.body)",
        "INSERT INTO app.notes (body) VALUES ('DEFINER=`a`@`b` in a replayed row')",
        "FLUSH BINARY LOGS",
      ]) {
        await root.query(statement);
      }
    } finally {
      await root.end();
    }
    const filtered = join(dir, "filtered.000001");
    const stats: FilterStats = { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] };
    await filterBinlogFile(join(source.dir, "data", file), filtered, position, ["app"], stats);
    assert.equal(stats.keptTransactions, 3);
    const decoded = await runTool(tools.binlog, ["--no-defaults", ...tools.replayOptions, filtered], Buffer.alloc(0));
    assert.equal(decoded.code, 0, decoded.stderr);
    const raw = await loadRaw(tools, restoreUser, decoded.stdout);
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /Access denied; you need \(at least one of\) the SUPER, SET USER privilege/);
    const rewrite = await replayBinlogs({ files: [filtered] }, restoreUser, tools);
    assert.equal(rewrite.definers, 2);
    const connection = await connect(restoreUser);
    try {
      const [rows] = await connection.query("SELECT body, app.thrice(id) AS t FROM app.notes ORDER BY id DESC LIMIT 1");
      assert.deepEqual(rows, [{ body: "DEFINER=`A`@`B` IN A REPLAYED ROW", t: 12 }]);
      const owned = await definers(connection);
      assert.ok(owned.includes(`routine thrice ${RESTORE_USER}@%`) && owned.includes(`trigger notes_shout ${RESTORE_USER}@%`), owned.join("\n"));
    } finally {
      await connection.end();
    }
  });
});

describe("restore CLI as a user without SUPER, end to end (agent, Azurite, restore)", function () {
  this.timeout(180_000);
  let dr: DrFixture;

  before(async () => {
    dr = await DrFixture.start();
  });

  after(async () => {
    await dr?.destroy();
  });

  it("restores a database whose view, trigger, function, procedure and event belong to a user the target does not have", async () => {
    await dr.onPrimary((c) => createSchema(c, "owned"));
    await dr.onPrimary(async (c) => {
      for (const statement of [
        "CREATE USER 'rds_owner'@'%' IDENTIFIED BY 'owner-secret'",
        "GRANT ALL ON owned.* TO 'rds_owner'@'%'",
        // mariadb-dump reads a view's columns, which needs EXECUTE on the functions the view calls.
        `GRANT EXECUTE ON owned.* TO '${MariaDbInstance.AGENT_USER}'@'127.0.0.1'`,
        "CREATE TABLE owned.audit (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT NOT NULL)",
        "CREATE DEFINER=`rds_owner`@`%` FUNCTION owned.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
        "CREATE DEFINER=`rds_owner`@`%` PROCEDURE owned.touch() BEGIN SELECT 1; END",
        "CREATE DEFINER=`rds_owner`@`%` TRIGGER owned.items_audit AFTER INSERT ON owned.items FOR EACH ROW INSERT INTO owned.audit (item_id) VALUES (NEW.id)",
        "CREATE DEFINER=`rds_owner`@`%` VIEW owned.doubled AS SELECT id, owned.twice(id) AS d FROM owned.items",
        "CREATE DEFINER=`rds_owner`@`%` EVENT owned.tidy ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM owned.audit WHERE id < 0",
      ]) {
        await c.query(statement);
      }
    });
    await dr.onPrimary((c) => writeBatch(c, "owned", 5, "before-backup"));
    const agent = dr.startAgent("owned", "owned");
    try {
      await dr.waitFullBackup("owned").catch((error: Error) => {
        throw new Error(`${error.message}\n${agent.output()}`);
      });
      await dr.onPrimary((c) => writeBatch(c, "owned", 5, "after-backup"));
      await dr.onPrimary((c) => c.query("CREATE DEFINER=`rds_owner`@`%` FUNCTION owned.thrice(x INT) RETURNS INT DETERMINISTIC RETURN x * 3"));
      await dr.onPrimary((c) => c.query("INSERT INTO owned.items (name) VALUES ('DEFINER=`x`@`y` in a row')"));
      await dr.waitCaughtUp("owned");
    } finally {
      await agent.stop();
    }
    const restoreUser = await createRestoreUser(dr.target, { binlogReplay: true });
    const run = await runRestoreCli(restoreEnvironment(restoreUser, dr.restoreBlob("owned/"), join(dr.work, "restore-owned-non-super")), []);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("owned"), await dr.primaryDigest("owned"));
    const notes = run.result!.notes.join("\n");
    assert.match(notes, /dump: 5 DEFINER clause\(s\) set to CURRENT_USER/);
    assert.match(notes, /binlogs: 1 DEFINER clause\(s\) set to CURRENT_USER/);
    const connection = await connect(restoreUser);
    try {
      const owned = await definers(connection, "owned");
      assert.deepEqual(owned, ["event tidy", "routine thrice", "routine touch", "routine twice", "trigger items_audit", "view doubled"].map((d) => `${d} ${RESTORE_USER}@%`));
      const [rows] = await connection.query("SELECT owned.thrice(d) AS t FROM owned.doubled WHERE id = 1");
      assert.deepEqual(rows, [{ t: 6 }]);
    } finally {
      await connection.end();
    }
  });
});
