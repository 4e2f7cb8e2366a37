import { MariaDbInstance } from "../harness/mariadb-instance";
import { compareBinlogNames } from "../lib/binlog-names";
import { BinlogPosition, connect, currentBinlogPosition } from "../lib/mysql-connection";

type Connection = Awaited<ReturnType<typeof connect>>;

/** The one table every contender dumps and loads. */
export const BENCH_DATABASE = "bench";

/** Runs `work` on a root connection and closes it. */
export async function withRoot<T>(instance: MariaDbInstance, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await connect(instance.rootEndpoint);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Creates `bench.orders` with `rows` generated rows (about 230 bytes of SQL each). */
export async function generate(source: MariaDbInstance, rows: number): Promise<void> {
  await withRoot(source, async (c) => {
    await c.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    await c.query(`USE ${BENCH_DATABASE}`);
    await c.query(
      "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, status VARCHAR(16) NOT NULL, amount DECIMAL(12,2) NOT NULL, sku CHAR(12) NOT NULL, note VARCHAR(160), created_at DATETIME NOT NULL, KEY (customer_id))",
    );
    await c.query(
      `INSERT INTO orders SELECT seq, seq % 50000, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'), (seq * 7919 % 100000) / 100, UPPER(LEFT(MD5(seq), 12)), CONCAT('customer note ', seq % 977, ' ', SHA1(seq % 5000), ' ', MD5(seq)), '2024-01-01' + INTERVAL (seq % 31536000) SECOND FROM seq_1_to_${rows}`,
    );
  });
}

/** Drops the bench database on a restore target, so the next contender loads into an empty server. */
export async function dropBench(instance: MariaDbInstance): Promise<void> {
  await withRoot(instance, (c) => c.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE}`));
}

/** CHECKSUM TABLE of the bench table, or undefined when it does not exist. */
export async function benchChecksum(instance: MariaDbInstance): Promise<string | undefined> {
  return withRoot(instance, async (c) => {
    const [rows] = await c.query(`CHECKSUM TABLE ${BENCH_DATABASE}.orders`);
    const value = (rows as Array<{ Checksum: unknown }>)[0]?.Checksum;
    return value === null || value === undefined ? undefined : String(value);
  });
}

/** Binlog bytes written between two positions of the same server (sizes from SHOW BINARY LOGS when files rotated). */
export async function binlogBytesBetween(c: Connection, from: BinlogPosition, to: BinlogPosition): Promise<number> {
  if (from.file === to.file) return to.position - from.position;
  const [rows] = await c.query("SHOW BINARY LOGS");
  let total = 0;
  for (const row of rows as Array<{ Log_name: string; File_size: number | string }>) {
    const name = row.Log_name;
    if (compareBinlogNames(name, from.file) < 0 || compareBinlogNames(name, to.file) > 0) continue;
    const size = Number(row.File_size);
    if (name === from.file) total += size - from.position;
    else if (name === to.file) total += to.position;
    else total += size;
  }
  return total;
}

/** What a simulated day of changes wrote. */
export interface DayOfChanges {
  batches: number;
  changedRows: number;
  binlogBytes: number;
  /** Binlog bytes per byte of changed rows (the first batch: ROW images carry the row before and after). */
  binlogBytesPerChangedByte: number;
  /** Where the source's binlog stood after the last batch: the agent must ship up to here. */
  end: BinlogPosition;
}

/** Statements per hourly batch: the day is many small transactions, as an application writes, not one huge one. */
const IDS_PER_STATEMENT = 1_000;

/**
 * A day of changes at `changePerHour` of the rows per hour: `hours` batches, batch h updating the
 * rows whose id is h+1 modulo 1/changePerHour (distinct rows per hour, spread over the whole
 * table), in autocommitted statements of 1,000 rows. Applied on the source, so they become ROW binlogs.
 */
export async function applyDayOfChanges(source: MariaDbInstance, rows: number, sqlBytes: number, hours = 24, changePerHour = 0.01): Promise<DayOfChanges> {
  const stride = Math.round(1 / changePerHour);
  if (hours > stride) throw new Error(`${hours} hourly batches of ${changePerHour} would update some rows twice`);
  return withRoot(source, async (c) => {
    const start = await currentBinlogPosition(c);
    let changedRows = 0;
    let binlogBytesPerChangedByte = 0;
    for (let hour = 0; hour < hours; hour++) {
      const before = await currentBinlogPosition(c);
      let changedThisHour = 0;
      for (let first = hour + 1; first <= rows; first += stride * IDS_PER_STATEMENT) {
        const ids: number[] = [];
        for (let id = first; id <= rows && ids.length < IDS_PER_STATEMENT; id += stride) ids.push(id);
        const [result] = await c.query(
          `UPDATE ${BENCH_DATABASE}.orders SET status = ELT(1 + (id + ${hour}) % 4, 'new', 'paid', 'shipped', 'returned'), amount = amount + 1 WHERE id IN (${ids.join(",")})`,
        );
        changedThisHour += (result as { affectedRows: number }).affectedRows;
      }
      changedRows += changedThisHour;
      if (hour === 0) binlogBytesPerChangedByte = (await binlogBytesBetween(c, before, await currentBinlogPosition(c))) / (changedThisHour * (sqlBytes / rows));
    }
    const end = await currentBinlogPosition(c);
    return { batches: hours, changedRows, binlogBytes: await binlogBytesBetween(c, start, end), binlogBytesPerChangedByte, end };
  });
}

/**
 * Waits until the server has written its dirty pages (at most `timeoutMs`), so a timed step does
 * not pay for the previous step's background flushing: the first seed dump after generating the
 * data, or a load right after the previous contender's. Flushing is hurried by setting
 * innodb_max_dirty_pages_pct to 0 meanwhile; the old value is put back.
 */
export async function quiesce(instance: MariaDbInstance, timeoutMs = 120_000): Promise<void> {
  await withRoot(instance, async (c) => {
    const [rows] = await c.query("SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct");
    const previous = Number((rows as Array<{ pct: number | string }>)[0].pct);
    await c.query("SET GLOBAL innodb_max_dirty_pages_pct = 0");
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [status] = await c.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'");
        const dirty = Number((status as Array<{ Value: string }>)[0]?.Value ?? 0);
        if (dirty < 64 || Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await c.query(`SET GLOBAL innodb_max_dirty_pages_pct = ${previous}`);
    }
  });
}
