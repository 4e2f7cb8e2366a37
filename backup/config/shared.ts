import { ConfigReader } from "./reader";
import { registerSecret } from "../lib/secrets";

/** How to reach a MySQL or MariaDB server over TCP. */
export interface MysqlEndpoint {
  host: string;
  port: number;
  user: string;
  /** Never logged; handed to the client tools through a private options file. */
  password?: string;
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

/** Reads `<prefix>_HOST`, `_PORT`, `_USER`, `_PASSWORD` / `_PASSWORD_FILE`. */
export function readMysqlEndpoint(reader: ConfigReader, prefix: string): MysqlEndpoint {
  const password = reader.secret(`${prefix}_PASSWORD`, false);
  registerSecret(password);
  return {
    host: reader.string(`${prefix}_HOST`),
    port: reader.integer(`${prefix}_PORT`, 3306, 1, 65535),
    user: reader.string(`${prefix}_USER`),
    password,
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
  }
  const rawPrefix = reader.optional("DR_BLOB_PREFIX") ?? "";
  if (rawPrefix.startsWith("/") || rawPrefix.includes("..")) reader.problems.push("DR_BLOB_PREFIX must be a relative name without '..'");
  const prefix = rawPrefix === "" || rawPrefix.endsWith("/") ? rawPrefix : `${rawPrefix}/`;
  return { containerUrl: containerUrl.replace(/\/+$/, ""), sas, prefix };
}
