import { Transform, TransformCallback } from "node:stream";
import { TableRows } from "./manifest";

/** What a dump says about itself: where in the binlog its snapshot sits, and what it holds. */
export interface DumpFacts {
  coordinates?: { file: string; position: number; gtid?: string };
  /** When the coordinates went past in the stream (the snapshot was taken just before). */
  coordinatesSeenAt?: Date;
  tables: TableRows[];
}

const NEWLINE = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;
const SEMICOLON = 0x3b;
const HEAD_LIMIT = 1024;

const INSERT_HEAD = /^INSERT (?:IGNORE )?INTO `((?:[^`]|``)+)`(?: \([^)]*\))? VALUES\s*$/;
const COORDINATES = /CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE='([^']+)', (?:MASTER|SOURCE)_LOG_POS=(\d+)/;
const GTID = /gtid_slave_pos='([^']*)'/;
const USE_DATABASE = /^USE `((?:[^`]|``)+)`;/;
const CREATE_TABLE = /^CREATE TABLE `((?:[^`]|``)+)` \(/;
const VIEW = /^-- Final view structure for view `((?:[^`]|``)+)`/;

/**
 * A pass-through stream over `mysqldump`/`mariadb-dump` output that reads the binlog coordinates
 * comment and counts the rows in each table's INSERT statements (quotes and escapes respected),
 * so the manifest carries exact row counts at the snapshot without a second query.
 */
export class DumpInspector extends Transform {
  readonly facts: DumpFacts = { tables: [] };
  private readonly rows = new Map<string, number>();
  private database = "";
  private head: number[] = [];
  private inValues = false;
  private inString = false;
  private escaped = false;
  private depth = 0;
  private currentTable = "";

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inspect(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.endLine();
    this.facts.tables = [...this.rows.entries()].map(([key, rows]) => {
      const [database, table] = JSON.parse(key) as [string, string];
      return { database, table, rows };
    });
    callback();
  }

  private inspect(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inValues) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (byte === BACKSLASH) this.escaped = true;
          else if (byte === QUOTE) this.inString = false;
        } else if (byte === QUOTE) {
          this.inString = true;
        } else if (byte === OPEN) {
          if (this.depth === 0) this.addRows(1);
          this.depth += 1;
        } else if (byte === CLOSE) {
          this.depth -= 1;
        } else if (byte === SEMICOLON && this.depth === 0) {
          this.inValues = false;
          this.head = [];
        }
        continue;
      }
      if (byte === NEWLINE) {
        // MariaDB's dump puts each row on its own line after a bare `INSERT INTO t VALUES`.
        if (this.head.length < HEAD_LIMIT && this.startValues(0)) continue;
        this.endLine();
        continue;
      }
      if (this.head.length < HEAD_LIMIT) this.head.push(byte);
      if (byte === OPEN && this.head.length < HEAD_LIMIT) {
        this.head.pop();
        if (this.startValues(1)) this.addRows(1);
        else this.head.push(byte);
      }
    }
  }

  /** Enters the VALUES list when the line so far is an INSERT head; `depth` is 1 when its first `(` was just read. */
  private startValues(depth: number): boolean {
    if (this.head[0] !== 0x49) return false;
    const match = INSERT_HEAD.exec(Buffer.from(this.head).toString("utf8"));
    if (!match) return false;
    this.currentTable = match[1].replace(/``/g, "`");
    this.inValues = true;
    this.depth = depth;
    return true;
  }

  private endLine(): void {
    const line = Buffer.from(this.head).toString("utf8");
    this.head = [];
    if (line.startsWith("--")) {
      const coordinates = COORDINATES.exec(line);
      if (coordinates && !this.facts.coordinates) {
        this.facts.coordinates = { file: coordinates[1], position: Number(coordinates[2]) };
        this.facts.coordinatesSeenAt = new Date();
      }
      const gtid = GTID.exec(line);
      if (gtid && this.facts.coordinates) this.facts.coordinates.gtid = gtid[1];
      const view = VIEW.exec(line);
      if (view) this.rows.delete(JSON.stringify([this.database, view[1].replace(/``/g, "`")]));
      return;
    }
    const use = USE_DATABASE.exec(line);
    if (use) {
      this.database = use[1].replace(/``/g, "`");
      return;
    }
    const create = CREATE_TABLE.exec(line);
    if (create) this.rows.set(JSON.stringify([this.database, create[1].replace(/``/g, "`")]), 0);
  }

  private addRows(count: number): void {
    const key = JSON.stringify([this.database, this.currentTable]);
    this.rows.set(key, (this.rows.get(key) ?? 0) + count);
  }
}
