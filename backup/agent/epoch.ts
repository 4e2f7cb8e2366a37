import { ContainerClient } from "@azure/storage-blob";
import { MysqlEndpoint } from "../config/shared";
import { storageErrorCode } from "../lib/blob-client";
import { BlobLayout, timeOrderedId } from "../lib/blob-layout";
import { EpochInfo } from "../lib/manifest";
import { connect, currentBinlogPosition, serverVersion } from "../lib/mysql-connection";
import { AgentState, cursorAt } from "./state";

/**
 * Starts a new binlog chain at the source's current binlog file. Used on first start and
 * whenever continuity with the previous chain cannot be proven; a full backup follows at once.
 */
export async function newEpochState(source: MysqlEndpoint, previous?: AgentState): Promise<AgentState> {
  const connection = await connect(source);
  try {
    const position = await currentBinlogPosition(connection);
    return {
      formatVersion: 1,
      epoch: timeOrderedId(),
      epochStartFile: position.file,
      epochCreatedAt: new Date().toISOString(),
      epochInfoWritten: false,
      cursor: cursorAt(position.file),
      nextRun: previous?.nextRun ?? 1,
      sealedFiles: 0,
    };
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/** Writes `binlog/<epoch>/epoch.json` (idempotent). */
export async function writeEpochInfo(container: ContainerClient, layout: BlobLayout, state: AgentState, source: MysqlEndpoint): Promise<void> {
  const connection = await connect(source);
  let version: string;
  try {
    version = await serverVersion(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
  const info: EpochInfo = { formatVersion: 1, epoch: state.epoch, startFile: state.epochStartFile, createdAt: state.epochCreatedAt, serverVersion: version };
  const body = JSON.stringify(info, null, 2);
  try {
    await container.getBlockBlobClient(layout.epochInfo(state.epoch)).upload(body, Buffer.byteLength(body), {
      conditions: { ifNoneMatch: "*" },
      blobHTTPHeaders: { blobContentType: "application/json" },
    });
  } catch (error) {
    if (storageErrorCode(error).status !== 409) throw error;
  }
}
