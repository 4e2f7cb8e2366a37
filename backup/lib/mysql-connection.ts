import mysql from "mysql2/promise";
import { MysqlEndpoint } from "../config/shared";

/** Opens a mysql2 connection to the endpoint (TCP, multiple statements off). */
export async function connect(endpoint: MysqlEndpoint, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database,
    connectTimeout: 5_000,
    supportBigNumbers: true,
  });
}

/** The server's current binlog write position. */
export interface BinlogPosition {
  file: string;
  position: number;
}

/** Reads SHOW MASTER STATUS; throws when binary logging is off. */
export async function currentBinlogPosition(connection: mysql.Connection): Promise<BinlogPosition> {
  const [rows] = await connection.query("SHOW MASTER STATUS");
  const row = (rows as Array<Record<string, unknown>>)[0];
  if (!row) throw new Error("binary logging is disabled on the source (SHOW MASTER STATUS is empty); enable log_bin with binlog_format=ROW");
  return { file: String(row.File), position: Number(row.Position) };
}

/** Lists the binlog files the server still has (oldest first). */
export async function listServerBinlogs(connection: mysql.Connection): Promise<string[]> {
  const [rows] = await connection.query("SHOW BINARY LOGS");
  return (rows as Array<Record<string, unknown>>).map((row) => String(row.Log_name));
}

/** The server's version string. */
export async function serverVersion(connection: mysql.Connection): Promise<string> {
  const [rows] = await connection.query("SELECT VERSION() AS version");
  return String((rows as Array<{ version: string }>)[0].version);
}

/** Quotes an identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}
