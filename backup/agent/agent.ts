import { promises as fs } from "node:fs";
import { join } from "node:path";
import { AgentConfig } from "../config/agent-config";
import { Backoff, sleep } from "../lib/backoff";
import { compareBinlogNames } from "../lib/binlog-names";
import { createContainerClient } from "../lib/blob-client";
import { BlobLayout } from "../lib/blob-layout";
import { writeJsonAtomic } from "../lib/atomic-file";
import { DirectorySetting, explainWriteError } from "../lib/fs-errors";
import { Logger } from "../lib/log";
import { connect, listServerBinlogs, serverVersion } from "../lib/mysql-connection";
import { MysqlTools, resolveMysqlTools, useCredentialDirectory } from "../lib/mysql-tools";
import { Mutex } from "../lib/mutex";
import { redact } from "../lib/secrets";
import { LagPublisher } from "./cloudwatch";
import { missingDatabasesProblem } from "./database-check";
import { newEpochState, writeEpochInfo } from "./epoch";
import { runFullBackup } from "./full-backup";
import { LagMonitor } from "./lag-monitor";
import { FencedError, LeaseOptions, WriterLease, leaseOptionsFromEnvironment } from "./lease";
import { acquireLock } from "./lock";
import { BinlogShipper, ChainBrokenError } from "./shipper";
import { Spool } from "./spool";
import { AgentState, StateStore } from "./state";
import { BinlogShareCheck, BinlogShareExceeded, fullBackupUncompressedBytes, sourceBinlogSizes } from "./binlog-share";
import { AgentStatus, serveStatus } from "./status";
import { BinlogStreamer } from "./streamer";
import { toolsProblem } from "./tools-check";
import { AGENT_VERSION } from "./version";

const STATUS_INTERVAL_MS = 1_000;
const SHUTDOWN_FLUSH_MS = 5_000;

/**
 * The backup agent: keeps a binlog reader running, ships what it writes, takes full backups on
 * schedule, measures and reports its lag. Runs until `signal` aborts, then stops the reader,
 * ships what is left (briefly) and releases its lock.
 */
export class BackupAgent {
  private readonly spool: Spool;
  private readonly store: StateStore;
  private readonly layout: BlobLayout;
  private readonly container;
  private readonly mutex = new Mutex();
  private readonly startedAt = new Date();
  private state!: AgentState;
  private tools!: MysqlTools;
  private shipper!: BinlogShipper;
  private streamer!: BinlogStreamer;
  private lag!: LagMonitor;
  private azureReachable = false;
  private shipError?: string;
  private fullBackupRequested = false;
  private fullBackupInProgress = false;
  private fullBackupUploaded?: number;
  private fullBackupError?: string;
  private readonly binlogShare: BinlogShareCheck;
  /** The last failure to measure the binlog since the last full backup, logged once until it changes. */
  private binlogShareError?: string;
  private lastReceived = "";
  private stallSince = Date.now();
  private latestStatus?: AgentStatus;
  private lease!: WriterLease;
  /** The last status write failure, logged once until writes work again. */
  private statusWriteError?: string;

  constructor(
    private readonly config: AgentConfig,
    private readonly log: Logger,
    private readonly leaseOptions: LeaseOptions = leaseOptionsFromEnvironment(process.env),
  ) {
    this.spool = new Spool(join(config.stateDir, "spool"));
    this.store = new StateStore(config.stateDir);
    this.layout = new BlobLayout(config.blob.prefix);
    this.container = createContainerClient(config.blob);
    this.binlogShare = new BinlogShareCheck(config.fullBackupBinlogShare, config.fullBackupBinlogMinBytes, () => sourceBinlogSizes(config.source));
  }

  /** Asks for a full backup as soon as the current one (if any) is done. */
  requestFullBackup(): void {
    this.fullBackupRequested = true;
  }

