import { promises as fs } from "node:fs";
import { join } from "node:path";
import { freeBytes, freeText } from "../lib/fs-errors";
import { AgentStatus } from "./status";

/** The agent rewrites status.json every second; older than this, something is wrong. */
export const STALE_AFTER_SECONDS = 10;

/** What `mysql-dr status` prints and its exit code (0: fresh status; 1: no status, unreadable, or stale). */
export interface StatusReport {
  text: string;
  exitCode: number;
  /** True when `text` is a status (stdout); false when it says why there is none (stderr). */
  rendered: boolean;
}

/** Default DR_STATE_DIR, as the agent uses it. */
export const DEFAULT_STATE_DIR = "/var/lib/mysql-dr";

const START_HINT = "start it with: systemctl start mysql-dr-agent (its log: journalctl -u mysql-dr-agent)";

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Reads `<stateDir>/status.json` and renders it. A missing, unreadable or corrupt file is named
 * with the fix; a stale one says whether the agent's process is alive (then it cannot write its
 * status: the free space of the state directory is shown) or gone (then how to start it).
 */
export async function statusReport(stateDir: string, options: { json?: boolean; now?: number } = {}): Promise<StatusReport> {
  const path = join(stateDir, "status.json");
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      return { exitCode: 1, rendered: false, text: `no status in ${path}: the agent has not run with DR_STATE_DIR=${stateDir} (check DR_STATE_DIR or start the agent)` };
    }
    if (code === "ENOTDIR") return { exitCode: 1, rendered: false, text: `no status in ${path}: DR_STATE_DIR ${stateDir} is not a directory (check DR_STATE_DIR)` };
    if (code === "EACCES" || code === "EPERM") {
      return { exitCode: 1, rendered: false, text: `cannot read ${path}: permission denied; run status as the agent's user or root (sudo -u mysql-dr mysql-dr status)` };
    }
    return { exitCode: 1, rendered: false, text: `cannot read ${path}: ${(error as Error).message}` };
  }
  let status: AgentStatus;
  try {
    status = JSON.parse(text) as AgentStatus;
  } catch (error) {
    return { exitCode: 1, rendered: false, text: `${path} is not valid JSON (${(error as Error).message}): ${repairHint(path)}` };
  }
  if (!status || typeof status !== "object" || typeof status.pid !== "number" || Number.isNaN(Date.parse(status.updatedAt)) || !status.lag || !status.streamer || !status.shipping || !status.fullBackup) {
    return { exitCode: 1, rendered: false, text: `${path} is not an agent status (no pid, updatedAt, lag, streamer, shipping or fullBackup): ${repairHint(path)}` };
  }
  if (options.json) return { exitCode: 0, rendered: true, text: `${JSON.stringify(status, null, 2)}\n` };
  const age = ((options.now ?? Date.now()) - Date.parse(status.updatedAt)) / 1000;
  let head = `agent pid ${status.pid}, status ${age.toFixed(0)} s old`;
  let exitCode = 0;
  if (age > STALE_AFTER_SECONDS) {
    exitCode = 1;
    head = processAlive(status.pid)
      ? `agent pid ${status.pid} is running but has not updated ${path} for ${age.toFixed(0)} s: it cannot write its status ` +
        `(DR_STATE_DIR ${stateDir}: ${freeText(await freeBytes(stateDir))}); free space or fix DR_STATE_DIR, and see its log (journalctl -u mysql-dr-agent). Last status:`
      : `agent is not running (pid ${status.pid} is gone; last status ${age.toFixed(0)} s old): ${START_HINT}. Last status:`;
  }
  const lines = [
    head,
    `lag:       ${status.lag.lagSeconds} s (caught up at ${status.lag.caughtUpAt ?? "never"})`,
    `source:    ${status.lag.sourceReachable ? "reachable" : `UNREACHABLE ${status.lag.lastError ?? ""}`}`,
    `reader:    ${status.streamer.running ? "running" : "stopped"}, ${status.streamer.restarts} restart(s)${status.streamer.lastError ? `, last error: ${status.streamer.lastError}` : ""}`,
    `shipping:  ${status.shipping.file} @ ${status.shipping.shippedBytes}, ${status.shipping.localUnshippedBytes} bytes waiting, Azure ${status.shipping.azureReachable ? "reachable" : `UNREACHABLE ${status.shipping.lastError ?? ""}`}`,
    `full:      last ${status.fullBackup.last?.backupId ?? "none"} at ${status.fullBackup.last?.finishedAt ?? "-"}${status.fullBackup.inProgress ? " (one in progress)" : ""}${status.fullBackup.lastError ? `, last error: ${status.fullBackup.lastError}` : ""}`,
  ];
  return { exitCode, rendered: true, text: `${lines.join("\n")}\n` };
}

function repairHint(path: string): string {
  return `the agent rewrites it every second while it runs; if it is not running, delete ${path} and ${START_HINT}`;
}
