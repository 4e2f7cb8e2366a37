import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import { AgentStatus } from "../../backup/agent/status";
import { BlobSettings } from "../../backup/config/shared";
import { AzuriteInstance } from "../../backup/harness/azurite-instance";
import { AgentProcess, RestoreRun, agentEnvironment, readAgentStatus, restoreEnvironment, runRestoreCli, waitFor } from "../../backup/harness/cli-process";
import { databaseDigest } from "../../backup/harness/digest";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";
import { startDrStack } from "../../backup/harness/stack";
import { useBundledCli } from "../../backup/harness/bundled-cli";

/** The container every test in a file shares; tests keep apart by blob prefix, state dir and database. */
export const CONTAINER = "mysql-backups";

/** Real Azurite, a MariaDB primary with ROW binlogs and a separate MariaDB restore target, in one temp dir. */
export class DrFixture {
  private constructor(readonly work: string, readonly azurite: AzuriteInstance, readonly primary: MariaDbInstance, readonly target: MariaDbInstance) {}

  static async start(): Promise<DrFixture> {
    useBundledCli();
    const work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-test-"));
    const { azurite, primary, target } = await startDrStack(work).catch(async (error) => {
      await fs.rm(work, { recursive: true, force: true });
      throw error;
    });
    await azurite.adminClient().getContainerClient(CONTAINER).createIfNotExists();
    return new DrFixture(work, azurite, primary, target);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.azurite.destroy(), this.primary.destroy(), this.target.destroy()]);
    await fs.rm(this.work, { recursive: true, force: true });
  }

  /** The agent's blob settings: create/add/write only. */
  agentBlob(prefix: string): BlobSettings {
    return this.azurite.sasFor(CONTAINER, "caw", prefix);
  }

  /** The restore tool's blob settings: read/list only. */
  restoreBlob(prefix: string): BlobSettings {
    return this.azurite.sasFor(CONTAINER, "rl", prefix);
  }

  stateDir(name: string): string {
    return join(this.work, `state-${name}`);
  }

  /** Starts an agent for `database` under `prefix` with quick test timings. */
  startAgent(name: string, database: string, extra: Record<string, string> = {}): AgentProcess {
    return AgentProcess.start(
      agentEnvironment(this.primary.agentEndpoint, this.agentBlob(`${name}/`), [database], this.stateDir(name), {
        DR_BACKOFF_MIN: "100ms",
        DR_BACKOFF_MAX: "1s",
        DR_SHIP_INTERVAL: "100ms",
        DR_STALL_TIMEOUT: "3s",
        // Unique per agent, as on a real source: readers sharing an id evict each other.
        DR_BINLOG_SERVER_ID: String(5000 + [...name].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 100_000, 0)),
        ...extra,
      }),
    );
  }

  /** Runs the restore CLI against the target for the agent named `name`. */
  restore(name: string, args: string[] = []): Promise<RestoreRun> {
    return runRestoreCli(restoreEnvironment(this.target.rootEndpoint, this.restoreBlob(`${name}/`), join(this.work, `restore-${name}-${Date.now()}`)), args);
  }

  async status(name: string): Promise<AgentStatus | undefined> {
    return readAgentStatus(this.stateDir(name));
  }

  /** Waits until the agent proves everything committed on the primary before now is in Azure. */
  async waitCaughtUp(name: string, timeoutMs = 30_000): Promise<AgentStatus> {
    const since = Date.now();
    try {
      return await waitFor(`agent ${name} to catch up`, timeoutMs, () => {
        const status = readAgentStatus(this.stateDir(name));
        return status && Date.parse(status.lag.caughtUpAt ?? "0") >= since && status.shipping.localUnshippedBytes === 0 ? status : undefined;
      });
    } catch (error) {
      const spool = join(this.stateDir(name), "spool");
      const runs = await fs.readdir(spool).catch(() => [] as string[]);
      const listing: string[] = [];
      for (const run of runs) {
        for (const file of await fs.readdir(join(spool, run)).catch(() => [] as string[])) {
          listing.push(`${run}/${file}=${(await fs.stat(join(spool, run, file)).catch(() => ({ size: -1 }))).size}`);
        }
      }
      throw new Error(`${(error as Error).message}; spool: ${listing.join(" ")}; last status: ${JSON.stringify(readAgentStatus(this.stateDir(name)))}`);
    }
  }

  /** Waits for the agent's first (or a newer) full backup. */
  async waitFullBackup(name: string, after?: string, timeoutMs = 60_000): Promise<string> {
    return waitFor(`full backup by ${name}`, timeoutMs, () => {
      const last = readAgentStatus(this.stateDir(name))?.fullBackup.last;
      return last && last.backupId !== after ? last.backupId : undefined;
    });
  }

  async primaryDigest(database: string) {
    return withConnection(this.primary.rootConnection(), (connection) => databaseDigest(connection, database));
  }

  async targetDigest(database: string) {
    return withConnection(this.target.rootConnection(), (connection) => databaseDigest(connection, database));
  }

  async targetHasDatabase(database: string): Promise<boolean> {
    return withConnection(this.target.rootConnection(), async (connection) => {
      const [rows] = await connection.query("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]);
      return Number((rows as Array<{ n: number }>)[0].n) > 0;
    });
  }

  async onPrimary<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return withConnection(this.primary.rootConnection(), work);
  }

  async onTarget<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return withConnection(this.target.rootConnection(), work);
  }
}

async function withConnection<T>(opening: Promise<Connection>, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await opening;
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Creates a small table with mixed column types in a fresh database. */
export async function createSchema(connection: Connection, database: string): Promise<void> {
  await connection.query(`CREATE DATABASE ${database}`);
  await connection.query(
    `CREATE TABLE ${database}.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64) NOT NULL, body TEXT, price DECIMAL(10,2), raw VARBINARY(32), updated_at DATETIME(6))`,
  );
}

/** Inserts `count` rows and changes some of them, as an application would. */
export async function writeBatch(connection: Connection, database: string, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await connection.query(`INSERT INTO ${database}.items (name, body, price, raw, updated_at) VALUES (?, ?, ?, ?, NOW(6))`, [
      `${tag}-${i}`,
      `it's ${tag} #${i}; (with) 'quotes' and \\ backslashes`,
      i * 1.25,
      Buffer.from([i % 256, 0, 255, 10]),
    ]);
  }
  await connection.query(`UPDATE ${database}.items SET price = price + 1 WHERE id % 5 = 0`);
  await connection.query(`DELETE FROM ${database}.items WHERE id % 11 = 0`);
}

/** Keeps inserting rows until stopped; returns how many it wrote. */
export function startWriter(connection: Connection, database: string, tag: string): { stop: () => Promise<number> } {
  let running = true;
  let written = 0;
  const loop = (async () => {
    while (running) {
      await connection.query(`INSERT INTO ${database}.items (name, body, price, updated_at) VALUES (?, ?, ?, NOW(6))`, [`${tag}-${written}`, "x".repeat(200), written]);
      written += 1;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return written;
    },
  };
}
