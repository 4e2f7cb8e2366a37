import { ContainerClient } from "@azure/storage-blob";
import { BlobSettings } from "../config/shared";
import { nearest } from "../lib/nearest";
import { BackupEntry, ChainReach } from "./catalog";

/** At most this many prefixes are listed when the configured one holds nothing. */
const MAX_PREFIXES = 10;

/** Raised when no full backup can be restored; the message says which of the causes applies. */
export class NoBackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoBackupError";
  }
}

/**
 * Says why there is nothing to restore, one cause per message: an empty container, nothing under
 * DR_BLOB_PREFIX (listing the prefixes that do hold blobs and the nearest one), `--until` before
 * the oldest backup (with the recovery points on offer), or every backup rejected (with why).
 */
export async function explainNoBackup(
  container: ContainerClient,
  blob: BlobSettings,
  entries: BackupEntry[],
  latest: ChainReach | undefined,
  until: Date | undefined,
): Promise<NoBackupError> {
  const where = `${blob.containerUrl}${blob.prefix ? ` under DR_BLOB_PREFIX=${blob.prefix}` : ""}`;
  if (entries.length === 0) return explainEmpty(container, blob);
  const usable = entries.filter((entry) => entry.manifest && !entry.problem);
  if (usable.length > 0 && until) {
    const snapshots = usable.map((entry) => entry.manifest?.snapshotAt as string).sort();
    const oldest = snapshots[0];
    const newest = latest?.lastWrite?.toISOString() ?? snapshots[snapshots.length - 1];
    return new NoBackupError(
      `no full backup in ${where} was taken before --until ${until.toISOString()}: the oldest is from ${oldest}. ` +
        `Recovery points available run from ${oldest} to ${newest} (last shipped): use a --until between them, or leave it out for the latest`,
    );
  }
  const rejected = entries.map((entry) => `${entry.backupId} (${entry.problem ?? "not usable"})`).join("; ");
  return new NoBackupError(
    `none of the ${entries.length} full backup(s) in ${where} is usable: ${rejected}. ` +
      "Have the agent take a new full backup (kill -USR1 <agent pid>, or wait for DR_FULL_BACKUP_INTERVAL), or restore an older one with --backup <id>",
  );
}

async function explainEmpty(container: ContainerClient, blob: BlobSettings): Promise<NoBackupError> {
  const prefixes: string[] = [];
  let blobsAtRoot = 0;
  for await (const item of container.listBlobsByHierarchy("/")) {
    if (item.kind === "prefix") prefixes.push(item.name);
    else blobsAtRoot += 1;
    if (prefixes.length >= MAX_PREFIXES) break;
  }
  if (prefixes.length === 0 && blobsAtRoot === 0) {
    return new NoBackupError(
      `the backup container ${blob.containerUrl} is empty: no agent has shipped a backup to it yet. ` +
        "Check that DR_BLOB_CONTAINER_URL names the container the agent writes to, and that the agent has finished its first full backup (mysql-dr status)",
    );
  }
  const configured = blob.prefix;
  if (configured && prefixes.includes(configured)) {
    return new NoBackupError(
      `DR_BLOB_PREFIX=${configured} in ${blob.containerUrl} holds no full backup yet (full/ is empty): the agent has not finished its first full backup; wait for it (mysql-dr status) or check the agent's log`,
    );
  }
  const listed = prefixes.map((prefix) => `"${prefix}"`).join(", ");
  const suggestion = prefixes.length > 0 ? `; did you mean DR_BLOB_PREFIX=${nearest(configured, prefixes, 1)[0]}?` : "";
  const found = prefixes.length > 0 ? `it holds blobs under ${listed}${prefixes.length >= MAX_PREFIXES ? " (first 10)" : ""}` : "it holds blobs only at its top level";
  return new NoBackupError(`no backups under DR_BLOB_PREFIX="${configured}" in ${blob.containerUrl}: ${found}${suggestion}`);
}
