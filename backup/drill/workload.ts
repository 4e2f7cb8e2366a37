import mysql from "mysql2/promise";
import { MysqlEndpoint } from "../config/shared";
import { mysql2TlsOptions } from "../lib/mysql-connection";

/** The database and tables the drill workload writes. */
export const DRILL_DATABASE = "drill";

/** One write the workload sent, and whether and when the primary acknowledged it. */
export interface WriteRecord {
  seq: number;
  /** Milliseconds since the epoch when the transaction was sent. */
  sentAt: number;
  /** When COMMIT returned OK; undefined if it never did (the primary died first). */
  ackAt?: number;
}

/** The change one write makes, derived from its sequence number alone so the expected state can be recomputed. */
export type Operation = { kind: "insert"; id: number; value: string } | { kind: "update"; id: number; value: string } | { kind: "delete"; id: number };

/** The deterministic operation for write `seq`: 70% inserts, 20% updates of recent rows, 10% deletes. */
export function operationFor(seq: number): Operation {
  const slot = seq % 10;
  if (slot === 7 || slot === 8) return { kind: "update", id: seq - 7, value: valueFor(seq) };
  if (slot === 9) return { kind: "delete", id: seq - 9 };
  return { kind: "insert", id: seq, value: valueFor(seq) };
}

/** The payload written by `seq`. */
export function valueFor(seq: number): string {
  return `v${seq}-${((seq * 2654435761) >>> 0).toString(16)}`;
}

/** Creates the drill schema: the items the application changes and a ledger of committed write numbers. */
export async function createDrillSchema(connection: mysql.Connection): Promise<void> {
  await connection.query(`CREATE DATABASE ${DRILL_DATABASE}`);
  await connection.query(`CREATE TABLE ${DRILL_DATABASE}.items (id INT PRIMARY KEY, value VARCHAR(64) NOT NULL, version INT NOT NULL)`);
  await connection.query(`CREATE TABLE ${DRILL_DATABASE}.ledger (seq INT PRIMARY KEY, committed_at DATETIME(6) NOT NULL)`);
  await connection.query(`CREATE TABLE ${DRILL_DATABASE}.seed (id INT PRIMARY KEY, payload VARCHAR(200) NOT NULL)`);
}

/**
 * Writes at a steady rate, one transaction per write (the change plus its ledger row), and logs
 * every write the primary acknowledged. Runs until `stop()` or until the primary dies.
 */
export class Workload {
  readonly writes: WriteRecord[] = [];
  startedAt = 0;
  private running = false;
  private loop?: Promise<void>;
  error?: string;

  constructor(private readonly endpoint: MysqlEndpoint, private readonly ratePerSecond: number) {}

  async start(): Promise<void> {
    const { host, port, user, password, tls } = this.endpoint;
    const connection = await mysql.createConnection({ host, port, user, password, ssl: mysql2TlsOptions(host, tls), database: DRILL_DATABASE, multipleStatements: true });
    this.running = true;
    this.startedAt = Date.now();
    this.loop = this.run(connection);
  }

  /** Stops writing and resolves once the last write returned or failed. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** The number of the last write the primary acknowledged (0 if none). */
  get lastAcknowledged(): number {
    for (let i = this.writes.length - 1; i >= 0; i--) if (this.writes[i].ackAt !== undefined) return this.writes[i].seq;
    return 0;
  }

  private async run(connection: mysql.Connection): Promise<void> {
    let seq = 0;
    try {
      while (this.running) {
        seq += 1;
        const due = this.startedAt + ((seq - 1) * 1000) / this.ratePerSecond;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!this.running) break;
        const record: WriteRecord = { seq, sentAt: Date.now() };
        this.writes.push(record);
        await connection.query(`START TRANSACTION; ${statementFor(operationFor(seq))}; INSERT INTO ledger (seq, committed_at) VALUES (${seq}, NOW(6)); COMMIT;`);
        record.ackAt = Date.now();
      }
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }
}

function statementFor(operation: Operation): string {
  switch (operation.kind) {
    case "insert":
      return `INSERT INTO items (id, value, version) VALUES (${operation.id}, '${operation.value}', 0)`;
    case "update":
      return `UPDATE items SET value = '${operation.value}', version = version + 1 WHERE id = ${operation.id}`;
    case "delete":
      return `DELETE FROM items WHERE id = ${operation.id}`;
  }
}
