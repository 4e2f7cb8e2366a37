import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import mysql from "mysql2/promise";
import { EndpointTls, MysqlEndpoint, isLoopbackHost } from "../config/shared";
import { explainMysqlError } from "./explain-error";
import { ServerDialect, dialectFor } from "./mysql-dialect";

/**
 * Codes of a refused TLS handshake: mysql2 (3.x) replaces Node's code (e.g. SELF_SIGNED_CERT_IN_CHAIN,
 * ERR_TLS_CERT_ALTNAME_INVALID) with HANDSHAKE_SSL_ERROR and keeps Node's message; both are listed.
 */
const CERTIFICATE_ERRORS = new Set([
  "HANDSHAKE_SSL_ERROR",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The mysql2 `ssl` options this module uses. */
export interface Mysql2Tls {
  ca: string;
  rejectUnauthorized: true;
  verifyIdentity: true;
  minVersion: "TLSv1.2";
}

/**
 * mysql2 `ssl` options for the endpoint: the CA file's certificates, chain verification
 * (`rejectUnauthorized`) and host name/IP verification (`verifyIdentity`, which mysql2 leaves off
 * unless asked). Undefined only for the loopback-only plaintext mode.
 */
export function mysql2TlsOptions(host: string, tls: EndpointTls): Mysql2Tls | undefined {
  if (tls.mode === "INSECURE_PLAINTEXT_LOOPBACK_ONLY") {
    // Checked here too, not only in config, so no caller can build its way to plaintext on a network.
    if (!isLoopbackHost(host)) throw new Error(`refusing a plaintext connection to ${host}: INSECURE_PLAINTEXT_LOOPBACK_ONLY is for loopback hosts only`);
    return undefined;
  }
  if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
    // mysql2 sends no server name for an IP and Node then checks the certificate against "localhost", not the IP.
    throw new Error(`cannot verify the identity of ${host}: VERIFY_IDENTITY needs the DNS name the server's certificate carries, not an IP address`);
  }
  let ca: string;
  try {
    ca = readFileSync(tls.caFile, "utf8");
  } catch (error) {
    throw new Error(`cannot read the TLS CA file ${tls.caFile} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return { ca, rejectUnauthorized: true, verifyIdentity: true, minVersion: "TLSv1.2" };
}

/**
 * Opens a mysql2 connection to the endpoint (TCP, multiple statements off) over verified TLS. A
 * server without TLS, a certificate not signed by the CA file or one for another name is refused;
 * the error names the CA file so the operator knows which setting to check. A network failure or a
 * refused user names the server (source or target), host:port and the settings to fix (see
 * explain-error.ts); the error keeps the original `code`.
 */
export async function connect(endpoint: MysqlEndpoint, database?: string): Promise<mysql.Connection> {
  const ssl = mysql2TlsOptions(endpoint.host, endpoint.tls);
  try {
    return await mysql.createConnection({
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password: endpoint.password,
      database,
      connectTimeout: 5_000,
      supportBigNumbers: true,
      ssl,
    });
  } catch (error) {
    throw explainMysqlError(error, endpoint) ?? describeTlsFailure(error as NodeJS.ErrnoException, endpoint);
  }
}

/** Rewords a refused certificate or a server without TLS; other errors pass unchanged. */
function describeTlsFailure(error: NodeJS.ErrnoException, endpoint: MysqlEndpoint): Error {
  if (endpoint.tls.mode !== "VERIFY_IDENTITY") return error;
  const where = `${endpoint.host}:${endpoint.port}`;
  let message: string | undefined;
  if (error.code !== undefined && CERTIFICATE_ERRORS.has(error.code)) {
    message = `TLS verification of ${where} failed: ${error.message} (${error.code}); its certificate must chain to a CA in ${endpoint.tls.caFile} and name ${endpoint.host}`;
  } else if (error.code === "HANDSHAKE_NO_SSL_SUPPORT") {
    message = `${where} does not offer TLS; refusing to connect without it (CA file ${endpoint.tls.caFile})`;
  }
  if (message === undefined) return error;
  const wrapped = new Error(message) as NodeJS.ErrnoException;
  wrapped.code = error.code;
  return wrapped;
}

/** The server's current binlog write position. */
export interface BinlogPosition {
  file: string;
  position: number;
}

const dialects = new WeakMap<mysql.Connection, ServerDialect>();

/** The server's version string. */
export async function serverVersion(connection: mysql.Connection): Promise<string> {
  const [rows] = await connection.query("SELECT VERSION() AS version");
  return String((rows as Array<{ version: string }>)[0].version);
}

/** The statements this connection's server accepts (asked once per connection, then remembered). */
export async function serverDialect(connection: mysql.Connection): Promise<ServerDialect> {
  let dialect = dialects.get(connection);
  if (!dialect) {
    dialect = dialectFor(await serverVersion(connection));
    dialects.set(connection, dialect);
  }
  return dialect;
}

/**
 * Reads the binlog position with the statement the server accepts (SHOW BINARY LOG STATUS on
 * MySQL 8.2+, SHOW MASTER STATUS on MariaDB and older MySQL); throws when binary logging is off.
 */
export async function currentBinlogPosition(connection: mysql.Connection): Promise<BinlogPosition> {
  const { binlogStatusStatement } = await serverDialect(connection);
  const [rows] = await connection.query(binlogStatusStatement);
  const row = (rows as Array<Record<string, unknown>>)[0];
  if (!row) throw new Error(`binary logging is disabled on the source (${binlogStatusStatement} is empty); enable log_bin with binlog_format=ROW`);
  return { file: String(row.File), position: Number(row.Position) };
}

/** Lists the binlog files the server still has (oldest first); SHOW BINARY LOGS is valid on every supported server. */
export async function listServerBinlogs(connection: mysql.Connection): Promise<string[]> {
  const [rows] = await connection.query("SHOW BINARY LOGS");
  return (rows as Array<Record<string, unknown>>).map((row) => String(row.Log_name));
}

/** Quotes an identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}
