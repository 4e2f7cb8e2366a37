import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ContainerClient } from "@azure/storage-blob";

/** Runs `task` over `items` with at most `parallel` running at once. */
async function pool<T>(items: readonly T[], parallel: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
}

/** Uploads every file of a flat directory as block blobs under `prefix`, `parallel` files at a time; returns the files and bytes. */
export async function uploadDirectory(container: ContainerClient, dir: string, prefix: string, parallel: number): Promise<{ files: number; bytes: number }> {
  const names = (await fs.readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  let bytes = 0;
  await pool(names, parallel, async (name) => {
    const path = join(dir, name);
    const { size } = await fs.stat(path);
    bytes += size;
    await container.getBlockBlobClient(`${prefix}${name}`).uploadFile(path);
  });
  return { files: names.length, bytes };
}

/** Downloads every blob under `prefix` into `dir` (created), `parallel` blobs at a time. */
export async function downloadDirectory(container: ContainerClient, prefix: string, dir: string, parallel: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix })) names.push(blob.name);
  await pool(names, parallel, async (name) => {
    await container.getBlobClient(name).downloadToFile(join(dir, name.slice(prefix.length)));
  });
}
