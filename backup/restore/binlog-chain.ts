import { createHash } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ContainerClient } from "@azure/storage-blob";
import { BinlogCorruptError, BinlogFileSummary, scanBinlogFile } from "../lib/binlog-events";
import { compareBinlogNames, nextBinlogName } from "../lib/binlog-names";
import { BlobLayout } from "../lib/blob-layout";
import { BinlogSeal, sealProblems } from "../lib/manifest";
import { readJsonBlob } from "./catalog";
import { workDirError } from "./work-dir";

/** Raised when the binlog chain after a backup is damaged or incomplete: replaying it would be wrong. */
export class ChainError extends Error {
  constructor(message: string, readonly intactUntil?: string) {
    super(message);
    this.name = "ChainError";
  }
}

/** One verified binlog file on local disk, ready for replay. */
export interface VerifiedBinlog {
  file: string;
  path: string;
  bytes: number;
  sealed: boolean;
  summary: BinlogFileSummary;
}

interface RemoteFile {
  file: string;
  segments: Map<number, number>;
  sealed: boolean;
}

/** What to fetch: the chain of `epoch` from `fromFile`, stopping once files start after `stopAt`. */
export interface ChainRequest {
  epoch: string;
  fromFile: string;
  fromPosition: number;
  /** Seconds since the epoch (point-in-time restore), if any. */
  stopAt?: number;
  workDir: string;
  /** DR_WORK_DIR as configured, for messages (workDir may be a directory made inside it). */
  configuredWorkDir?: string;
  onBytes?: (bytes: number) => void;
}

/**
 * Downloads the binlog files a restore needs and proves them sound before anything is applied:
 * the sequence must be contiguous from the backup's coordinates, every file but the last must
 * be sealed and match its sha256 and size, and every event must pass its CRC32 and position
 * checks. The unsealed last file (the one being written when the source was lost) is cut at its
 * last complete event.
 */
export async function fetchVerifiedChain(container: ContainerClient, layout: BlobLayout, request: ChainRequest): Promise<{ files: VerifiedBinlog[]; notes: string[] }> {
  const remote = await listChain(container, layout, request.epoch);
  const notes: string[] = [];
  const names = [...remote.keys()].sort(compareBinlogNames).filter((name) => compareBinlogNames(name, request.fromFile) >= 0);
  if (names[0] !== request.fromFile) {
    throw new ChainError(`binlog chain ${request.epoch} has no ${request.fromFile}, where the backup's coordinates point; nothing after the backup can be replayed`);
  }
  const files: VerifiedBinlog[] = [];
  const epochDir = join(request.workDir, request.epoch);
  await fs.mkdir(epochDir, { recursive: true }).catch(async (error) => {
    throw await workDirError(error, epochDir, request.configuredWorkDir ?? request.workDir, "creating");
  });
  let expected = request.fromFile;
  let intactUntil: string | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const isLast = i === names.length - 1;
    if (name !== expected) throw new ChainError(`gap in binlog chain ${request.epoch}: ${expected} is missing before ${name}`, intactUntil);
    expected = nextBinlogName(name);
    const entry = remote.get(name) as RemoteFile;
    if (!entry.sealed && !isLast) {
      throw new ChainError(`${name} was never sealed although later files exist: its shipping did not finish`, intactUntil);
    }
    const seal = entry.sealed ? await readSeal(container, layout, request.epoch, name, intactUntil) : undefined;
    if (seal && request.stopAt !== undefined && seal.firstEventAt && Date.parse(seal.firstEventAt) / 1000 >= request.stopAt + 1 && files.length > 0) return { files, notes };
    const verified = await downloadFile(container, layout, request, entry, seal, i === 0 ? request.fromPosition : 0, intactUntil);
    if (!seal && verified.summary.trailingPartialEvent) {
      notes.push(`${name}: cut ${verified.bytes - verified.summary.end} bytes of an event still in flight at the end of the stream`);
      await fs.truncate(verified.path, verified.summary.end).catch(async (error) => {
        throw await workDirError(error, verified.path, request.configuredWorkDir ?? request.workDir, "truncating");
      });
      verified.bytes = verified.summary.end;
    }
    files.push(verified);
    intactUntil = verified.summary.lastEventAt !== undefined ? new Date(verified.summary.lastEventAt * 1000).toISOString() : intactUntil;
    if (verified.summary.reachedStop) return { files, notes };
  }
  const last = files[files.length - 1];
  if (last?.sealed) {
    // A sealed file means the server had rotated to the next one; its blob may never have been shipped, or may be gone.
    notes.push(
      `the chain ends with sealed ${last.file}: the source had moved on to ${nextBinlogName(last.file)}, which is not in the container (never shipped, or deleted); anything written to it is not restored`,
    );
  }
  return { files, notes };
}