  /** Runs until `signal` aborts; rejects if another agent holds the prefix or takes it over (fencing). */
  async run(outer: AbortSignal): Promise<void> {
    const stateDir = this.stateDirSetting();
    await fs.mkdir(this.config.stateDir, { recursive: true, mode: 0o700 }).catch(async (error) => {
      throw await explainWriteError(error, this.config.stateDir, stateDir);
    });
    const releaseLock = await acquireLock(this.config.stateDir).catch(async (error) => {
      throw await explainWriteError(error, join(this.config.stateDir, "agent.lock"), stateDir);
    });
    try {
      this.lease = await WriterLease.acquire(this.container, this.layout, this.leaseOptions, this.config.stateDir, outer);
    } catch (error) {
      await releaseLock();
      throw error;
    }
    this.log.info("writer lease taken", { lease: this.layout.writerLease(), seconds: this.leaseOptions.seconds });
    const stop = new AbortController();
    const onOuter = () => stop.abort();
    outer.addEventListener("abort", onOuter);
    const renewing = this.renewLease(stop);
    try {
      await this.runHolding(stop.signal);
    } finally {
      stop.abort();
      outer.removeEventListener("abort", onOuter);
      await renewing;
      await this.lease.release();
      await releaseLock();
    }
    const lost = this.lease.lostReason();
    if (lost) throw new FencedError(lost);
  }

  /** Renews the lease until stopped; when another agent has taken it, stops this one (it must not write next to the new holder). */
  private async renewLease(stop: AbortController): Promise<void> {
    while (!stop.signal.aborted) {
      await sleep(this.lease.renewIntervalMs(), stop.signal);
      if (stop.signal.aborted) return;
      try {
        await this.lease.renew();
      } catch (error) {
        if (error instanceof FencedError) {
          this.log.error("writer lease lost; stopping", { error: error.message });
          stop.abort();
          return;
        }
        this.log.warn("could not renew the writer lease; retrying", { error: redact((error as Error).message) });
      }
    }
  }

  private async runHolding(signal: AbortSignal): Promise<void> {
    const server = this.config.statusPort ? await serveStatus(this.config.statusPort, () => this.latestStatus) : undefined;
    try {
      await this.spool.ensure().catch(async (error) => {
        throw await explainWriteError(error, this.spool.dir, this.stateDirSetting());
      });
      await BinlogStreamer.killOrphan(this.spool, this.log);
      const credentials = join(this.config.stateDir, "credentials");
      try {
        useCredentialDirectory(credentials);
      } catch (error) {
        throw await explainWriteError(error, credentials, this.stateDirSetting());
      }
      this.tools = resolveMysqlTools(this.config.tools);
      const tools = this.tools;
      const mismatch = await this.retry("check the client tools against the source", () => toolsProblem(this.config.source, tools), signal);
      if (mismatch) throw new Error(mismatch);
      if (signal.aborted) return;
      // Checked once at start: mysqldump would otherwise fail only at the first full backup, and keep failing.
      const missing = await this.retry("list the source's databases", () => missingDatabasesProblem(this.config.source, this.config.databases), signal);
      if (missing) throw new Error(missing);
      this.log.info("agent starting", { version: AGENT_VERSION, tools: this.tools.flavor, binlog_tool: this.tools.binlog, state_dir: this.config.stateDir });
      const loaded = await this.store.load();
      this.state = loaded ?? (await this.retry("create binlog chain", () => newEpochState(this.config.source), signal));
      if (signal.aborted) return;
      if (!loaded) {
        await this.store.save(this.state);
        this.log.info("new binlog chain", { epoch: this.state.epoch, start: this.state.epochStartFile });
      } else {
        this.log.info("resuming", { epoch: this.state.epoch, file: this.state.cursor.file, shipped: this.state.cursor.shippedBytes });
      }
      this.lag = new LagMonitor(this.config.source, () => ({ file: this.state.cursor.file, position: this.state.cursor.shippedBytes }));
      this.shipper = this.createShipper();
      this.streamer = new BinlogStreamer({
        source: this.config.source,
        tools: this.tools,
        spool: this.spool,
        serverId: this.config.binlogServerId,
        backoffMinMs: this.config.backoffMinMs,
        backoffMaxMs: this.config.backoffMaxMs,
        log: this.log,
        nextRun: () => {
          const run = this.state.nextRun;
          this.state.nextRun += 1;
          // Not awaited: every later save (the shipper's) carries the counter too. A failure is logged, not left unhandled (that would kill the agent).
          this.store.save(this.state).catch((error: Error) => this.log.warn("could not save the agent state", { error: redact(error.message) }));
          return run;
        },
        startFile: () => this.readerStartFile(),
        stateDir: this.config.stateDir,
      });
      this.streamer.start();
      const publisher = this.config.cloudWatch ? new LagPublisher(this.config.cloudWatch) : undefined;
      await Promise.all([
        this.shipLoop(signal),
        this.every(this.config.lagPollIntervalMs, signal, () => this.lag.poll()),
        this.fullBackupLoop(signal),
        this.every(STATUS_INTERVAL_MS, signal, () => this.reportStatus()),
        publisher ? this.every(this.config.cloudWatch?.intervalMs ?? 60_000, signal, () => this.publishLag(publisher)) : Promise.resolve(),
      ]);
      await this.shutdown();
      publisher?.close();
    } finally {
      server?.close();
    }
  }

