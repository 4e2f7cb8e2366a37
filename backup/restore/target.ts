import type { Connection } from "mysql2/promise";
import { TableRows } from "../lib/manifest";
import { quoteIdentifier } from "../lib/mysql-connection";

/** Raised when the target holds data the restore would overwrite and no --replace was given. */
export class TargetNotEmptyError extends Error {
  constructor(readonly occupied: Array<{ database: string; tables: number }>) {
    super(
      `refusing to overwrite the target: ${occupied.map((o) => `database \`${o.database}\` exists with ${o.tables} table(s)`).join(", ")}. ` +
        "Nothing was changed. Re-run with --replace to swap the restored databases in once the restore succeeded " +
        "(the current tables and objects are kept in `<db>__dr_previous_<id>`).",
    );
    this.name = "TargetNotEmptyError";
  }
}

/** Databases among `names` that exist on the target, with their table counts. */
export async function existingDatabases(connection: Connection, names: string[]): Promise<Array<{ database: string; tables: number }>> {
  const [rows] = await connection.query(
    "SELECT s.SCHEMA_NAME AS name, COUNT(t.TABLE_NAME) AS tables FROM information_schema.SCHEMATA s " +
      "LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME WHERE s.SCHEMA_NAME IN (?) GROUP BY s.SCHEMA_NAME",
    [names],
  );
  return (rows as Array<{ name: string; tables: number }>).map((row) => ({ database: row.name, tables: Number(row.tables) }));
}

/** Counts rows of each table on the target. */
export async function countRows(connection: Connection, tables: Array<{ database: string; table: string }>): Promise<TableRows[]> {
  const result: TableRows[] = [];
  for (const { database, table } of tables) {
    const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}`);
    result.push({ database, table, rows: Number((rows as Array<{ n: number }>)[0].n) });
  }
  return result;
}

/** Tables present on the target in the given databases. */
export async function listTables(connection: Connection, databases: string[]): Promise<Array<{ database: string; table: string }>> {
  const [rows] = await connection.query(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?) AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1, 2",
    [databases],
  );
  return (rows as Array<{ db: string; name: string }>).map((row) => ({ database: row.db, table: row.name }));
}
