import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { ConfigReader } from "./reader";
import { registerSecret } from "../lib/secrets";

/**
 * How a connection is secured. `VERIFY_IDENTITY` (the default): TLS 1.2+, the server's certificate
 * must chain to the configured CA and name the host connected to, which must be a DNS name (mysql2
 * cannot check an IP address: it checks such a certificate against "localhost").
 * `INSECURE_PLAINTEXT_LOOPBACK_ONLY`: no TLS at all, accepted only for a loopback host (a local test
 * double); there is no mode that encrypts without verifying.
 */
export type TlsMode = "VERIFY_IDENTITY" | "INSECURE_PLAINTEXT_LOOPBACK_ONLY";

/** Default TLS mode: verification on. */
export const DEFAULT_TLS_MODE: TlsMode = "VERIFY_IDENTITY";

/** TLS settings of one endpoint. */
export type EndpointTls =
  | {
      mode: "VERIFY_IDENTITY";
      /** PEM file with the CA certificate(s) the server's certificate must chain to. */
      caFile: string;
    }
  | { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" };

/** How to reach a MySQL or MariaDB server over TCP. */
export interface MysqlEndpoint {
  host: string;
  port: number;
  user: string;
  /** Never logged; handed to the client tools through a private options file. */
  password?: string;
  /** Every connection (mysql2 and the client tools) is made with these. */
  tls: EndpointTls;
  /** The settings prefix it was read from, so errors name the server and the keys to fix. */
  setting?: "DR_MYSQL" | "DR_TARGET";
}

/** Which client tool family to run: MySQL's (`mysqlbinlog`, `mysqldump`, `mysql`) or MariaDB's. */
export type ToolFlavor = "auto" | "mysql" | "mariadb";

/** Client tool choice and explicit paths (auto-detected from PATH when unset). */
export interface ToolSettings {
  flavor: ToolFlavor;
  binlogTool?: string;
  dumpTool?: string;
  clientTool?: string;
}

/** Where backups live: an Azure Blob container, a SAS for it and a name prefix inside it. */
export interface BlobSettings {
  /** Container URL without a query string, e.g. https://acct.blob.core.windows.net/mysql-backups. */
  containerUrl: string;
  /** SAS token (query string without `?`); never logged. */
  sas: string;
  /** Prefix for every blob name, empty or ending in `/`. */
  prefix: string;
}

/** Whether `host` names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Problem with a CA file's content, or undefined when it holds at least one PEM certificate. */
export function caFileProblem(caFile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(caFile, "utf8");
  } catch (error) {
    return `cannot read ${caFile} (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  return text.includes("-----BEGIN CERTIFICATE-----") ? undefined : `${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`;
}

/**
 * Reads `<prefix>_SSL_MODE` and `<prefix>_SSL_CA`: verification is on unless the plaintext mode is
 * named, and that mode is refused for any host but loopback.
 */
export function readEndpointTls(reader: ConfigReader, prefix: string, host: string): EndpointTls {
  const mode = reader.choice<TlsMode>(`${prefix}_SSL_MODE`, ["VERIFY_IDENTITY", "INSECURE_PLAINTEXT_LOOPBACK_ONLY"], DEFAULT_TLS_MODE);
  const caFile = reader.optional(`${prefix}_SSL_CA`);
  if (mode === "INSECURE_PLAINTEXT_LOOPBACK_ONLY") {
    if (host && !isLoopbackHost(host)) reader.problems.push(`${prefix}_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY is refused for ${host}: plaintext is allowed only to a loopback host`);
    if (caFile) reader.problems.push(`${prefix}_SSL_CA is set but ${prefix}_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY would not use it; remove one`);
    return { mode };
  }
  if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
    reader.problems.push(`${prefix}_HOST is an IP address (${host}); VERIFY_IDENTITY needs the DNS name the server's certificate carries (RDS: the instance endpoint; Azure: <server>.mysql.database.azure.com)`);
  }
  if (!caFile) {
    reader.problems.push(`${prefix}_SSL_CA is required: the PEM file of the CA that signed the server's certificate (RDS: global-bundle.pem; Azure MySQL: DigiCert Global Root G2 + Microsoft RSA Root CA 2017)`);
    return { mode, caFile: "" };
  }
  const problem = caFileProblem(caFile);
  if (problem) reader.problems.push(`${prefix}_SSL_CA: ${problem}`);
  return { mode, caFile };
}

/** Clock difference tolerated on a SAS start time (st=): a SAS issued on a machine a little ahead is not refused. */
const SAS_START_SKEW_MS = 60_000;

/**
 * Problems with a SAS's validity window at `now`: expired (se= in the past) or not yet valid
 * (st= in the future, beyond SAS_START_SKEW_MS), each with the command that issues a new one.
 */
export function sasTimeProblems(params: URLSearchParams, permissions: string, now: Date): string[] {
  const problems: string[] = [];
  const reissue = `issue a new one (az storage container generate-sas --account-name <account> --name <container> --permissions ${permissions} --expiry <UTC time>)`;
  const expiry = params.get("se");
  if (expiry) {
    const at = Date.parse(expiry);
    if (Number.isNaN(at)) problems.push(`DR_BLOB_SAS has an unreadable expiry se=${expiry}`);
    else if (at <= now.getTime()) problems.push(`DR_BLOB_SAS expired at ${expiry} (${describeSpan(now.getTime() - at)} ago): ${reissue}`);
  }
  const start = params.get("st");
  if (start) {
    const at = Date.parse(start);
    if (Number.isNaN(at)) problems.push(`DR_BLOB_SAS has an unreadable start time st=${start}`);
    else if (at > now.getTime() + SAS_START_SKEW_MS) problems.push(`DR_BLOB_SAS is not valid before st=${start} (in ${describeSpan(at - now.getTime())}): wait, or ${reissue} without --start`);
  }
  return problems;
}

function describeSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds >= 2 * 86_400) return `${Math.floor(seconds / 86_400)} days`;
  if (seconds >= 2 * 3_600) return `${Math.floor(seconds / 3_600)} h`;
  if (seconds >= 120) return `${Math.floor(seconds / 60)} min`;
  return `${seconds} s`;
}

