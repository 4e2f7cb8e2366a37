import { createHash } from "node:crypto";
import type { Connection } from "mysql2/promise";
import { quoteIdentifier } from "../lib/mysql-connection";

/**
 * A digest of every row of every table in a database, ordered by primary key, so two servers
 * can be compared for exact equality. Returns per-table digests and row counts.
 */
export async function databaseDigest(connection: Connection, database: string): Promise<Record<string, { rows: number; sha256: string }>> {
  const [tables] = await connection.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1", [database]);
  const digest: Record<string, { rows: number; sha256: string }> = {};
  for (const { name } of tables as Array<{ name: string }>) {
    const [keys] = await connection.query(
      "SELECT COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
      [database, name],
    );
    const order = (keys as Array<{ col: string }>).map((key) => quoteIdentifier(key.col)).join(", ") || "1";
    const [rows] = await connection.query({ sql: `SELECT * FROM ${quoteIdentifier(database)}.${quoteIdentifier(name)} ORDER BY ${order}`, rowsAsArray: true });
    const hash = createHash("sha256");
    for (const row of rows as unknown[][]) hash.update(JSON.stringify(row, (_key, value) => (Buffer.isBuffer(value) ? value.toString("hex") : value)));
    digest[name] = { rows: (rows as unknown[]).length, sha256: hash.digest("hex") };
  }
  return digest;
}