async function listChain(container: ContainerClient, layout: BlobLayout, epoch: string): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  for await (const blob of container.listBlobsFlat({ prefix: layout.epochRoot(epoch) })) {
    const parsed = layout.parseBinlog(epoch, blob.name);
    if (!parsed) continue;
    const entry = files.get(parsed.file) ?? { file: parsed.file, segments: new Map(), sealed: false };
    if (parsed.seal) entry.sealed = true;
    if (parsed.segment !== undefined) entry.segments.set(parsed.segment, blob.properties.contentLength ?? 0);
    files.set(parsed.file, entry);
  }
  return files;
}

async function readSeal(container: ContainerClient, layout: BlobLayout, epoch: string, file: string, intactUntil?: string): Promise<BinlogSeal> {
  const seal = (await readJsonBlob(container, layout.binlogSeal(epoch, file)).catch((error: Error) => {
    if (error instanceof SyntaxError) throw new ChainError(`${file}: seal ${layout.binlogSeal(epoch, file)} is not valid JSON (${error.message})`, intactUntil);
    throw error;
  })) as BinlogSeal;
  const problems = sealProblems(seal);
  if (problems.length > 0) throw new ChainError(`${file}: invalid seal (${problems.join("; ")})`, intactUntil);
  return seal;
}

async function downloadFile(
  container: ContainerClient,
  layout: BlobLayout,
  request: ChainRequest,
  entry: RemoteFile,
  seal: BinlogSeal | undefined,
  fromPosition: number,
  intactUntil: string | undefined,
): Promise<VerifiedBinlog> {
  const segmentNumbers = [...entry.segments.keys()].sort((a, b) => a - b);
  segmentNumbers.forEach((segment, index) => {
    if (segment !== index + 1) throw new ChainError(`${entry.file}: segment ${index + 1} is missing`, intactUntil);
  });
  if (segmentNumbers.length === 0) throw new ChainError(`${entry.file}: no segments`, intactUntil);
  if (seal && seal.segments !== segmentNumbers.length) {
    throw new ChainError(`${entry.file}: seal lists ${seal.segments} segments, found ${segmentNumbers.length}`, intactUntil);
  }
  const path = join(request.workDir, request.epoch, entry.file);
  const hash = createHash("sha256");
  let bytes = 0;
  const output = createWriteStream(path);
  // Which side failed decides the message: a failed write is the work directory's, not the chain's.
  let writeFailure: unknown;
  output.on("error", (error) => (writeFailure ??= error));
  const failedWrite = async (error: unknown): Promise<never> => {
    output.destroy();
    writeFailure ??= output.errored ?? undefined;
    if (writeFailure === undefined) throw error;
    throw await workDirError(writeFailure, path, request.configuredWorkDir ?? request.workDir, "writing");
  };
  for (const segment of segmentNumbers) {
    const response = await container.getBlobClient(layout.binlogSegment(request.epoch, entry.file, segment)).download(0, undefined, { maxRetryRequests: 5 });
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        request.onBytes?.(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(response.readableStreamBody as NodeJS.ReadableStream, counter, output, { end: false }).catch(failedWrite);
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve()))).catch(failedWrite);
  const sha256 = hash.digest("hex");
  if (seal && (seal.size !== bytes || seal.sha256 !== sha256)) {
    throw new ChainError(
      `${entry.file}: content does not match its seal (size ${bytes} vs ${seal.size}, sha256 ${sha256.slice(0, 12)}… vs ${seal.sha256.slice(0, 12)}…); the blob is corrupt`,
      intactUntil,
    );
  }
  let summary: BinlogFileSummary;
  try {
    summary = await scanBinlogFile(path, undefined, { from: fromPosition, stopAt: request.stopAt });
  } catch (error) {
    if (error instanceof BinlogCorruptError) throw new ChainError(`${entry.file}: ${error.message}`, intactUntil);
    throw error;
  }
  if (seal && summary.trailingPartialEvent) throw new ChainError(`${entry.file}: sealed file ends inside an event`, intactUntil);
  return { file: entry.file, path, bytes, sealed: seal !== undefined, summary };
}
