import { freeBytes } from "../lib/fs-errors";
import { formatBytes } from "../lib/progress";

/** What a failed write's code means, for people. */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this process's limit (ulimit -f)",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is a file, not a directory",
  ENOENT: "the path does not exist",
};

/**
 * Rewords a failed write in the work directory: names the file, DR_WORK_DIR, the cause, the free
 * space left and the fix (the error keeps its code).
 */
export async function workDirError(error: unknown, file: string, workDir: string, what: string): Promise<Error> {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = code && CAUSES[code] ? `${CAUSES[code]} (${code})` : (error as Error).message;
  const full = code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG";
  const free = full ? await freeBytes(workDir) : undefined;
  const space = free === undefined ? "" : `, ${formatBytes(free)} (${free} bytes) free there`;
  const fix = full
    ? "free space there or point DR_WORK_DIR at a larger disk (it holds the binlogs shipped since the backup)"
    : "point DR_WORK_DIR at a directory this user can create and write";
  const subject = file === workDir ? `the work directory DR_WORK_DIR=${workDir}` : `${file} in the work directory DR_WORK_DIR=${workDir}`;
  return Object.assign(new Error(`${what} ${subject} failed: ${cause}${space} — ${fix}`), { code });
}
