import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import { ContainerClient } from "@azure/storage-blob";
import { BinlogFormat, readBinlogFormat, scanBinlogFile, scanEvents } from "../lib/binlog-events";
import { compareBinlogNames, nextBinlogName } from "../lib/binlog-names";
import { storageErrorCode } from "../lib/blob-client";
import { BlobLayout } from "../lib/blob-layout";
import { Logger } from "../lib/log";
import { BinlogSeal } from "../lib/manifest";
import { AgentState, StateStore, cursorAt } from "./state";
import { Spool, SpoolCopy, SpoolRun } from "./spool";

/** Largest append the shipper sends in one block (Azure accepts more; smaller keeps retries cheap). */
export const APPEND_CHUNK_BYTES = 4 * 1024 * 1024;
const OVERLAP_CHECK_BYTES = 64 * 1024;
const SCAN_WINDOW_BYTES = 64 * 1024 * 1024;

/** Raised when local binlog copies disagree: continuing would ship a corrupt chain. */
export class ChainBrokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainBrokenError";
  }
}

/** What the shipper reports about itself. */
export interface ShipperStatus {
  file: string;
  shippedBytes: number;
  /** Bytes received from the source and not yet durably in Azure. */
  localUnshippedBytes: number;
  /** Timestamp (ISO) of the newest event durably shipped. */
  lastShippedEventAt?: string;
  sealedFiles: number;
}

interface ScanProgress {
  file: string;
  format?: BinlogFormat;
  /** Offset after the last complete, verified event found so far. */
  boundary: number;
  /** End offsets of verified events beyond the shipped position, with their timestamps. */
  events: Array<{ end: number; timestamp: number }>;
}

/**
 * Moves binlog bytes from the local spool into Azure append blobs, in order, exactly once:
 * every append carries the append-position condition and is recorded as pending before it is
 * sent, so a crash or outage is resolved by resending the same bytes at the same position
 * (a "position not met" answer then proves the earlier attempt landed).
 */
export class BinlogShipper {
  private scan?: ScanProgress;
  private sourceRun?: number;
  private unshipped = 0;
  private lastShippedEventAt?: number;

  constructor(
    private readonly container: ContainerClient,
    private readonly layout: BlobLayout,
    private readonly store: StateStore,
    private readonly state: AgentState,
    private readonly spool: Spool,
    private readonly log: Logger,
    private readonly segmentMaxBlocks: number,
    private readonly activeRun: () => number | undefined,
  ) {}

  /** Ships everything available now; resolves when caught up with the spool or waiting for more. */
  async tick(): Promise<void> {
    for (;;) {
      const runs = await this.spool.runs();
      const cursor = this.state.cursor;
      const copies = Spool.copiesOf(runs, cursor.file);
      this.unshipped = this.countUnshipped(runs);
      if (copies.length === 0) return;
      const best = copies[0];
      await this.switchSource(copies, best);
      if (cursor.pending) await this.resendPending(best);
      let boundary = cursor.shippedBytes;
      for (;;) {
        const previous = boundary;
        boundary = await this.scanTo(best);
        while (cursor.shippedBytes < boundary) await this.shipChunk(best, boundary);
        if (boundary === previous) break;
      }
      this.unshipped = this.countUnshipped(runs);
      const completeSize = Spool.completeSize(runs, cursor.file);
      if (completeSize === undefined || cursor.shippedBytes < completeSize) return;
      if (best.size !== completeSize || boundary !== completeSize) {
        throw new ChainBrokenError(`${cursor.file}: local copies disagree on its final size (${completeSize} vs ${best.size}, events end at ${boundary})`);
      }
      await this.seal(best);
    }
  }

  /** Current numbers for the status report. */
  status(): ShipperStatus {
    return {
      file: this.state.cursor.file,
      shippedBytes: this.state.cursor.shippedBytes,
      localUnshippedBytes: this.unshipped,
      lastShippedEventAt: this.lastShippedEventAt ? new Date(this.lastShippedEventAt * 1000).toISOString() : undefined,
      sealedFiles: this.state.sealedFiles,
    };
  }

