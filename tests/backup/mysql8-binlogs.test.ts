import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BinlogCorruptError, EventType, readBinlogFormat, readQueryEvent, readTableMapDatabase, scanBinlogFile, scanEvents } from "../../backup/lib/binlog-events";
import { FilterStats, filterBinlogFile } from "../../backup/restore/binlog-filter";

/** ../shared beside the repo, as on developers' machines and in CI. */
const FIXTURES = join(__dirname, "../../../shared/fixtures/mysql8-binlogs");
const PREVIOUS_GTIDS = 35;

function fixture(name: string): string {
  const path = join(FIXTURES, `742314100-binlog.${name}`);
  if (!existsSync(path)) throw new Error(`MySQL 8 binlog fixture missing: ${path} (the shared/ folder must sit beside the repo)`);
  return path;
}

interface Transaction {
  /** Default databases of the statements (BEGIN/COMMIT aside) and databases of the table maps. */
  databases: string[];
  rowEvents: number;
}

/** Reads a fixture into its events and the transactions of its anonymous GTID groups. */
async function read(name: string) {
  const bytes = await fs.readFile(fixture(name));
  const format = readBinlogFormat(bytes);
  assert.ok(format, `${name}: no format description`);
  const { events, end } = scanEvents(bytes.subarray(4), 4, format);
  const transactions: Transaction[] = [];
  for (const event of events) {
    const raw = bytes.subarray(event.offset, event.offset + event.size);
    if (event.type === EventType.MYSQL_ANONYMOUS_GTID) transactions.push({ databases: [], rowEvents: 0 });
    const current = transactions[transactions.length - 1];
    if (!current) continue;
    if (event.type === EventType.TABLE_MAP) current.databases.push(readTableMapDatabase(raw));
    if (event.type >= 30 && event.type <= 32) current.rowEvents += 1;
    if (event.type === EventType.QUERY) {
      const { database, statement } = readQueryEvent(raw, format);
      if (!/^(BEGIN|COMMIT)$/i.test(statement.trim())) current.databases.push(database);
    }
  }
  return { bytes, format, events, end, transactions };
}

let workDir: string;

/** Filters a fixture (or `bytes` in its place) to the databases; the output lives until the suite ends. */
async function filter(name: string, databases: string[], bytes?: Buffer): Promise<{ stats: FilterStats; output: string }> {
  const dir = await fs.mkdtemp(join(workDir, `${name}-`));
  let source = fixture(name);
  if (bytes) {
    source = join(dir, "source");
    await fs.writeFile(source, bytes);
  }
  const stats: FilterStats = { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] };
  await filterBinlogFile(source, join(dir, "filtered"), 0, databases, stats);
  return { stats, output: join(dir, "filtered") };
}

