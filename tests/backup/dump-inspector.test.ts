import { strict as assert } from "node:assert";
import { DumpInspector, DumpFacts } from "../../backup/lib/dump-inspector";

/** Feeds `text` through the inspector in chunks of `chunkSize` bytes and returns what it found. */
function inspect(text: string, chunkSize: number): Promise<DumpFacts> {
  const inspector = new DumpInspector();
  const passed: Buffer[] = [];
  inspector.on("data", (chunk: Buffer) => passed.push(chunk));
  return new Promise((resolve) => {
    inspector.on("end", () => {
      assert.equal(Buffer.concat(passed).toString("utf8"), text, "the dump passes through unchanged");
      resolve(inspector.facts);
    });
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += chunkSize) inspector.write(bytes.subarray(i, i + chunkSize));
    inspector.end();
  });
}

const MARIADB_DUMP = [
  "-- MariaDB dump 10.19",
  "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000007', MASTER_LOG_POS=1025;",
  "USE `shop`;",
  "CREATE TABLE `orders` (",
  "  `id` int(11) NOT NULL,",
  "  PRIMARY KEY (`id`)",
  ");",
  "INSERT INTO `orders` VALUES",
  "(1,'it\\'s (tricky); ),(',1.50),",
  "(2,NULL,'\\\\'),",
  "(3,'(((',0.00);",
  "CREATE TABLE `empty_one` (`id` int);",
  "CREATE TABLE `v_orders` (`id` int);",
  "-- Final view structure for view `v_orders`",
  "USE `other`;",
  "CREATE TABLE `orders` (`id` int);",
  "INSERT INTO `orders` VALUES (10),(11);",
  "INSERT INTO `orders` VALUES (12);",
  "-- SET GLOBAL gtid_slave_pos='0-1-3';",
  "",
].join("\n");

describe("dump inspector", () => {
  for (const chunkSize of [1, 7, 4096]) {
    it(`counts rows per table through quotes, escapes and parentheses (chunks of ${chunkSize} bytes)`, async () => {
      const facts = await inspect(MARIADB_DUMP, chunkSize);
      assert.deepEqual(facts.coordinates, { file: "mysql-bin.000007", position: 1025, gtid: "0-1-3" });
      assert.deepEqual(
        facts.tables.sort((a, b) => `${a.database}.${a.table}`.localeCompare(`${b.database}.${b.table}`)),
        [
          { database: "other", table: "orders", rows: 3 },
          { database: "shop", table: "empty_one", rows: 0 },
          { database: "shop", table: "orders", rows: 3 },
        ],
      );
    });
  }

  it("reads MySQL 8's CHANGE REPLICATION SOURCE coordinates and single-line inserts", async () => {
    const facts = await inspect(
      ["-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000123', SOURCE_LOG_POS=157;", "USE `app`;", "CREATE TABLE `t` (`id` int);", "INSERT INTO `t` VALUES (1,'a'),(2,'b;c');", ""].join("\n"),
      5,
    );
    assert.deepEqual(facts.coordinates, { file: "binlog.000123", position: 157 });
    assert.deepEqual(facts.tables, [{ database: "app", table: "t", rows: 2 }]);
  });

  it("reports no coordinates when the dump has none", async () => {
    const facts = await inspect("USE `app`;\nCREATE TABLE `t` (`id` int);\n", 64);
    assert.equal(facts.coordinates, undefined);
  });
});