  private countUnshipped(runs: SpoolRun[]): number {
    const cursor = this.state.cursor;
    const sizes = new Map<string, number>();
    for (const run of runs) for (const [name, size] of run.files) sizes.set(name, Math.max(size, sizes.get(name) ?? 0));
    let total = 0;
    for (const [name, size] of sizes) {
      const order = compareBinlogNames(name, cursor.file);
      if (order === 0) total += Math.max(0, size - cursor.shippedBytes);
      else if (order > 0) total += size;
    }
    return total;
  }

  /** When a newer or longer copy takes over, its bytes before the shipped position must match what was shipped. */
  private async switchSource(copies: SpoolCopy[], best: SpoolCopy): Promise<void> {
    if (this.sourceRun === best.run) return;
    const shipped = this.state.cursor.shippedBytes;
    const previous = copies.find((copy) => copy.run === this.sourceRun);
    if (previous && shipped > 0) {
      const start = Math.max(0, shipped - OVERLAP_CHECK_BYTES);
      const [a, b] = await Promise.all([readRange(previous.path, start, shipped - start), readRange(best.path, start, shipped - start)]);
      if (!a.equals(b)) {
        throw new ChainBrokenError(`${this.state.cursor.file}: the copy in run ${best.run} differs from the bytes already shipped; the source is not the same server`);
      }
    }
    this.sourceRun = best.run;
  }

  private async scanTo(copy: SpoolCopy): Promise<number> {
    const cursor = this.state.cursor;
    if (!this.scan || this.scan.file !== cursor.file) {
      this.scan = { file: cursor.file, boundary: cursor.shippedBytes, events: [] };
    }
    const scan = this.scan;
    if (!scan.format) {
      const head = await readRange(copy.path, 0, Math.min(copy.size, 64 * 1024));
      scan.format = readBinlogFormat(head);
      if (!scan.format) return cursor.shippedBytes;
      if (scan.boundary === 0) scan.boundary = 4;
    }
    if (copy.size <= scan.boundary) return scan.boundary;
    const header = await readRange(copy.path, scan.boundary, Math.min(19, copy.size - scan.boundary));
    const eventSize = header.length === 19 ? header.readUInt32LE(9) : 0;
    // Bounded reads keep memory flat when a long outage left gigabytes in the spool.
    const bytes = await readRange(copy.path, scan.boundary, Math.min(copy.size - scan.boundary, Math.max(SCAN_WINDOW_BYTES, eventSize)));
    const { events, end } = scanEvents(bytes, scan.boundary, scan.format);
    for (const event of events) scan.events.push({ end: event.offset + event.size, timestamp: event.timestamp });
    scan.boundary = end;
    return scan.boundary;
  }

  private async shipChunk(copy: SpoolCopy, boundary: number): Promise<void> {
    const cursor = this.state.cursor;
    const scan = this.scan as ScanProgress;
    if (cursor.segmentBlocks >= this.segmentMaxBlocks) {
      cursor.segment += 1;
      cursor.segmentStart = cursor.shippedBytes;
      cursor.segmentBlocks = 0;
      cursor.segmentCreated = false;
    }
    // Chunks end on event boundaries so a blob never ends inside an event, unless one event alone exceeds a chunk.
    let end = Math.min(boundary, cursor.shippedBytes + APPEND_CHUNK_BYTES);
    const lastWhole = [...scan.events].reverse().find((event) => event.end <= end && event.end > cursor.shippedBytes);
    if (lastWhole) end = lastWhole.end;
    const bytes = await readRange(copy.path, cursor.shippedBytes, end - cursor.shippedBytes);
    cursor.pending = { segment: cursor.segment, segmentOffset: cursor.shippedBytes - cursor.segmentStart, length: bytes.length };
    await this.store.save(this.state);
    await this.append(bytes);
  }