/** Reads `<prefix>_HOST`, `_PORT`, `_USER`, `_PASSWORD` / `_PASSWORD_FILE`, `_SSL_MODE`, `_SSL_CA`. */
export function readMysqlEndpoint(reader: ConfigReader, prefix: "DR_MYSQL" | "DR_TARGET"): MysqlEndpoint {
  const password = reader.secret(`${prefix}_PASSWORD`, false);
  registerSecret(password);
  const host = reader.string(`${prefix}_HOST`);
  return {
    host,
    port: reader.integer(`${prefix}_PORT`, 3306, 1, 65535),
    user: reader.string(`${prefix}_USER`),
    password,
    tls: readEndpointTls(reader, prefix, host),
    setting: prefix,
  };
}

/** Reads DR_MYSQL_FLAVOR and the tool path overrides. */
export function readToolSettings(reader: ConfigReader): ToolSettings {
  return {
    flavor: reader.choice<ToolFlavor>("DR_MYSQL_FLAVOR", ["auto", "mysql", "mariadb"], "auto"),
    binlogTool: reader.optional("DR_BINLOG_TOOL"),
    dumpTool: reader.optional("DR_DUMP_TOOL"),
    clientTool: reader.optional("DR_CLIENT_TOOL"),
  };
}

/**
 * Reads the blob container settings and checks the SAS grants exactly what this role needs:
 * `required` permissions must be present and `forbidden` ones absent (least privilege is checked
 * at start-up, not discovered during a disaster).
 */
export function readBlobSettings(reader: ConfigReader, required: string, forbidden: string): BlobSettings {
  const containerUrl = reader.string("DR_BLOB_CONTAINER_URL");
  if (containerUrl) {
    try {
      const url = new URL(containerUrl);
      if (url.protocol !== "https:" && url.protocol !== "http:") reader.problems.push("DR_BLOB_CONTAINER_URL must be an http(s) URL");
      if (url.search !== "") reader.problems.push("DR_BLOB_CONTAINER_URL must not contain a query string; put the SAS in DR_BLOB_SAS");
    } catch {
      reader.problems.push("DR_BLOB_CONTAINER_URL is not a valid URL");
    }
  }
  const sas = (reader.secret("DR_BLOB_SAS", true) ?? "").replace(/^\?/, "");
  registerSecret(sas);
  if (sas) {
    const params = new URLSearchParams(sas);
    const permissions = params.get("sp");
    if (!params.get("sig")) reader.problems.push("DR_BLOB_SAS has no signature (sig=)");
    if (!permissions) {
      reader.problems.push("DR_BLOB_SAS has no permissions (sp=)");
    } else {
      const missing = [...required].filter((p) => !permissions.includes(p));
      const extra = [...forbidden].filter((p) => permissions.includes(p));
      if (missing.length > 0) reader.problems.push(`DR_BLOB_SAS lacks permission(s) ${missing.join("")} (sp=${permissions}; this role needs ${required})`);
      if (extra.length > 0) reader.problems.push(`DR_BLOB_SAS grants ${extra.join("")}, which this role must not have (sp=${permissions}); issue a narrower SAS`);
    }
    reader.problems.push(...sasTimeProblems(params, required, new Date()));
  }
  const rawPrefix = reader.optional("DR_BLOB_PREFIX") ?? "";
  if (rawPrefix.startsWith("/") || rawPrefix.includes("..")) reader.problems.push("DR_BLOB_PREFIX must be a relative name without '..'");
  const prefix = rawPrefix === "" || rawPrefix.endsWith("/") ? rawPrefix : `${rawPrefix}/`;
  return { containerUrl: containerUrl.replace(/\/+$/, ""), sas, prefix };
}
