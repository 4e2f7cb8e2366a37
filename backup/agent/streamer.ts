import { ChildProcess, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { MysqlEndpoint } from "../config/shared";
import { Backoff, sleep } from "../lib/backoff";
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
}

const HEALTHY_RUN_MS = 10_000;
const PID_FILE = "reader.pid";

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
      if (Date.now() - startedAt >= HEALTHY_RUN_MS) this.backoff.reset();
      const delay = this.backoff.nextDelayMs();
      this.options.log.warn("binlog reader stopped; restarting", { after_ms: delay, exit: this.state.lastExit, error: this.state.lastError });
      this.state.restarts += 1;
      await sleep(delay, this.abort.signal);
    }
  }

  private async runOnce(): Promise<void> {
    const { tools, spool, source, serverId, log } = this.options;
    const startFile = await this.options.startFile();
    const run = this.options.nextRun();
    const dir = spool.runDir(run);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
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
    await fs.writeFile(join(spool.dir, PID_FILE), `${child.pid}\n`);
    const exit = await exited;
    connection.dispose();
    this.child = undefined;
    this.state.running = false;
    this.state.lastExit = exit;
    const message = stderr.trim().split("\n").filter(Boolean).at(-1);
    if (message) this.state.lastError = redact(message);
  }
}
