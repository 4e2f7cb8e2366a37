import { BlobSettings, MysqlEndpoint } from "../config/shared";

/** An error reworded to name the thing, the cause and the fix; keeps the original code and cause. */
export class ExplainedError extends Error {
  readonly explained = true;
  constructor(message: string, readonly code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = "ExplainedError";
    // Callers that branch on the driver's or the SDK's fields (errno 1045, statusCode 403) still can.
    for (const key of ["errno", "sqlState", "sqlMessage", "fatal", "statusCode"]) {
      const value = (cause as Record<string, unknown> | undefined)?.[key];
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
    }
  }
}

/** Network failures of Node sockets (mysql2 and the Azure SDK both pass these codes through). */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host name not found in DNS",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "no route to the host",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset by the server",
};

/** What to check for each network failure. */
const NETWORK_FIXES: Record<string, string> = {
  ECONNREFUSED: "is the server running and the port right?",
  ENOTFOUND: "check the host name's spelling and this machine's DNS",
  EAI_AGAIN: "check this machine's DNS and retry",
  ETIMEDOUT: "check the host, the firewall / security group / NSG rules and the network path from this machine",
  EHOSTUNREACH: "check the routing or VPN from this machine to the host",
  ENETUNREACH: "check this machine's network and routes",
  ECONNRESET: "check TLS settings and any proxy or firewall in between, then retry",
};

function errorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; errno?: unknown; details?: { errorCode?: unknown } };
  if (typeof candidate?.details?.errorCode === "string") return candidate.details.errorCode;
  return typeof candidate?.code === "string" ? candidate.code : undefined;
}

function alreadyExplained(error: unknown): boolean {
  return (error as { explained?: boolean })?.explained === true;
}

/** The role and settings of a MySQL endpoint, for messages: "target MySQL" and DR_TARGET. */
function mysqlSide(endpoint: MysqlEndpoint): { role: string; setting?: string } {
  if (endpoint.setting === "DR_TARGET") return { role: "the target MySQL", setting: "DR_TARGET" };
  if (endpoint.setting === "DR_MYSQL") return { role: "the source MySQL", setting: "DR_MYSQL" };
  return { role: "MySQL" };
}

/**
 * Rewords a failed connection to a MySQL endpoint (network failure, refused user or database) so
 * it names which server, which settings and what to check. Undefined when the error is not one of
 * those (the caller keeps it as it is).
 */
export function explainMysqlError(error: unknown, endpoint: MysqlEndpoint): ExplainedError | undefined {
  if (alreadyExplained(error)) return undefined;
  const code = errorCode(error);
  if (!code) return undefined;
  const { role, setting } = mysqlSide(endpoint);
  const where = `${endpoint.host}:${endpoint.port}`;
  if (NETWORK_CAUSES[code]) {
    const settings = setting ? ` (${setting}_HOST/${setting}_PORT)` : "";
    return new ExplainedError(`cannot reach ${role} at ${where}${settings}: ${NETWORK_CAUSES[code]} (${code}) — ${NETWORK_FIXES[code]}`, code, error);
  }
  if (code === "ER_ACCESS_DENIED_ERROR") {
    const settings = setting ? ` (${setting}_USER, ${setting}_PASSWORD or ${setting}_PASSWORD_FILE)` : "";
    // MariaDB answers a plaintext login under require_secure_transport with this same code.
    const plaintext =
      endpoint.tls.mode === "INSECURE_PLAINTEXT_LOOPBACK_ONLY" ? `, or the server requires TLS (${setting ?? "<prefix>"}_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY sends none)` : "";
    return new ExplainedError(
      `${role} at ${where} refused user '${endpoint.user}'${settings}: ${(error as Error).message} (${code}) — check the password and that the user may connect from this host${plaintext}`,
      code,
      error,
    );
  }
  if (code === "ER_DBACCESS_DENIED_ERROR" || code === "ER_TABLEACCESS_DENIED_ERROR") {
    const detail = (error as Error).message;
    return new ExplainedError(`${role} at ${where} denied user '${endpoint.user}' access (${code}: ${detail}) — grant the user the privileges listed in backup/README.md`, code, error);
  }
  return undefined;
}

/**
 * Rewords a failed call to the backup container (network failure, refused or expired SAS,
 * missing container) so it names the container, the setting and what to do. Undefined for
 * errors that are not from the storage service or the network.
 */
export function explainBlobError(error: unknown, blob: BlobSettings): ExplainedError | undefined {
  if (alreadyExplained(error)) return undefined;
  const candidate = error as { name?: string; statusCode?: number };
  const fromStorage = candidate?.name === "RestError" || typeof candidate?.statusCode === "number";
  if (!fromStorage) return undefined;
  const code = errorCode(error);
  const status = candidate.statusCode;
  const container = blob.containerUrl;
  if (code && NETWORK_CAUSES[code]) {
    return new ExplainedError(`cannot reach the backup container ${container} (DR_BLOB_CONTAINER_URL): ${NETWORK_CAUSES[code]} (${code}) — ${NETWORK_FIXES[code]}`, code, error);
  }
  const sas = new URLSearchParams(blob.sas);
  const expiry = sas.get("se");
  if (status === 403 && code === "AuthenticationFailed") {
    const expired = expiry ? `it may have expired (se=${expiry})` : "it may have expired";
    return new ExplainedError(
      `the backup container ${container} refused the SAS in DR_BLOB_SAS (403 AuthenticationFailed): ${expired}, been revoked, or its account key rotated — issue a new one (az storage container generate-sas --account-name <account> --name <container> --permissions ${sas.get("sp") ?? "<sp>"} --expiry <UTC time>)`,
      code,
      error,
    );
  }
  if (status === 403 && code === "AuthorizationPermissionMismatch") {
    return new ExplainedError(
      `the SAS in DR_BLOB_SAS lacks a permission this operation needs on ${container} (403 AuthorizationPermissionMismatch; sp=${sas.get("sp") ?? "none"}) — the restore needs sp=rl`,
      code,
      error,
    );
  }
  if (status === 403 && code === "AuthorizationSourceIPMismatch") {
    return new ExplainedError(`the SAS in DR_BLOB_SAS does not admit this machine's IP address (403 AuthorizationSourceIPMismatch; sip=${sas.get("sip") ?? "none"}) — issue one whose --ip range includes it`, code, error);
  }
  if (status === 403 && code === "AuthorizationProtocolMismatch") {
    return new ExplainedError(`the SAS in DR_BLOB_SAS allows HTTPS only (403 AuthorizationProtocolMismatch) — use an https:// DR_BLOB_CONTAINER_URL (now ${container})`, code, error);
  }
  if (status === 403) {
    return new ExplainedError(
      `the backup container ${container} refused the request (403 ${code ?? "Forbidden"}): the SAS in DR_BLOB_SAS is not valid for it (wrong signature, wrong container or account, ${expiry ? `expiry se=${expiry}` : "expired"}) or the account's network rules do not admit this machine — check DR_BLOB_SAS and the storage firewall`,
      code,
      error,
    );
  }
  if (status === 404 && code === "ContainerNotFound") {
    return new ExplainedError(`the backup container ${container} does not exist (404 ContainerNotFound) — check the account and container name in DR_BLOB_CONTAINER_URL`, code, error);
  }
  return undefined;
}
