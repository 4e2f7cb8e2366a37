import { ChildProcess, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { dirname, join } from "node:path";
import { MysqlEndpoint } from "../config/shared";
import { Backoff, sleep } from "../lib/backoff";
import { explainWriteError, freeBytes } from "../lib/fs-errors";
import { Logger } from "../lib/log";
import { MysqlTools, toolConnection } from "../lib/mysql-tools";
import { redact } from "../lib/secrets";
import { Spool } from "./spool";

/** What the streamer reports about itself. */
export interface StreamerStatus {
  running: boolean;
  run?: number;
  startFile?: string;
  restarts: number;
  lastExit?: string;
  lastError?: string;
}

/** Options for the binlog reader supervisor. */
export interface StreamerOptions {
  source: MysqlEndpoint;
  tools: MysqlTools;
  spool: Spool;
  serverId: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  log: Logger;
  /** Run number for the next reader process (persisted by the caller). */
  nextRun: () => number;
  /** The file the next reader process starts from. */
  startFile: () => Promise<string>;
  /** DR_STATE_DIR, named in messages about the spool's disk (default: the spool's parent). */
  stateDir?: string;
  /** The reader is not started, and is stopped, when the spool's file system has less free space than this. */
  minFreeBytes?: number;
}

const HEALTHY_RUN_MS = 10_000;
const PID_FILE = "reader.pid";
const DISK_CHECK_MS = 1_000;

/**
 * Free space below which the reader stops: MariaDB's reader (10.11) ignores a failed write
 * (ENOSPC) and keeps reading, dropping events from its file, so it must be stopped before the
 * disk is full, not after.
 */
export const SPOOL_MIN_FREE_BYTES = 8 * 1024 * 1024;

/**
 * What the source says to a reader it disconnects because another one connected with the same
 * server id: MariaDB "A slave with the same server_uuid/server_id is already connected", MySQL
 * "A replica (slave) with the same server_uuid/server_id as this replica has connected to the source".
 */
const SAME_SERVER_ID = /with the same server_uuid\/server_id/i;

/** The reader could not write into the spool (MySQL's mysqlbinlog reports errno 28). */
const NO_SPACE = /No space left on device|Errcode: 28|errno: 28|Disk is full/i;

/**
 * Keeps `mysqlbinlog`/`mariadb-binlog --read-from-remote-server --raw --stop-never` running.
 * The tool does not reconnect by itself, so every exit is followed by a restart after a
 * jittered exponential backoff, each time into a new run directory and from the newest local file.
 */
export class BinlogStreamer {
  private child?: ChildProcess;
  private stopped = false;
  private readonly backoff: Backoff;
  private readonly state: StreamerStatus = { running: false, restarts: 0 };
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  /** Why the agent killed the current reader (a full disk), reported instead of the exit. */
  private killedFor?: string;
  private loggedError?: string;

  constructor(private readonly options: StreamerOptions) {
    this.backoff = new Backoff(options.backoffMinMs, options.backoffMaxMs);
  }

  /** Starts the supervision loop. */
  start(): void {
    this.loop = this.supervise();
  }

  /** Kills the current reader so the loop restarts it (used by the stall watchdog). */
  restart(reason: string): void {
    if (!this.child) return;
    this.options.log.warn("restarting binlog reader", { reason });
    this.child.kill("SIGKILL");
  }

  /** Stops the reader and the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.child?.kill("SIGTERM");
    await this.loop;
  }

  status(): StreamerStatus {
    return { ...this.state };
  }

  /** The run directory the live reader writes into. */
  activeRun(): number | undefined {
    return this.state.running ? this.state.run : undefined;
  }

  /**
   * Kills a reader left behind by an agent that died without cleaning up (for example SIGKILL
   * outside systemd), so two readers never write into the spool at once.
   */
  static async killOrphan(spool: Spool, log: Logger): Promise<void> {
    const pidFile = join(spool.dir, PID_FILE);
    const text = await fs.readFile(pidFile, "utf8").catch(() => undefined);
    if (!text) return;
    const pid = Number(text.trim());
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (Number.isInteger(pid) && pid > 1 && cmdline.includes(spool.dir)) {
      log.warn("killing binlog reader left over from a previous agent", { pid });
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      for (let i = 0; i < 50 && (await fs.stat(`/proc/${pid}`).catch(() => undefined)); i++) await sleep(20);
    }
    await fs.rm(pidFile, { force: true });
  }

  private async supervise(): Promise<void> {
    while (!this.stopped) {
      const startedAt = Date.now();
      try {
        await this.runOnce();
      } catch (error) {
        this.state.lastError = redact((error as Error).message);
      }
      if (this.stopped) break;
      if (Date.now() - startedAt >= HEALTHY_RUN_MS) {
        this.backoff.reset();
        this.loggedError = undefined;
      }
      const cause = this.state.lastError?.replace(/\d+ bytes free/, "");
      if (cause && cause !== this.loggedError && /DR_BINLOG_SERVER_ID|DR_STATE_DIR/.test(cause)) {
        // A cause the operator must fix: said once as an error (free bytes may change), then only in the restart lines.
        this.loggedError = cause;
        this.options.log.error("binlog reader cannot run", { error: this.state.lastError });
      }
      const delay = this.backoff.nextDelayMs();
      this.options.log.warn("binlog reader stopped; restarting", { after_ms: delay, exit: this.state.lastExit, error: this.state.lastError });
      this.state.restarts += 1;
      await sleep(delay, this.abort.signal);
    }
  }

  private async runOnce(): Promise<void> {
    const { tools, spool, source, serverId, log } = this.options;
    await this.assertDiskRoom();
    const startFile = await this.options.startFile();
    const run = this.options.nextRun();
    const dir = spool.runDir(run);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 }).catch(async (error) => {
      throw await explainWriteError(error, dir, this.stateDirSetting());
    });
    const connection = toolConnection(source, tools);
    const args = [
      ...connection.args,
      "--read-from-remote-server",
      "--raw",
      "--stop-never",
      `${tools.serverIdOption}=${serverId}`,
      `--result-file=${dir}/`,
      startFile,
    ];
    this.state.run = run;
    this.state.startFile = startFile;
    log.info("starting binlog reader", { tool: tools.binlog, run, from: startFile });
    const child = spawn(tools.binlog, args, { stdio: ["ignore", "ignore", "pipe"] });
    // Listen before any await: a reader that cannot connect exits within milliseconds, and an exit
    // event missed during the await below would leave this run waiting forever.
    const exited = new Promise<string>((resolve) => {
      child.on("error", (error) => resolve(`failed to start: ${error.message}`));
      child.on("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2_000);
    });
    this.child = child;
    this.state.running = true;
    this.killedFor = undefined;
    const watching = setInterval(() => void this.watchDisk(child), DISK_CHECK_MS);
    const pidFile = join(spool.dir, PID_FILE);
    await fs.writeFile(pidFile, `${child.pid}\n`).catch(async (error) => {
      child.kill("SIGKILL");
      this.killedFor = (await explainWriteError(error, pidFile, this.stateDirSetting())).message;
    });
    const exit = await exited;
    clearInterval(watching);
    connection.dispose();
    this.child = undefined;
    this.state.running = false;
    this.state.lastExit = exit;
    const message = stderr.trim().split("\n").filter(Boolean).at(-1);
    if (this.killedFor) this.state.lastError = this.killedFor;
    else if (SAME_SERVER_ID.test(stderr)) this.state.lastError = this.sameServerIdMessage();
    else if (NO_SPACE.test(stderr)) this.state.lastError = await this.noSpaceMessage(`${tools.binlog}: ${redact(message ?? "")}`);
    else if (message) this.state.lastError = redact(message);
  }

  private sameServerIdMessage(): string {
    const { serverId, source } = this.options;
    return `another binlog reader uses server id ${serverId} on ${source.host}:${source.port}: give each agent its own DR_BINLOG_SERVER_ID`;
  }

  private stateDirSetting(): { setting: string; dir: string } {
    return { setting: "DR_STATE_DIR", dir: this.options.stateDir ?? dirname(this.options.spool.dir) };
  }

  private minFreeBytes(): number {
    return this.options.minFreeBytes ?? SPOOL_MIN_FREE_BYTES;
  }

  /** The full-disk message; `detail` is the reader's own error when it reported one (then the free space was not our reason). */
  private async noSpaceMessage(detail?: string): Promise<string> {
    const { setting, dir } = this.stateDirSetting();
    const free = await freeBytes(this.options.spool.dir);
    const needs = detail ? "" : `; the binlog reader needs ${this.minFreeBytes()}`;
    return `no space left on ${this.options.spool.dir} (${setting} ${dir}, ${free ?? "unknown"} bytes free${needs}): free space or move ${setting}${detail ? ` (${detail})` : ""}`;
  }

  /** Refuses to start a reader on a (nearly) full disk. */
  private async assertDiskRoom(): Promise<void> {
    const free = await freeBytes(this.options.spool.dir);
    if (free !== undefined && free < this.minFreeBytes()) throw new Error(await this.noSpaceMessage());
  }

  /** Stops the reader before the disk fills: past that point it would drop events silently. */
  private async watchDisk(child: ChildProcess): Promise<void> {
    const free = await freeBytes(this.options.spool.dir);
    if (free === undefined || free >= this.minFreeBytes() || this.child !== child || this.killedFor) return;
    this.killedFor = await this.noSpaceMessage();
    child.kill("SIGKILL");
  }
}