  private createShipper(): BinlogShipper {
    return new BinlogShipper(this.container, this.layout, this.store, this.state, this.spool, this.log, this.config.segmentMaxBlocks, () => this.streamer?.activeRun());
  }

  /** The reader resumes from the newest file it has locally (older ones are complete), checking the source still has it. */
  private async readerStartFile(): Promise<string> {
    const local = Spool.newestFile(await this.spool.runs());
    const file = local && compareBinlogNames(local, this.state.cursor.file) >= 0 ? local : this.state.cursor.file;
    let onServer: string[] | undefined;
    try {
      const connection = await connect(this.config.source);
      try {
        onServer = await listServerBinlogs(connection);
      } finally {
        await connection.end().catch(() => undefined);
      }
    } catch {
      return file; // source unreachable: the reader will fail and back off
    }
    if (onServer.length > 0 && !onServer.includes(file) && compareBinlogNames(file, onServer[0]) < 0) {
      await this.startNewEpoch(`the source no longer has ${file} (oldest is ${onServer[0]}); binlog retention is too short for this outage`);
      return this.state.cursor.file;
    }
    return file;
  }

  private async startNewEpoch(reason: string): Promise<void> {
    await this.mutex.run(async () => {
      this.log.error("binlog chain broken; starting a new chain with a full backup", { reason, old_epoch: this.state.epoch });
      const next = await newEpochState(this.config.source, this.state);
      await fs.rm(this.spool.dir, { recursive: true, force: true });
      await this.spool.ensure();
      Object.assign(this.state, next, { lastFullBackup: this.state.lastFullBackup });
      await this.store.save(this.state);
      this.shipper = this.createShipper();
      this.fullBackupRequested = true;
    });
  }

  private async shipLoop(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(Math.max(this.config.shipIntervalMs, this.config.backoffMinMs), this.config.backoffMaxMs);
    while (!signal.aborted) {
      try {
        await this.mutex.run(async () => {
          this.lease.assertHeld();
          if (!this.state.epochInfoWritten) {
            await writeEpochInfo(this.container, this.layout, this.state, this.config.source);
            this.state.epochInfoWritten = true;
            await this.store.save(this.state);
          }
          await this.shipper.tick();
        });
        if (!this.azureReachable && this.shipError) this.log.info("shipping resumed");
        this.azureReachable = true;
        this.shipError = undefined;
        backoff.reset();
        await sleep(this.config.shipIntervalMs, signal);
      } catch (error) {
        if (error instanceof ChainBrokenError) {
          await this.startNewEpoch(error.message).catch((inner: Error) => this.log.error("could not start a new chain", { error: redact(inner.message) }));
          continue;
        }
        const message = redact((error as Error).message);
        if (message !== this.shipError) this.log.warn("shipping failed; keeping local binlogs and retrying", { error: message });
        this.shipError = message;
        this.azureReachable = false;
        await sleep(backoff.nextDelayMs(), signal);
      }
    }
  }