describe("real MySQL 8.0.11 binlogs (shared/fixtures/mysql8-binlogs)", () => {
  before(async () => {
    workDir = await fs.mkdtemp(join(tmpdir(), "mysql8-binlogs-"));
  });

  after(async () => {
    if (workDir) await fs.rm(workDir, { recursive: true, force: true });
  });

  it("000001: 97 events with valid CRC32s, 29 anonymous-GTID transactions (12 with row events), ending with a stop event", async () => {
    const { bytes, format, events, end, transactions } = await read("000001");
    assert.deepEqual(format, { checksums: true, serverVersion: "8.0.11" });
    assert.equal(end, bytes.length);
    assert.equal(events.length, 97);
    assert.deepEqual(events.slice(0, 3).map((e) => e.type), [EventType.FORMAT_DESCRIPTION, PREVIOUS_GTIDS, EventType.MYSQL_ANONYMOUS_GTID]);
    // The README says "rotate at the end"; the file (and mariadb-binlog) show a stop event.
    assert.equal(events[events.length - 1].type, EventType.STOP);
    assert.equal(events.filter((e) => e.type === EventType.ROTATE).length, 0);
    assert.equal(transactions.length, 29);
    assert.equal(transactions.filter((t) => t.rowEvents > 0).length, 12);
    assert.equal(events.filter((e) => e.type === EventType.XID).length, 12);
    assert.equal(events.filter((e) => e.endsTransaction).length, 29, "each group ends exactly once: 17 DDL statements and 12 XIDs");
    assert.deepEqual(transactions[8], { databases: ["python04new"], rowEvents: 1 });
    assert.deepEqual(transactions[9], { databases: ["mysql1"], rowEvents: 0 }, "FLUSH TABLES run in mysql1");
  });

  it("000002: only the format description, previous-GTIDs and stop events, and no transaction", async () => {
    const { bytes, events, transactions } = await read("000002");
    assert.equal(bytes.length, 178);
    assert.deepEqual(events.map((e) => e.type), [EventType.FORMAT_DESCRIPTION, PREVIOUS_GTIDS, EventType.STOP]);
    assert.equal(transactions.length, 0);
    const { stats } = await filter("000002", ["python_test"]);
    assert.deepEqual(stats, { keptTransactions: 0, droppedTransactions: 0, droppedDatabases: [] });
  });

  it("000005: still open (in-use flag set, no stop event), 16 transactions, its checksums valid and its last commit at the end", async () => {
    const { bytes, events, transactions } = await read("000005");
    assert.equal(bytes.readUInt16LE(4 + 17) & 1, 1, "LOG_EVENT_BINLOG_IN_USE_F is set on the format description");
    assert.equal(events.length, 46);
    assert.ok(!events.some((e) => e.type === EventType.STOP || e.type === EventType.ROTATE));
    assert.equal(transactions.length, 16);
    assert.equal(transactions.filter((t) => t.rowEvents > 0).length, 4);
    // Statement-ended row transactions (MyISAM-style BEGIN ... COMMIT query) and an XID-ended one.
    assert.equal(events.filter((e) => e.type === EventType.QUERY && e.endsTransaction).length, 15);
    const summary = await scanBinlogFile(fixture("000005"));
    assert.equal(summary.end, bytes.length);
    assert.equal(summary.trailingPartialEvent, false);
    assert.equal(summary.lastCommit?.end, bytes.length);
  });

  it("filters transactions by database: counts per database match the transactions read above", async () => {
    const expectations: Array<[string, string, number]> = [
      ["000001", "python_test", 7],
      ["000001", "python04new", 17],
      ["000001", "mysql1", 2],
      ["000001", "python04", 2],
      ["000005", "test", 9],
      ["000005", "python_test", 3],
      ["000005", "user", 2],
    ];
    for (const [name, database, kept] of expectations) {
      const { transactions } = await read(name);
      assert.equal(transactions.filter((t) => t.databases.includes(database)).length, kept, `${name} ${database} by reading`);
      const { stats } = await filter(name, [database]);
      assert.equal(stats.keptTransactions, kept, `${name} ${database} kept`);
      assert.equal(stats.keptTransactions + stats.droppedTransactions, transactions.length, `${name} ${database} total`);
    }
  });

  it("writes a filtered file mariadb-binlog decodes, holding only the chosen database's row events", async () => {
    const { output } = await filter("000001", ["python_test"]);
    const text = execFileSync("mariadb-binlog", ["--no-defaults", output], { encoding: "latin1", stdio: ["ignore", "pipe", "ignore"] });
    const maps = [...text.matchAll(/Table_map: `([^`]+)`\.`([^`]+)`/g)].map((m) => `${m[1]}.${m[2]}`);
    assert.deepEqual(maps, ["python_test.students", "python_test.classes", "python_test.students", "python_test.students"]);
    assert.match(text, /create database python_test charset=utf8/);
    assert.doesNotMatch(text, /python04new/);
  });

  it("leaves out a transaction cut off at the end of a file still being written, and rejects a damaged event", async () => {
    const { bytes, events } = await read("000005");
    const last = events[events.length - 1];
    const cut = bytes.subarray(0, last.offset + 10);
    const { stats } = await filter("000005", ["test"], cut);
    assert.equal(stats.keptTransactions, 8, "the last transaction (its XID incomplete) is not replayed");
    const damaged = Buffer.from(bytes);
    damaged[events[5].offset + 30] ^= 0x01;
    assert.throws(() => scanEvents(damaged.subarray(4), 4, readBinlogFormat(damaged)!), (error: unknown) => error instanceof BinlogCorruptError && error.offset === events[5].offset);
  });
});
