import { strict as assert } from "node:assert";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import { restoreEnvironment, runRestoreCli } from "../../backup/harness/cli-process";
import { databaseDigest } from "../../backup/harness/digest";
import { quoteIdentifier } from "../../backup/lib/mysql-connection";
import { SqlRewriter } from "../../backup/restore/sql-rewrite";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "./fixture";

/** Views, a trigger and routines in `database`, qualified by name as applications write them. */
async function createObjects(connection: Connection, database: string, tag: string): Promise<void> {
  await connection.query(`CREATE TABLE ${database}.audit (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT NOT NULL, tag VARCHAR(16))`);
  await connection.query(`CREATE FUNCTION ${database}.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2`);
  await connection.query(`CREATE PROCEDURE ${database}.add_item(IN n VARCHAR(64)) BEGIN INSERT INTO ${database}.items (name) VALUES (n); END`);
  await connection.query(`CREATE TRIGGER ${database}.items_audit AFTER INSERT ON ${database}.items FOR EACH ROW INSERT INTO ${database}.audit (item_id, tag) VALUES (NEW.id, '${tag}')`);
  await connection.query(`CREATE VIEW ${database}.doubled AS SELECT id, ${database}.twice(id) AS d FROM ${database}.items`);
}

/** Every row and the definition of every object in `database`, to prove nothing changed. */
async function snapshot(connection: Connection, database: string): Promise<Record<string, unknown>> {
  const [objects] = await connection.query(
    "SELECT 'TRIGGER' AS kind, TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? " +
      "UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? " +
      "UNION ALL SELECT IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE'), TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1, 2",
    [database, database, database],
  );
  const definitions: Record<string, string> = {};
  for (const { kind, name } of objects as Array<{ kind: string; name: string }>) {
    const [rows] = await connection.query(`SHOW CREATE ${kind} ${quoteIdentifier(database)}.${quoteIdentifier(name)}`);
    const row = (rows as Array<Record<string, string>>)[0];
    definitions[`${kind} ${name}`] = row[Object.keys(row).find((key) => key.startsWith("Create ") || key === "SQL Original Statement") as string];
  }
  return { rows: await databaseDigest(connection, database), definitions };
}

async function drDatabases(connection: Connection): Promise<string[]> {
  const [rows] = await connection.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_\\_dr\\_%' ORDER BY 1");
  return (rows as Array<{ name: string }>).map((row) => row.name);
}