  private async resendPending(copy: SpoolCopy): Promise<void> {
    const cursor = this.state.cursor;
    const pending = cursor.pending;
    if (!pending) return;
    if (pending.segment !== cursor.segment) throw new ChainBrokenError(`pending append for segment ${pending.segment} but cursor is at segment ${cursor.segment}`);
    const start = cursor.segmentStart + pending.segmentOffset;
    if (copy.size < start + pending.length) return;
    await this.append(await readRange(copy.path, start, pending.length));
  }

  private async append(bytes: Buffer): Promise<void> {
    const cursor = this.state.cursor;
    const pending = cursor.pending;
    if (!pending) throw new Error("append without a pending record");
    const blob = this.container.getAppendBlobClient(this.layout.binlogSegment(this.state.epoch, cursor.file, cursor.segment));
    if (!cursor.segmentCreated) {
      try {
        await blob.create({ conditions: { ifNoneMatch: "*" } });
      } catch (error) {
        // Created by an attempt whose answer was lost; the append position check below still guards its content.
        if (storageErrorCode(error).status !== 409) throw error;
      }
      cursor.segmentCreated = true;
    }
    try {
      await blob.appendBlock(bytes, bytes.length, {
        conditions: { appendPosition: pending.segmentOffset },
        transactionalContentMD5: createHash("md5").update(bytes).digest(),
      });
    } catch (error) {
      const { status, code } = storageErrorCode(error);
      // We are the only writer (the state lock guarantees it), so a failed position check means
      // this exact append already landed and only its answer was lost.
      if (status !== 412 || code !== "AppendPositionConditionNotMet") throw error;
      this.log.warn("append had already landed; not resending", { file: cursor.file, segment: cursor.segment, offset: pending.segmentOffset });
    }
    cursor.shippedBytes = cursor.segmentStart + pending.segmentOffset + pending.length;
    cursor.segmentBlocks += 1;
    cursor.pending = undefined;
    await this.store.save(this.state);
    const scan = this.scan;
    if (scan && scan.file === cursor.file) {
      const shippedEvents = scan.events.filter((event) => event.end <= cursor.shippedBytes);
      if (shippedEvents.length > 0) this.lastShippedEventAt = shippedEvents[shippedEvents.length - 1].timestamp;
      scan.events = scan.events.filter((event) => event.end > cursor.shippedBytes);
    }
  }

  private async seal(copy: SpoolCopy): Promise<void> {
    const cursor = this.state.cursor;
    const sha256 = await sha256OfFile(copy.path, copy.size);
    const summary = await scanBinlogFile(copy.path, copy.size);
    const seal: BinlogSeal = {
      formatVersion: 1,
      epoch: this.state.epoch,
      file: cursor.file,
      size: copy.size,
      sha256,
      segments: cursor.segment,
      firstEventAt: summary.firstEventAt !== undefined ? new Date(summary.firstEventAt * 1000).toISOString() : undefined,
      lastEventAt: summary.lastEventAt !== undefined ? new Date(summary.lastEventAt * 1000).toISOString() : undefined,
      sealedAt: new Date().toISOString(),
    };
    const body = JSON.stringify(seal, null, 2);
    try {
      await this.container.getBlockBlobClient(this.layout.binlogSeal(this.state.epoch, cursor.file)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: "*" },
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
    } catch (error) {
      // Already sealed by an earlier attempt whose answer was lost; the content is deterministic.
      if (storageErrorCode(error).status !== 409) throw error;
    }
    this.log.info("sealed binlog file", { file: cursor.file, bytes: copy.size, segments: cursor.segment });
    this.state.lastSealed = { file: cursor.file, size: copy.size, sha256 };
    this.state.sealedFiles += 1;
    this.state.cursor = cursorAt(nextBinlogName(cursor.file));
    this.scan = undefined;
    this.sourceRun = undefined;
    await this.store.save(this.state);
    await this.spool.prune(this.state.cursor.file, this.activeRun()).catch(() => undefined);
  }
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await fs.open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sha256OfFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { start: 0, end: size - 1 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
