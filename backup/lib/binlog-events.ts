import { crc32 } from "node:zlib";
import { promises as fs } from "node:fs";

/** The four bytes every binlog file starts with. */
export const BINLOG_MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e]);

/** Size of the common v4 event header. */
export const EVENT_HEADER_SIZE = 19;

/** Binlog event type codes this project looks at (MySQL and MariaDB share them). */
export const EventType = {
  QUERY: 2,
  STOP: 3,
  ROTATE: 4,
  FORMAT_DESCRIPTION: 15,
  XID: 16,
  TABLE_MAP: 19,
  MYSQL_GTID: 33,
  MYSQL_ANONYMOUS_GTID: 34,
  MARIADB_GTID: 162,
} as const;

const QUERY_POST_HEADER_SIZE = 13;
const CHECKSUM_SIZE = 4;
const CHECKSUM_ALG_CRC32 = 1;
const BINLOG_IN_USE_FLAG = 0x1;

/** What the format description event says about the rest of the file. */
export interface BinlogFormat {
  /** True when every event ends with a CRC32 of the event. */
  checksums: boolean;
  /** Server version string recorded by the server that wrote the file. */
  serverVersion: string;
}

/** One complete event found in a binlog file. */
export interface BinlogEvent {
  /** Byte offset of the event in its file. */
  offset: number;
  size: number;
  type: number;
  /** Event timestamp, seconds since the epoch (one-second resolution, as the server records it). */
  timestamp: number;
  /** True for the events that end a transaction or a standalone statement (XID, COMMIT, DDL). */
  endsTransaction: boolean;
}

/** Raised when bytes that should be a binlog are not: the message names the offset and the reason. */
export class BinlogCorruptError extends Error {
  constructor(readonly offset: number, reason: string) {
    super(`binlog corrupt at byte ${offset}: ${reason}`);
    this.name = "BinlogCorruptError";
  }
}

/**
 * Reads the magic number and format description event at the start of a binlog file.
 * Returns undefined when the buffer does not yet hold the whole first event.
 */
export function readBinlogFormat(head: Buffer): BinlogFormat | undefined {
  if (head.length < BINLOG_MAGIC.length) return undefined;
  if (!head.subarray(0, BINLOG_MAGIC.length).equals(BINLOG_MAGIC)) {
    throw new BinlogCorruptError(0, "missing binlog magic number");
  }
  const start = BINLOG_MAGIC.length;
  if (head.length < start + EVENT_HEADER_SIZE) return undefined;
  const type = head.readUInt8(start + 4);
  const size = head.readUInt32LE(start + 9);
  if (type !== EventType.FORMAT_DESCRIPTION) {
    throw new BinlogCorruptError(start, `first event has type ${type}, expected a format description event`);
  }
  if (head.length < start + size) return undefined;
  const event = head.subarray(start, start + size);
  const algorithm = event.readUInt8(size - CHECKSUM_SIZE - 1);
  const checksums = algorithm === CHECKSUM_ALG_CRC32;
  const versionBytes = event.subarray(EVENT_HEADER_SIZE + 2, EVENT_HEADER_SIZE + 52);
  const serverVersion = versionBytes.toString("latin1").replace(/\0.*$/s, "");
  if (checksums) verifyChecksum(event, start, true);
  return { checksums, serverVersion };
}

/**
 * Finds the complete events in `bytes`, which hold the file from `fileOffset` (an event boundary)
 * on. Stops at the first event that is not yet complete; returns the events and the offset after
 * the last complete one. Throws BinlogCorruptError on a bad checksum, size or position.
 */
export function scanEvents(bytes: Buffer, fileOffset: number, format: BinlogFormat): { events: BinlogEvent[]; end: number } {
  const events: BinlogEvent[] = [];
  let cursor = 0;
  while (bytes.length - cursor >= EVENT_HEADER_SIZE) {
    const offset = fileOffset + cursor;
    const size = bytes.readUInt32LE(cursor + 9);
    if (size < EVENT_HEADER_SIZE + (format.checksums ? CHECKSUM_SIZE : 0)) {
      throw new BinlogCorruptError(offset, `event size ${size} is smaller than an event header`);
    }
    if (bytes.length - cursor < size) break;
    const event = bytes.subarray(cursor, cursor + size);
    const logPos = event.readUInt32LE(13);
    // log_pos is 0 for events the server synthesises; otherwise it is where the next event starts.
    if (logPos !== 0 && logPos !== offset + size) {
      throw new BinlogCorruptError(offset, `event claims to end at ${logPos} but ends at ${offset + size}`);
    }
    if (format.checksums) verifyChecksum(event, offset, event.readUInt8(4) === EventType.FORMAT_DESCRIPTION);
    const type = event.readUInt8(4);
    events.push({ offset, size, type, timestamp: event.readUInt32LE(0), endsTransaction: endsTransaction(event, type, format) });
    cursor += size;
  }
  return { events, end: fileOffset + cursor };
}

