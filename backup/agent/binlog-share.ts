import { MysqlEndpoint } from "../config/shared";
import { compareBinlogNames, nextBinlogName } from "../lib/binlog-names";
import { ChunkedBackupManifest } from "../lib/chunked-manifest";
import { FullBackupManifest } from "../lib/manifest";
import { connect } from "../lib/mysql-connection";
import { AgentState } from "./state";

/** Uncompressed size of a full backup: the dump (format 1), or schema + post + every chunk (format 2). */
export function fullBackupUncompressedBytes(manifest: FullBackupManifest | ChunkedBackupManifest): number {
  if (manifest.formatVersion === 2) return [manifest.schema, manifest.post, ...manifest.chunks].reduce((sum, file) => sum + file.uncompressedBytes, 0);
  return manifest.dump.uncompressedBytes;
}

/**
 * Binlog bytes shipped since `from` in one chain: the rest of `from`'s file, every whole file after
 * it (all sealed, so fully shipped) and the shipped part of the cursor's file. `sizeOf` gives sealed
 * files' sizes; files it does not know are listed in `unknown` and counted as 0.
 */
export function binlogBytesShippedSince(
  from: { file: string; position: number },
  cursor: { file: string; shippedBytes: number },
  sizeOf: (file: string) => number | undefined,
): { bytes: number; unknown: string[] } {
  if (compareBinlogNames(from.file, cursor.file) > 0) return { bytes: 0, unknown: [] };
  if (from.file === cursor.file) return { bytes: Math.max(0, cursor.shippedBytes - from.position), unknown: [] };
  let bytes = cursor.shippedBytes;
  const unknown: string[] = [];
  for (let file = from.file; compareBinlogNames(file, cursor.file) < 0; file = nextBinlogName(file)) {
    const size = sizeOf(file);
    if (size === undefined) unknown.push(file);
    else bytes += file === from.file ? Math.max(0, size - from.position) : size;
  }
  return { bytes, unknown };
}

/** Why a full backup is due early: the binlog since the last one passed the share of its size. */
export interface BinlogShareExceeded {
  binlogBytes: number;
  fullBackupUncompressedBytes: number;
  share: number;
  minBytes: number;
}

/**
 * The end-of-day bound (DR_FULL_BACKUP_BINLOG_SHARE): a restore replays every binlog byte since
 * the last full backup, so once those bytes pass `share` of that backup's uncompressed size the
 * next full backup is due (and not before `minBytes`). Sealed files' sizes come from the state as the shipper seals them;
 * those it never saw (after a restart or an outage sealing several at once) from `listSizes`
 * (SHOW BINARY LOGS on the source), asked once per unknown file; a file the source no longer has counts as 0.
 */
export class BinlogShareCheck {
  private readonly sealedSizes = new Map<string, number>();

  constructor(
    private readonly share: number,
    /** Never due below this many binlog bytes, whatever the share (a small database replays them in seconds). */
    private readonly minBytes: number,
    private readonly listSizes: () => Promise<Map<string, number>>,
  ) {}

  /** The numbers when the bound is passed; undefined when not, when off (share 0) or when the last backup's size is unknown. */
  async exceeded(state: AgentState): Promise<BinlogShareExceeded | undefined> {
    const last = state.lastFullBackup;
    if (this.share <= 0 || !last || last.epoch !== state.epoch || !last.uncompressedBytes) return undefined;
    if (state.lastSealed) this.sealedSizes.set(state.lastSealed.file, state.lastSealed.size);
    const sizeOf = (file: string) => this.sealedSizes.get(file);
    let shipped = binlogBytesShippedSince(last.coordinates, state.cursor, sizeOf);
    if (shipped.unknown.length > 0) {
      const listed = await this.listSizes();
      for (const file of shipped.unknown) this.sealedSizes.set(file, listed.get(file) ?? 0);
      shipped = binlogBytesShippedSince(last.coordinates, state.cursor, sizeOf);
    }
    if (shipped.bytes <= this.share * last.uncompressedBytes || shipped.bytes < this.minBytes) return undefined;
    return { binlogBytes: shipped.bytes, fullBackupUncompressedBytes: last.uncompressedBytes, share: this.share, minBytes: this.minBytes };
  }
}

/** Every binlog file the source still has, with its size (SHOW BINARY LOGS: REPLICATION CLIENT, which the agent holds). */
export async function sourceBinlogSizes(source: MysqlEndpoint): Promise<Map<string, number>> {
  const connection = await connect(source);
  try {
    const [rows] = await connection.query("SHOW BINARY LOGS");
    return new Map((rows as Array<{ Log_name: string; File_size: number | string }>).map((row) => [String(row.Log_name), Number(row.File_size)]));
  } finally {
    await connection.end().catch(() => undefined);
  }
}