  private async fullBackupLoop(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.config.backoffMinMs, this.config.backoffMaxMs);
    while (!signal.aborted) {
      const last = this.state.lastFullBackup;
      const due =
        this.fullBackupRequested ||
        !last ||
        last.epoch !== this.state.epoch ||
        Date.now() - Date.parse(last.finishedAt) >= this.config.fullBackupIntervalMs;
      const early = due ? undefined : await this.binlogShareExceeded();
      if (early) {
        this.log.info("binlog since the last full backup passed DR_FULL_BACKUP_BINLOG_SHARE of its size; taking a full backup early", {
          binlog_bytes: early.binlogBytes,
          full_backup_uncompressed_bytes: early.fullBackupUncompressedBytes,
          share: early.share,
          min_bytes: early.minBytes,
        });
      }
      if (!due && !early) {
        await sleep(1_000, signal);
        continue;
      }
      this.fullBackupRequested = false;
      this.fullBackupInProgress = true;
      this.fullBackupUploaded = 0;
      const epoch = this.state.epoch;
      try {
        this.lease.assertHeld();
        const version = await this.sourceVersion();
        const manifest = await runFullBackup({
          container: this.container,
          layout: this.layout,
          source: this.config.source,
          tools: this.tools,
          databases: this.config.databases,
          epoch,
          epochStartFile: this.state.epochStartFile,
          serverVersion: version,
          gzipLevel: this.config.gzipLevel,
          dump: this.config.dump,
          log: this.log,
          onProgress: (bytes) => (this.fullBackupUploaded = bytes),
          signal,
          assertWriter: () => this.lease.assertHeld(),
        });
        this.state.lastFullBackup = {
          backupId: manifest.backupId,
          epoch: manifest.epoch,
          snapshotAt: manifest.snapshotAt,
          finishedAt: manifest.finishedAt,
          coordinates: { file: manifest.coordinates.file, position: manifest.coordinates.position },
          uncompressedBytes: fullBackupUncompressedBytes(manifest),
        };
        await this.store.save(this.state);
        this.fullBackupError = undefined;
        backoff.reset();
      } catch (error) {
        this.fullBackupError = redact((error as Error).message);
        this.log.error("full backup failed", { error: this.fullBackupError });
        this.fullBackupRequested = true;
        await sleep(backoff.nextDelayMs(), signal);
      } finally {
        this.fullBackupInProgress = false;
      }
    }
  }

  /** The end-of-day bound; when the source cannot be asked, says so once and checks again next time. */
  private async binlogShareExceeded(): Promise<BinlogShareExceeded | undefined> {
    try {
      const exceeded = await this.binlogShare.exceeded(this.state);
      this.binlogShareError = undefined;
      return exceeded;
    } catch (error) {
      const message = redact((error as Error).message);
      if (message !== this.binlogShareError) this.log.warn("could not measure the binlog since the last full backup (SHOW BINARY LOGS on the source); checking again", { error: message });
      this.binlogShareError = message;
      return undefined;
    }
  }

  private async sourceVersion(): Promise<string> {
    const connection = await connect(this.config.source);
    try {
      return await serverVersion(connection);
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  private async reportStatus(): Promise<void> {
    const runs = await this.spool.runs();
    const newest = Spool.newestFile(runs);
    if (newest) {
      const size = Math.max(...Spool.copiesOf(runs, newest).map((copy) => copy.size));
      // Progress is measured on the live reader's own run: a reader re-reading a file it already
      // had (after a restart) makes progress without changing the largest copy.
      const active = runs.find((run) => run.run === this.streamer.activeRun());
      const received = `${active?.run ?? "-"}:${active ? [...active.files.values()].reduce((sum, bytes) => sum + bytes, 0) : 0}`;
      if (received !== this.lastReceived || !this.lag.sourceAheadOf({ file: newest, position: size })) {
        this.lastReceived = received;
        this.stallSince = Date.now();
      } else if (Date.now() - this.stallSince > this.config.stallTimeoutMs) {
        this.streamer.restart(`source is ahead but nothing arrived for ${Math.round(this.config.stallTimeoutMs / 1000)}s`);
        this.stallSince = Date.now();
      }
    }
    const shipping = this.shipper.status();
    this.latestStatus = {
      agentVersion: AGENT_VERSION,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      epoch: this.state.epoch,
      lag: this.lag.status(),
      streamer: this.streamer.status(),
      shipping: { ...shipping, azureReachable: this.azureReachable, lastError: this.shipError },
      fullBackup: {
        inProgress: this.fullBackupInProgress,
        uploadedBytes: this.fullBackupInProgress ? this.fullBackupUploaded : undefined,
        last: this.state.lastFullBackup,
        lastError: this.fullBackupError,
      },
    };
    await this.writeStatus(this.latestStatus);
  }

  /**
   * Writes status.json. A failure (a full disk) is logged once as an error naming the file, the
   * cause and the free space, not every second; `mysql-dr status` then sees a live pid with a stale file.
   */
  private async writeStatus(status: AgentStatus): Promise<void> {
    const path = join(this.config.stateDir, "status.json");
    try {
      await writeJsonAtomic(path, status);
    } catch (error) {
      const message = redact((await explainWriteError(error, path, this.stateDirSetting())).message);
      if (message.replace(/\d+ bytes free/, "") !== this.statusWriteError?.replace(/\d+ bytes free/, "")) {
        this.log.error("cannot write the agent status", { error: message });
      }
      this.statusWriteError = message;
      return;
    }
    if (this.statusWriteError) this.log.info("status writes resumed", { file: path });
    this.statusWriteError = undefined;
  }

  private stateDirSetting(): DirectorySetting {
    return { setting: "DR_STATE_DIR", dir: this.config.stateDir };
  }

  private async publishLag(publisher: LagPublisher): Promise<void> {
    try {
      await publisher.publish(this.lag.status().lagSeconds);
    } catch (error) {
      this.log.warn("could not publish the lag metric", { error: redact((error as Error).message) });
    }
  }

  private async shutdown(): Promise<void> {
    this.log.info("agent stopping");
    await this.streamer.stop();
    const deadline = Date.now() + SHUTDOWN_FLUSH_MS;
    while (Date.now() < deadline) {
      try {
        if (this.lease.lostReason()) break;
        await this.mutex.run(async () => {
          this.lease.assertHeld();
          await this.shipper.tick();
        });
        break;
      } catch {
        await sleep(200);
      }
    }
    await this.lag.close();
    await this.reportStatus().catch(() => undefined);
    this.log.info("agent stopped", { file: this.state.cursor.file, shipped: this.state.cursor.shippedBytes });
  }

  private async every(intervalMs: number, signal: AbortSignal, task: () => Promise<void>): Promise<void> {
    while (!signal.aborted) {
      await task().catch((error: Error) => this.log.warn("periodic task failed", { error: redact(error.message) }));
      await sleep(intervalMs, signal);
    }
  }

  private async retry<T>(what: string, task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const backoff = new Backoff(this.config.backoffMinMs, this.config.backoffMaxMs);
    for (;;) {
      try {
        return await task();
      } catch (error) {
        if (signal.aborted) throw error;
        const delay = backoff.nextDelayMs();
        this.log.warn(`could not ${what}; retrying`, { error: redact((error as Error).message), after_ms: delay });
        await sleep(delay, signal);
      }
    }
  }
}
