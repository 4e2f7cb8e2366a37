import type { Connection } from "mysql2/promise";
import { quoteIdentifier } from "../lib/mysql-connection";
import { ColumnKind, columnKind } from "./row-sql";

/** One base table to dump: the columns an INSERT may name (generated ones left out) and its key. */
export interface TablePlan {
  database: string;
  table: string;
  columns: string[];
  kinds: ColumnKind[];
  /** The primary key's column when it is a single integer column: the table is split into ranges of it. */
  rangeKey?: string;
  /** The server's row estimate (information_schema), used only to size chunks and order work. */
  estimatedRows: number;
}

/** One unit of work: a table's rows in one primary-key range (or the whole table). */
export interface ChunkTask {
  /** Blob number across the backup, from 1. */
  n: number;
  plan: TablePlan;
  /** Position within the table, 0-based, in key order. */
  index: number;
  /** SQL condition on the key (empty: the whole table). */
  where: string;
  /** For the report: e.g. "id >= 1 AND id < 50001", or "whole table". */
  range: string;
  estimatedRows: number;
}

const INTEGER_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "integer", "bigint"]);
// Generated columns (MySQL and MariaDB spell them this way in EXTRA) and MariaDB's system-versioning
// columns cannot be given values; MySQL's DEFAULT_GENERATED (an expression default) can.
const NOT_INSERTABLE = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b|\bROW (START|END)\b/i;

/**
 * Reads the base tables of `databases` with their insertable columns (in table order) and a
 * single-integer primary key if they have one. Views, sequences and system tables are not data.
 */
export async function readTablePlans(connection: Connection, databases: string[]): Promise<TablePlan[]> {
  const [tables] = await connection.query(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_ROWS AS estimate FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?) AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY 1, 2",
    [databases],
  );
  const [columns] = await connection.query(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, COLUMN_NAME AS col, DATA_TYPE AS type, CHARACTER_SET_NAME AS charset, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
    [databases],
  );
  const [keys] = await connection.query(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA IN (?) AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
    [databases],
  );
  const key = (db: string, name: string) => `${db}\0${name}`;
  const columnsOf = new Map<string, Array<{ col: string; type: string; charset: string | null; extra: string }>>();
  for (const row of columns as Array<{ db: string; name: string; col: string; type: string; charset: string | null; extra: string | null }>) {
    const list = columnsOf.get(key(row.db, row.name)) ?? [];
    list.push({ col: row.col, type: row.type, charset: row.charset, extra: row.extra ?? "" });
    columnsOf.set(key(row.db, row.name), list);
  }
  const keyOf = new Map<string, string[]>();
  for (const row of keys as Array<{ db: string; name: string; col: string }>) {
    keyOf.set(key(row.db, row.name), [...(keyOf.get(key(row.db, row.name)) ?? []), row.col]);
  }
  return (tables as Array<{ db: string; name: string; estimate: number | string | null }>).map((row) => {
    const all = columnsOf.get(key(row.db, row.name)) ?? [];
    const insertable = all.filter((column) => !NOT_INSERTABLE.test(column.extra));
    const primary = keyOf.get(key(row.db, row.name)) ?? [];
    const keyColumn = primary.length === 1 ? all.find((column) => column.col === primary[0]) : undefined;
    return {
      database: row.db,
      table: row.name,
      columns: insertable.map((column) => column.col),
      kinds: insertable.map((column) => columnKind(column.type, column.charset)),
      rangeKey: keyColumn && INTEGER_TYPES.has(keyColumn.type.toLowerCase()) && !NOT_INSERTABLE.test(keyColumn.extra) ? keyColumn.col : undefined,
      estimatedRows: Number(row.estimate ?? 0),
    };
  });
}

/**
 * A fingerprint of the plans' columns: equal before the schema dump and inside the snapshot means
 * no DDL changed a dumped table in between, so the schema blob matches the data.
 */
export function planFingerprint(plans: TablePlan[]): string {
  return JSON.stringify(plans.map((plan) => [plan.database, plan.table, plan.columns, plan.kinds, plan.rangeKey ?? null]));
}

/**
 * Splits every table into chunks of about `chunkRows` rows: by ranges of its integer primary key
 * between MIN and MAX read inside the snapshot (so together they cover exactly the snapshot's
 * rows), else one chunk for the whole table. Tasks come largest first, so the longest chunks start
 * early and the sessions finish together; blob numbers follow table and key order.
 */
export async function planChunks(snapshot: Connection, plans: TablePlan[], chunkRows: number): Promise<ChunkTask[]> {
  const tasks: ChunkTask[] = [];
  let n = 0;
  for (const plan of plans) {
    const whole = () => tasks.push({ n: ++n, plan, index: 0, where: "", range: "whole table", estimatedRows: plan.estimatedRows });
    if (!plan.rangeKey) {
      whole();
      continue;
    }
    const column = quoteIdentifier(plan.rangeKey);
    const [rows] = await snapshot.query({
      sql: `SELECT CAST(MIN(${column}) AS CHAR) AS low, CAST(MAX(${column}) AS CHAR) AS high FROM ${quoteIdentifier(plan.database)}.${quoteIdentifier(plan.table)}`,
    });
    const { low, high } = (rows as Array<{ low: string | null; high: string | null }>)[0];
    if (low === null || high === null) {
      whole();
      continue;
    }
    const min = BigInt(low);
    const max = BigInt(high);
    const span = max - min + 1n;
    // The estimate may be stale (e.g. 0 right after a bulk load); the key span bounds it for dense keys.
    const estimate = plan.estimatedRows > 0 && BigInt(plan.estimatedRows) < span ? BigInt(plan.estimatedRows) : span;
    const count = (estimate + BigInt(chunkRows) - 1n) / BigInt(chunkRows);
    if (count <= 1n) {
      whole();
      continue;
    }
    const width = (span + count - 1n) / count;
    let index = 0;
    for (let from = min; from <= max; from += width) {
      const to = from + width; // exclusive
      const last = to > max;
      const where = last ? `${column} >= ${from}` : `${column} >= ${from} AND ${column} < ${to}`;
      const range = last ? `${plan.rangeKey} >= ${from}` : `${plan.rangeKey} >= ${from} AND ${plan.rangeKey} < ${to}`;
      tasks.push({ n: ++n, plan, index: index++, where, range, estimatedRows: Number(estimate / count) });
    }
  }
  return [...tasks].sort((a, b) => b.estimatedRows - a.estimatedRows || a.n - b.n);
}
