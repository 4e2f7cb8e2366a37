import { ContainerClient } from "@azure/storage-blob";
import { compareBinlogNames, nextBinlogName } from "../lib/binlog-names";
import { BlobLayout } from "../lib/blob-layout";
import { ChunkedBackupManifest, chunkedManifestProblems } from "../lib/chunked-manifest";
import { FullBackupManifest, manifestProblems } from "../lib/manifest";

/** Either format of a full backup: 1 is one mysqldump stream, 2 the chunked parallel dump. */
export type BackupManifest = FullBackupManifest | ChunkedBackupManifest;

/** A full backup found in the container, usable or with the reason it is not. */
export interface BackupEntry {
  backupId: string;
  manifest?: BackupManifest;
  /** Size of the committed dump blob (format 1) or of all the backup's blobs (format 2), when there is one. */
  dumpBytes?: number;
  problem?: string;
}

/** Reads a small JSON blob. */
export async function readJsonBlob(container: ContainerClient, name: string): Promise<unknown> {
  const buffer = await container.getBlobClient(name).downloadToBuffer();
  return JSON.parse(buffer.toString("utf8"));
}

/**
 * Lists every full backup under the prefix in the order restore should try them: by the
 * recovery point of their binlog chain (see chooseChain), then backups with problems.
 */
export async function listBackups(container: ContainerClient, layout: BlobLayout): Promise<BackupEntry[]> {
  return (await catalogByRecoveryPoint(container, layout)).entries;
}

/** listBackups with the notes on which chain was chosen and why the others were not. */
export async function catalogByRecoveryPoint(container: ContainerClient, layout: BlobLayout): Promise<ChainChoice> {
  return chooseChain(container, layout, await listBackupsNewestFirst(container, layout));
}

/** What the listing shows of one backup: whether it has a manifest, format 1's dump size, every blob's size. */
interface ListedBackup {
  dumpBytes?: number;
  hasManifest: boolean;
  sizes: Map<string, number>;
}

/**
 * Lists every full backup under the prefix, newest first. A backup without a manifest is
 * incomplete by definition (the manifest is written last) and comes back with a problem, as does
 * one whose listing lacks a blob its manifest names or shows one at another size.
 */
export async function listBackupsNewestFirst(container: ContainerClient, layout: BlobLayout): Promise<BackupEntry[]> {
  const found = new Map<string, ListedBackup>();
  const root = layout.fullRoot();
  for await (const blob of container.listBlobsFlat({ prefix: root })) {
    // Format 2 keeps its chunks one level down (full/<id>/data/<n>), which parseFull does not take.
    const backupId = blob.name.slice(root.length).split("/")[0];
    if (!backupId || !blob.name.slice(root.length + backupId.length).startsWith("/")) continue;
    const entry = found.get(backupId) ?? { hasManifest: false, sizes: new Map<string, number>() };
    entry.sizes.set(blob.name, blob.properties.contentLength ?? 0);
    const parsed = layout.parseFull(blob.name);
    if (parsed?.leaf === "manifest.json") entry.hasManifest = true;
    if (parsed?.leaf === "dump.sql.gz") entry.dumpBytes = blob.properties.contentLength;
    found.set(backupId, entry);
  }
  const entries: BackupEntry[] = [];
  for (const [backupId, entry] of found) {
    if (!entry.hasManifest) {
      entries.push({ backupId, dumpBytes: entry.dumpBytes, problem: "no manifest: the backup never completed" });
      continue;
    }
    try {
      const parsed = (await readJsonBlob(container, layout.fullManifest(backupId))) as BackupManifest;
      if (parsed?.formatVersion === 2) {
        entries.push(chunkedEntry(backupId, parsed, entry.sizes));
        continue;
      }
      const manifest = parsed as FullBackupManifest;
      const problems = manifestProblems(manifest);
      if (problems.length > 0) entries.push({ backupId, dumpBytes: entry.dumpBytes, problem: `invalid manifest: ${problems.join("; ")}` });
      else if (manifest.backupId !== backupId) entries.push({ backupId, dumpBytes: entry.dumpBytes, problem: `manifest names backup ${manifest.backupId}` });
      else if (entry.dumpBytes === undefined) entries.push({ backupId, manifest, problem: "manifest present but the dump blob is missing" });
      else if (entry.dumpBytes !== manifest.dump.compressedBytes) {
        entries.push({ backupId, manifest, dumpBytes: entry.dumpBytes, problem: `dump blob is ${entry.dumpBytes} bytes, manifest says ${manifest.dump.compressedBytes}` });
      } else entries.push({ backupId, manifest, dumpBytes: entry.dumpBytes });
    } catch (error) {
      entries.push({ backupId, dumpBytes: entry.dumpBytes, problem: `unreadable manifest: ${(error as Error).message}` });
    }
  }
  return entries.sort((a, b) => (a.backupId < b.backupId ? 1 : -1));
}