describe("restore --replace never leaves the target with less than it had", function () {
  this.timeout(240_000);
  let dr: DrFixture;
  let original: Record<string, unknown>;

  before(async () => {
    dr = await DrFixture.start();
    await dr.onPrimary(async (c) => {
      await createSchema(c, "shop");
      await createObjects(c, "shop", "primary");
      await writeBatch(c, "shop", 20, "before-backup");
    });
    const agent = dr.startAgent("atomic", "shop");
    try {
      await dr.waitFullBackup("atomic");
      await dr.onPrimary((c) => writeBatch(c, "shop", 30, "after-backup"));
      // Seal the file the backup starts in, so the chain holds a sealed file to corrupt.
      await dr.onPrimary((c) => c.query("FLUSH BINARY LOGS"));
      await dr.onPrimary((c) => writeBatch(c, "shop", 10, "after-flush"));
      await dr.waitCaughtUp("atomic");
    } finally {
      await agent.stop();
    }
    // The target holds its own `shop`, with different rows and objects: what --replace must not lose.
    await dr.onTarget(async (c) => {
      await createSchema(c, "shop");
      await createObjects(c, "shop", "target");
      await writeBatch(c, "shop", 7, "target-only");
    });
    original = await dr.onTarget((c) => snapshot(c, "shop"));
  });

  after(async () => {
    await dr?.destroy();
  });

  it("a corrupt sealed binlog fails the restore and leaves the target's databases byte for byte as they were", async () => {
    const container = dr.azurite.adminClient().getContainerClient(CONTAINER);
    const seals: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: "atomic/binlog/" })) if (blob.name.endsWith("/seal.json")) seals.push(blob.name);
    assert.ok(seals.length > 0, "the chain has a sealed file");
    const segment = seals.sort()[seals.length - 1].replace("seal.json", "seg-000001");
    const blob = container.getAppendBlobClient(segment);
    const saved = await blob.downloadToBuffer();
    const damaged = Buffer.from(saved);
    damaged[damaged.length - 10] ^= 0x01;
    await blob.delete();
    await blob.create();
    await blob.appendBlock(damaged, damaged.length);
    try {
      const run = await dr.restore("atomic", ["--replace"]);
      assert.deepEqual(await dr.onTarget((c) => snapshot(c, "shop")), original);
      assert.deepEqual(await dr.onTarget(drDatabases), []);
      assert.equal(run.code, 1, run.stderr + run.stdout);
      assert.match(run.result!.error!, /content does not match its seal .*the blob is corrupt/);
      assert.equal(run.result!.targetChanged, false);
      assert.ok(run.result!.notes.includes("the target's databases were not changed"), run.result!.notes.join("\n"));
    } finally {
      await blob.delete();
      await blob.create();
      await blob.appendBlock(saved, saved.length);
    }
  });

  it("a work directory where writes fail (file size limit) fails the restore before the target is touched", async () => {
    const env = restoreEnvironment(dr.target.rootEndpoint, dr.restoreBlob("atomic/"), join(dr.work, `restore-limited-${Date.now()}`));
    const run = await runRestoreCli(env, ["--replace"], { fileLimitBlocks: 2 });
    assert.deepEqual(await dr.onTarget((c) => snapshot(c, "shop")), original);
    assert.deepEqual(await dr.onTarget(drDatabases), []);
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.result!.error!, /EFBIG|file too large/i);
    assert.equal(run.result!.targetChanged, false);
    assert.ok(run.result!.notes.includes("the target's databases were not changed"), run.result!.notes.join("\n"));
  });

  it("a successful --replace swaps the restored databases in and keeps the replaced tables and objects", async () => {
    const run = await dr.restore("atomic", ["--replace"]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const result = run.result!;
    assert.equal(result.targetChanged, true);
    assert.equal(result.replaced!.length, 1);
    const replaced = result.replaced![0];
    assert.equal(replaced.database, "shop");
    assert.equal(replaced.existed, true);
    assert.match(replaced.previous!, /^shop__dr_previous_[0-9a-z]+$/);
    assert.deepEqual(replaced.problems, []);
    assert.deepEqual(replaced.objects.sort(), ["function twice", "procedure add_item", "trigger items_audit", "view doubled"]);
    assert.ok(result.notes.some((note) => note.includes(`kept in ${replaced.previous}`)), result.notes.join("\n"));
    const primary = await dr.onPrimary((c) => snapshot(c, "shop"));
    assert.deepEqual(await dr.onTarget((c) => snapshot(c, "shop")), primary);
    assert.deepEqual(await dr.onTarget(drDatabases), [replaced.previous]);
    const previous = (await dr.onTarget((c) => snapshot(c, replaced.previous!))) as { rows: unknown; definitions: Record<string, string> };
    assert.deepEqual(previous.rows, (original as { rows: unknown }).rows, "the replaced rows are kept");
    assert.deepEqual(Object.keys(previous.definitions).sort(), Object.keys((original as { definitions: object }).definitions).sort());
    await dr.onTarget(async (c) => {
      await c.query("CALL shop.add_item('after swap')");
      const [audit] = await c.query("SELECT tag FROM shop.audit ORDER BY id DESC LIMIT 1");
      assert.equal((audit as Array<{ tag: string }>)[0].tag, "primary", "the restored trigger, not the replaced one, fires on shop.items");
    });
  });

  it("renames the restored databases in SQL where they name a database, and nowhere else", () => {
    const rewriter = new SqlRewriter(undefined, new Map([["shop", "shop__dr_restore_x"]]));
    const sql = [
      "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;",
      "USE `shop`;",
      "use shop;",
      "INSERT INTO shop.items (name, shop) VALUES ('shop.items', 'x'), (\"`shop`.t\", 'y');",
      "SELECT `shop` . `items`.`shop` FROM `other`.`shop`;",
      "-- shop.items in a comment",
    ].join("\n");
    assert.equal(
      rewriter.rewriteAll(sql),
      [
        "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop__dr_restore_x` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;",
        "USE `shop__dr_restore_x`;",
        "use shop__dr_restore_x;",
        "INSERT INTO shop__dr_restore_x.items (name, shop) VALUES ('shop.items', 'x'), (\"`shop`.t\", 'y');",
        "SELECT `shop__dr_restore_x` . `items`.`shop` FROM `other`.`shop`;",
        "-- shop.items in a comment",
      ].join("\n"),
    );
  });

  it("renames the same way whatever the chunk boundaries of the stream", async () => {
    const renames = new Map([["shop", "shop__dr_restore_x"]]);
    const sql = "USE `shop`;\nINSERT INTO shop.items VALUES ('shop.x');\nSELECT `shop`.`t`.a FROM `shop` . t, x.shop;\nCREATE SCHEMA shop;\n";
    const expected = new SqlRewriter(undefined, renames).rewriteAll(sql);
    assert.match(expected, /^USE `shop__dr_restore_x`;\nINSERT INTO shop__dr_restore_x\.items VALUES \('shop\.x'\);/);
    for (let split = 1; split < sql.length; split++) {
      const rewriter = new SqlRewriter(16, renames);
      const chunks: Buffer[] = [];
      rewriter.on("data", (chunk: Buffer) => chunks.push(chunk));
      const done = new Promise((resolve) => rewriter.on("end", resolve));
      rewriter.write(Buffer.from(sql.slice(0, split), "latin1"));
      rewriter.end(Buffer.from(sql.slice(split), "latin1"));
      await done;
      assert.equal(Buffer.concat(chunks).toString("latin1"), expected, `split at ${split}`);
    }
  });
});

