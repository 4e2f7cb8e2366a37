import { ContainerClient } from "@azure/storage-blob";
import { BlobLayout } from "../lib/blob-layout";
import { FullBackupManifest, manifestProblems } from "../lib/manifest";

/** A full backup found in the container, usable or with the reason it is not. */
export interface BackupEntry {
  backupId: string;
  manifest?: FullBackupManifest;
  /** Size of the committed dump blob, when there is one. */
  dumpBytes?: number;
  problem?: string;
}

/** Reads a small JSON blob. */
export async function readJsonBlob(container: ContainerClient, name: string): Promise<unknown> {
  const buffer = await container.getBlobClient(name).downloadToBuffer();
  return JSON.parse(buffer.toString("utf8"));
}

/**
 * Lists every full backup under the prefix, newest first. A backup without a manifest is
 * incomplete by definition (the manifest is written last) and comes back with a problem.
 */
export async function listBackups(container: ContainerClient, layout: BlobLayout): Promise<BackupEntry[]> {
  const found = new Map<string, { dumpBytes?: number; hasManifest: boolean }>();
  for await (const blob of container.listBlobsFlat({ prefix: layout.fullRoot() })) {
    const parsed = layout.parseFull(blob.name);
    if (!parsed) continue;
    const entry = found.get(parsed.backupId) ?? { hasManifest: false };
    if (parsed.leaf === "manifest.json") entry.hasManifest = true;
    if (parsed.leaf === "dump.sql.gz") entry.dumpBytes = blob.properties.contentLength;
    found.set(parsed.backupId, entry);
  }
  const entries: BackupEntry[] = [];
  for (const [backupId, entry] of found) {
    if (!entry.hasManifest) {
      entries.push({ backupId, dumpBytes: entry.dumpBytes, problem: "no manifest: the backup never completed" });
      continue;
    }
    try {
      const manifest = (await readJsonBlob(container, layout.fullManifest(backupId))) as FullBackupManifest;
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
