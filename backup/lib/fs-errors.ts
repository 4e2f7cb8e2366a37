import { constants, promises as fs } from "node:fs";
import { dirname } from "node:path";

/** The directory setting a file belongs to, for messages: `{ setting: "DR_STATE_DIR", dir: "/var/lib/mysql-dr" }`. */
export interface DirectorySetting {
  setting: string;
  dir: string;
}

/** A local file error reworded to name the path, the cause and the fix; keeps the original code. */
export class LocalFileError extends Error {
  readonly explained = true;
  constructor(message: string, readonly code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = "LocalFileError";
  }
}

/**
 * Bytes available to unprivileged writers on the file system holding `path` (or its nearest
 * existing parent, for a directory not created yet), or undefined when it cannot be read.
 */
export async function freeBytes(path: string): Promise<number | undefined> {
  for (let candidate = path; ; candidate = dirname(candidate)) {
    try {
      const stats = await fs.statfs(candidate);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch {
      if (dirname(candidate) === candidate) return undefined;
    }
  }
}

/** `"12288 bytes free"` or `"free space unknown"`. */
export function freeText(bytes: number | undefined): string {
  return bytes === undefined ? "free space unknown" : `${bytes} bytes free`;
}

/**
 * Rewords a failed write of `path` inside a configured directory: a full disk names the path, the
 * setting, the free bytes and the fix, instead of a bare `ENOSPC`. Errors already reworded pass through.
 */
export async function explainWriteError(error: unknown, path: string, where: DirectorySetting): Promise<Error> {
  if ((error as { explained?: boolean })?.explained) return error as Error;
  let code = (error as NodeJS.ErrnoException)?.code;
  // A recursive mkdir reports ENOENT whatever stopped it; the real cause is found at the nearest existing parent.
  if (code === "ENOENT") code = (await parentProblem(path)) ?? code;
  const raw = (error as Error)?.message ?? String(error);
  const { setting, dir } = where;
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new LocalFileError(
        `${code === "ENOSPC" ? "no space left" : "disk quota exceeded"} on ${path} (${setting} ${dir}, ${freeText(await freeBytes(dir))}): free space or move ${setting}`,
        code,
        error,
      );
    case "EACCES":
    case "EPERM":
      return new LocalFileError(`cannot write ${path}: permission denied (${setting} ${dir}): give the agent's user write access to ${dir} or set ${setting} to a directory it owns`, code, error);
    case "EROFS":
      return new LocalFileError(`cannot write ${path}: read-only file system (${setting} ${dir}): set ${setting} to a writable directory`, code, error);
    case "ENOTDIR":
    case "EEXIST":
      return new LocalFileError(`cannot write ${path}: ${setting} ${dir} (or a directory above it) is a file, not a directory: set ${setting} to a directory`, code, error);
    default:
      return new LocalFileError(`cannot write ${path} (${setting} ${dir}): ${raw}`, code, error);
  }
}

/** Why the nearest existing ancestor of `path` cannot be written into (EROFS, EACCES, ENOTDIR), if it cannot. */
async function parentProblem(path: string): Promise<string | undefined> {
  let current = path;
  for (;;) {
    const stat = await fs.stat(current).catch((error: NodeJS.ErrnoException) => error);
    if (!(stat instanceof Error)) {
      if (!stat.isDirectory()) return "ENOTDIR";
      return fs.access(current, constants.W_OK).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => error.code,
      );
    }
    if (stat.code === "ENOTDIR") return "ENOTDIR";
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Same as explainWriteError, for a message only (logs and status fields). */
export async function writeErrorMessage(error: unknown, path: string, where: DirectorySetting): Promise<string> {
  return (await explainWriteError(error, path, where)).message;
}