/**
 * A format-2 backup is complete when its manifest is valid and every blob it names (schema, each
 * data chunk, post) is in the listing at the listed size; contents are verified on download.
 */
function chunkedEntry(backupId: string, manifest: ChunkedBackupManifest, sizes: ReadonlyMap<string, number>): BackupEntry {
  const problems = chunkedManifestProblems(manifest);
  if (problems.length > 0) return { backupId, problem: `invalid manifest: ${problems.join("; ")}` };
  if (manifest.backupId !== backupId) return { backupId, problem: `manifest names backup ${manifest.backupId}` };
  const files = [
    { what: "schema blob", file: manifest.schema },
    ...manifest.chunks.map((chunk) => ({ what: `data chunk ${chunk.database}.${chunk.table} #${chunk.index}`, file: chunk })),
    { what: "post-data blob", file: manifest.post },
  ];
  const missing = files.filter(({ file }) => !sizes.has(file.blob));
  const resized = files.filter(({ file }) => sizes.has(file.blob) && sizes.get(file.blob) !== file.compressedBytes);
  const dumpBytes = files.reduce((sum, { file }) => sum + (sizes.get(file.blob) ?? 0), 0);
  if (missing.length > 0) {
    const { what, file } = missing[0];
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more of its ${files.length} blobs)` : "";
    return { backupId, manifest, dumpBytes, problem: `${what} ${file.blob} is missing${more}: the backup is incomplete` };
  }
  if (resized.length > 0) {
    const { what, file } = resized[0];
    return { backupId, manifest, dumpBytes, problem: `${what} ${file.blob} is ${sizes.get(file.blob)} bytes, manifest says ${file.compressedBytes}${resized.length > 1 ? ` (and ${resized.length - 1} more)` : ""}` };
  }
  return { backupId, manifest, dumpBytes };
}

/** How far one binlog chain reaches, from a listing of its blobs (nothing downloaded). */
export interface ChainReach {
  epoch: string;
  /** Newest binlog file in the chain and its shipped bytes. */
  newestFile?: string;
  newestBytes: number;
  /** When anything in the chain was last written: the latest recovery point it can give, to the shipping interval. */
  lastWrite?: Date;
  /** Why the chain cannot be replayed from a backup's coordinates, found from the listing alone. */
  problem?: string;
}

/** The backups in the order restore should try them, with a note for every chain not chosen. */
export interface ChainChoice {
  entries: BackupEntry[];
  notes: string[];
  /** How far the chosen chain reaches, when it is sound: the latest recovery point on offer. */
  latest?: ChainReach;
}

/**
 * Orders backups by the recovery point their chain reaches, not by the age of the full backup:
 * a second agent's newer backup on a chain that stopped must not win over an older backup
 * whose chain kept going. Sound chains come first (latest last write first; within one chain
 * the newest backup, which needs the least replay), then chains broken from the listing, then
 * backups with problems. Notes say which chain was chosen and why each other one was not.
 */
export async function chooseChain(container: ContainerClient, layout: BlobLayout, entries: BackupEntry[]): Promise<ChainChoice> {
  const chains = await listChains(container, layout);
  const usable = entries.filter((entry) => entry.manifest && !entry.problem);
  const reachOf = (entry: BackupEntry): ChainReach => {
    const manifest = entry.manifest as BackupManifest;
    const chain = chains.get(manifest.epoch);
    if (!chain) return { epoch: manifest.epoch, newestBytes: 0, problem: `no binlog chain ${manifest.epoch} in the container` };
    const problem = chainProblem(chain, manifest.coordinates.file);
    return { ...summarize(chain), problem };
  };
  const ranked = usable.map((entry) => ({ entry, reach: reachOf(entry) }));
  ranked.sort((a, b) => {
    if (!!a.reach.problem !== !!b.reach.problem) return a.reach.problem ? 1 : -1;
    const byReach = (b.reach.lastWrite?.getTime() ?? 0) - (a.reach.lastWrite?.getTime() ?? 0);
    if (byReach !== 0 && a.reach.epoch !== b.reach.epoch) return byReach;
    return a.entry.backupId < b.entry.backupId ? 1 : -1;
  });
  const notes: string[] = [];
  const chosen = ranked[0];
  if (chosen && !chosen.reach.problem) {
    notes.push(`chain ${chosen.reach.epoch} chosen (backup ${chosen.entry.backupId}): it reaches the latest recovery point (${describeReach(chosen.reach)})`);
  }
  const described = new Set(chosen ? [chosen.reach.epoch] : []);
  for (const { entry, reach } of ranked.slice(1)) {
    if (described.has(reach.epoch)) continue;
    described.add(reach.epoch);
    const why = reach.problem ? `broken: ${reach.problem}` : `older recovery point (${describeReach(reach)})`;
    const newer = chosen && entry.backupId > chosen.entry.backupId ? ", although its full backup is newer" : "";
    notes.push(`chain ${reach.epoch} not used (backup ${entry.backupId}${newer}): ${why}`);
  }
  for (const [epoch, chain] of chains) {
    if (described.has(epoch)) continue;
    notes.push(`chain ${epoch} not used: no usable full backup starts on it (${describeReach(summarize(chain))})`);
  }
  const rest = entries.filter((entry) => !usable.includes(entry));
  return { entries: [...ranked.map((r) => r.entry), ...rest], notes, latest: chosen && !chosen.reach.problem ? chosen.reach : undefined };
}

interface ListedFile {
  segments: number[];
  bytes: number;
  sealed: boolean;
}

interface ListedChain {
  epoch: string;
  files: Map<string, ListedFile>;
  lastWrite?: Date;
}

async function listChains(container: ContainerClient, layout: BlobLayout): Promise<Map<string, ListedChain>> {
  const chains = new Map<string, ListedChain>();
  const root = layout.binlogRoot();
  for await (const blob of container.listBlobsFlat({ prefix: root })) {
    const epoch = blob.name.slice(root.length).split("/")[0];
    if (!epoch) continue;
    const chain: ListedChain = chains.get(epoch) ?? { epoch, files: new Map() };
    chains.set(epoch, chain);
    const modified = blob.properties.lastModified;
    if (modified && (!chain.lastWrite || modified > chain.lastWrite)) chain.lastWrite = modified;
    const parsed = layout.parseBinlog(epoch, blob.name);
    if (!parsed) continue;
    const file = chain.files.get(parsed.file) ?? { segments: [], bytes: 0, sealed: false };
    if (parsed.seal) file.sealed = true;
    if (parsed.segment !== undefined) {
      file.segments.push(parsed.segment);
      file.bytes += blob.properties.contentLength ?? 0;
    }
    chain.files.set(parsed.file, file);
  }
  return chains;
}

function summarize(chain: ListedChain): ChainReach {
  const names = [...chain.files.keys()].sort(compareBinlogNames);
  const newestFile = names[names.length - 1];
  return { epoch: chain.epoch, newestFile, newestBytes: newestFile ? (chain.files.get(newestFile) as ListedFile).bytes : 0, lastWrite: chain.lastWrite };
}

/** What the listing alone shows to be wrong with replaying `chain` from `fromFile` (contents are verified later, on download). */
function chainProblem(chain: ListedChain, fromFile: string): string | undefined {
  const names = [...chain.files.keys()].sort(compareBinlogNames).filter((name) => compareBinlogNames(name, fromFile) >= 0);
  if (names[0] !== fromFile) return `it has no ${fromFile}, where the backup's coordinates point`;
  let expected = fromFile;
  for (const [index, name] of names.entries()) {
    if (name !== expected) return `${expected} is missing before ${name}`;
    expected = nextBinlogName(name);
    const file = chain.files.get(name) as ListedFile;
    const segments = [...file.segments].sort((a, b) => a - b);
    if (segments.length === 0 || segments.some((segment, i) => segment !== i + 1)) return `${name} has missing segments`;
    if (!file.sealed && index < names.length - 1) return `${name} was never sealed although later files exist`;
  }
  return undefined;
}

function describeReach(reach: ChainReach): string {
  const where = reach.newestFile ? `${reach.newestFile}, ${reach.newestBytes} bytes` : "no binlog files";
  return `${where}, last shipped ${reach.lastWrite?.toISOString() ?? "never"}`;
}
