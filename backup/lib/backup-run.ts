import { ContainerClient } from "@azure/storage-blob";
import { MysqlEndpoint } from "../config/shared";
import { BlobLayout } from "./blob-layout";
import { Logger } from "./log";
import { MysqlTools } from "./mysql-tools";

/** What every full backup run needs, whatever its format: where from, where to, and how it is stopped or fenced. */
export interface BackupRun {
  container: ContainerClient;
  layout: BlobLayout;
  source: MysqlEndpoint;
  tools: MysqlTools;
  databases: string[];
  epoch: string;
  /** The binlog chain's first file: the snapshot must not lie before it. */
  epochStartFile: string;
  log: Logger;
  /** Called as compressed bytes are uploaded, with the total so far. */
  onProgress?: (uploadedBytes: number) => void;
  /** Aborting stops the dump and the uploads (the agent is shutting down). */
  signal?: AbortSignal;
  /** Throws when this agent may no longer write (writer lease lost); checked before the manifest makes the backup visible. */
  assertWriter?: () => void;
}
