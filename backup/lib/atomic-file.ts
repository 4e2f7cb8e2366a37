import { promises as fs } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes JSON so a crash leaves either the old or the new content, never a torn file:
 * write a temp file, fsync it, rename over the target, fsync the directory. On failure (a full
 * disk) the temp file is removed, so a failed write does not keep the space it took.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const handle = await fs.open(temp, "w", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  const directory = await fs.open(dirname(path), "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** A JSON file that exists but does not parse; the message names the file. */
export class CorruptJsonError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path} is not valid JSON (${detail})`);
    this.name = "CorruptJsonError";
  }
}

/** Reads a JSON file, or undefined when it does not exist; a file that is not JSON is an error naming it. */
export async function readJsonIfExists<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new CorruptJsonError(path, (error as Error).message);
  }
}
