import type { Connection } from "mysql2/promise";
import { MysqlEndpoint } from "../config/shared";
import { compareCoordinates } from "../lib/binlog-names";
import { BinlogPosition, connect, currentBinlogPosition } from "../lib/mysql-connection";
import { redact } from "../lib/secrets";

/** The lag as the agent measures it. */
export interface LagStatus {
  /**
   * Seconds since the last moment everything the source had committed was durably in Azure:
   * every event committed earlier than `lagSeconds` ago is safe. Grows while the source, the
   * reader or Azure is unreachable.
   */
  lagSeconds: number;
  caughtUpAt?: string;
  sourceReachable: boolean;
  sourcePosition?: BinlogPosition;
  lastError?: string;
}

/**
 * Polls the source's binlog position and compares it with the shipped position. A poll that
 * starts at time t and finds the shipped position at or past the source's proves that everything
 * committed before t is shipped.
 */
export class LagMonitor {
  private connection?: Connection;
  private caughtUpAt?: number;
  private reachable = false;
  private position?: BinlogPosition;
  private lastError?: string;

  constructor(private readonly source: MysqlEndpoint, private readonly shipped: () => BinlogPosition, private readonly startedAt = Date.now()) {}

  /** One poll; never throws. */
  async poll(): Promise<void> {
    const started = Date.now();
    try {
      this.connection ??= await connect(this.source);
      const position = await currentBinlogPosition(this.connection);
      this.position = position;
      this.reachable = true;
      this.lastError = undefined;
      if (compareCoordinates(this.shipped(), position) >= 0) this.caughtUpAt = started;
    } catch (error) {
      this.reachable = false;
      this.lastError = redact((error as Error).message);
      const stale = this.connection;
      this.connection = undefined;
      await stale?.end().catch(() => undefined);
    }
  }

  /** True when the source is ahead of what has arrived locally (used by the stall watchdog). */
  sourceAheadOf(received: BinlogPosition): boolean {
    return this.reachable && this.position !== undefined && compareCoordinates(received, this.position) < 0;
  }

  status(now = Date.now()): LagStatus {
    return {
      lagSeconds: Math.round((now - (this.caughtUpAt ?? this.startedAt)) / 100) / 10,
      caughtUpAt: this.caughtUpAt ? new Date(this.caughtUpAt).toISOString() : undefined,
      sourceReachable: this.reachable,
      sourcePosition: this.position,
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    await this.connection?.end().catch(() => undefined);
  }
}