function verifyChecksum(event: Buffer, offset: number, isFormatDescription: boolean): void {
  const stored = event.readUInt32LE(event.length - CHECKSUM_SIZE);
  const body = event.subarray(0, event.length - CHECKSUM_SIZE);
  if (crc32(body) === stored) return;
  // The server sets the in-use flag on its own open file after computing the checksum, so a copy
  // taken from its disk differs from the checksummed bytes in that one bit.
  if (isFormatDescription && (body.readUInt16LE(17) & BINLOG_IN_USE_FLAG) !== 0) {
    const cleared = Buffer.from(body);
    cleared.writeUInt16LE(cleared.readUInt16LE(17) & ~BINLOG_IN_USE_FLAG, 17);
    if (crc32(cleared) === stored) return;
  }
  throw new BinlogCorruptError(offset, "CRC32 checksum mismatch");
}

function endsTransaction(event: Buffer, type: number, format: BinlogFormat): boolean {
  if (type === EventType.XID) return true;
  if (type !== EventType.QUERY) return false;
  const query = readQueryEvent(event, format).statement.slice(0, 16).trim().toUpperCase();
  return query !== "BEGIN" && !query.startsWith("XA START") && !query.startsWith("XA END");
}

/** The default database and statement text of a QUERY event. */
export function readQueryEvent(event: Buffer, format: BinlogFormat): { database: string; statement: string } {
  const statusVarsLength = event.readUInt16LE(EVENT_HEADER_SIZE + 11);
  const databaseLength = event.readUInt8(EVENT_HEADER_SIZE + 8);
  const databaseStart = EVENT_HEADER_SIZE + QUERY_POST_HEADER_SIZE + statusVarsLength;
  const queryEnd = event.length - (format.checksums ? CHECKSUM_SIZE : 0);
  return {
    database: event.subarray(databaseStart, databaseStart + databaseLength).toString("utf8"),
    statement: event.subarray(databaseStart + databaseLength + 1, queryEnd).toString("utf8"),
  };
}

/** The database named by a TABLE_MAP event (post-header: 6-byte table id and 2 flag bytes). */
export function readTableMapDatabase(event: Buffer): string {
  const start = EVENT_HEADER_SIZE + 8;
  const length = event.readUInt8(start);
  return event.subarray(start + 1, start + 1 + length).toString("utf8");
}

/** The part of a file a replay applies: from a start offset until the first event stamped at or after `stopAt`. */
export interface ReplayWindow {
  from?: number;
  /** Seconds since the epoch; like `--stop-datetime`, the replay stops at the first event at or after it. */
  stopAt?: number;
}

/** Summary of a scanned binlog file. */
export interface BinlogFileSummary {
  format: BinlogFormat;
  /** Offset after the last complete event. */
  end: number;
  eventCount: number;
  firstEventAt?: number;
  lastEventAt?: number;
  /** The last transaction-ending event: where a replay of the whole file leaves the database. */
  lastCommit?: { offset: number; end: number; timestamp: number };
  /** True when bytes after `end` do not form a complete event. */
  trailingPartialEvent: boolean;
  /** The last transaction end inside the replay window: where a replay of this file leaves the database. */
  lastAppliedCommit?: { offset: number; end: number; timestamp: number };
  /** True when the replay window's stop time was reached in this file. */
  reachedStop: boolean;
}

const SCAN_WINDOW = 8 * 1024 * 1024;

/**
 * Reads a binlog file from disk and checks every event (magic, sizes, positions, CRC32).
 * Stops at `limit` bytes when given. Throws BinlogCorruptError when the file is damaged.
 */
export async function scanBinlogFile(path: string, limit?: number, replay: ReplayWindow = {}): Promise<BinlogFileSummary> {
  const handle = await fs.open(path, "r");
  try {
    const size = limit ?? (await handle.stat()).size;
    const headLength = Math.min(size, 64 * 1024);
    const head = Buffer.alloc(headLength);
    await handle.read(head, 0, headLength, 0);
    const format = readBinlogFormat(head);
    if (!format) throw new BinlogCorruptError(0, `file is ${size} bytes, too short for a format description event`);
    const summary: BinlogFileSummary = { format, end: BINLOG_MAGIC.length, eventCount: 0, trailingPartialEvent: false, reachedStop: false };
    let offset = BINLOG_MAGIC.length;
    while (offset < size) {
      const header = Buffer.alloc(Math.min(EVENT_HEADER_SIZE, size - offset));
      await handle.read(header, 0, header.length, offset);
      const needed = header.length === EVENT_HEADER_SIZE ? header.readUInt32LE(9) : header.length + 1;
      const windowLength = Math.min(size - offset, Math.max(SCAN_WINDOW, needed));
      const window = Buffer.alloc(windowLength);
      await handle.read(window, 0, windowLength, offset);
      const { events, end } = scanEvents(window, offset, format);
      if (events.length === 0) break;
      for (const event of events) {
        summary.eventCount += 1;
        summary.firstEventAt ??= event.timestamp;
        summary.lastEventAt = event.timestamp;
        const commit = { offset: event.offset, end: event.offset + event.size, timestamp: event.timestamp };
        if (event.endsTransaction) summary.lastCommit = commit;
        if (replay.stopAt !== undefined && event.timestamp >= replay.stopAt && event.offset >= (replay.from ?? 0)) summary.reachedStop = true;
        if (event.endsTransaction && !summary.reachedStop && event.offset >= (replay.from ?? 0)) summary.lastAppliedCommit = commit;
      }
      offset = end;
    }
    summary.end = offset;
    summary.trailingPartialEvent = offset < size;
    return summary;
  } finally {
    await handle.close();
  }
}
