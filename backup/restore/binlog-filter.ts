import { promises as fs } from "node:fs";
import { BINLOG_MAGIC, BinlogFormat, EventType, readBinlogFormat, readQueryEvent, readTableMapDatabase, scanEvents } from "../lib/binlog-events";

/** Why events were kept or dropped, for the restore report. */
export interface FilterStats {
  keptTransactions: number;
  droppedTransactions: number;
  /** Databases whose changes were dropped because the backup does not include them. */
  droppedDatabases: string[];
}

const GROUP_START = new Set<number>([EventType.MARIADB_GTID, EventType.MYSQL_GTID, EventType.MYSQL_ANONYMOUS_GTID]);
/** MySQL 8's compressed transaction payload: its table maps are not readable here, so it is always kept. */
const TRANSACTION_PAYLOAD = 40;

/**
 * Writes a copy of a verified binlog file that holds only the transactions touching the backed-up
 * databases, from `fromPosition` on. `mysqlbinlog --database` cannot do this: it filters
 * statements by their *default* database, so `ALTER TABLE shop.t ...` run without `USE shop`
 * would be silently dropped. Here a transaction is kept when a row event maps a table in one of
 * the databases, or a statement runs in one of them or names one as `db.` / `` `db`. ``. Changes to
 * other schemas (e.g. RDS's own mysql.rds_* tables) are dropped and listed.
 * Events are copied byte for byte; only whole transactions are removed.
 */
export async function filterBinlogFile(source: string, destination: string, fromPosition: number, databases: string[], stats: FilterStats): Promise<void> {
  const bytes = await fs.readFile(source);
  const format = readBinlogFormat(bytes) as BinlogFormat;
  const formatEnd = BINLOG_MAGIC.length + bytes.readUInt32LE(BINLOG_MAGIC.length + 9);
  const { events } = scanEvents(bytes.subarray(formatEnd), formatEnd, format);
  const selected = new Set(databases);
  const mentions = databases.map((name) => new RegExp(`(^|[^\\w$])(\`${escape(name)}\`|${escape(name)})\\s*\\.|DATABASE\\s+(IF\\s+(NOT\\s+)?EXISTS\\s+)?\`?${escape(name)}\`?(\\s|;|$)`, "i"));
  const output: Buffer[] = [bytes.subarray(0, formatEnd)];
  let group: Buffer[] = [];
  let touched: string[] = [];
  let relevant = false;
  const closeGroup = () => {
    if (group.length > 0 && relevant) {
      output.push(...group);
      stats.keptTransactions += 1;
    } else if (group.length > 0) {
      stats.droppedTransactions += 1;
      for (const name of touched) if (!stats.droppedDatabases.includes(name)) stats.droppedDatabases.push(name);
    }
    group = [];
    touched = [];
    relevant = false;
  };
  for (const event of events) {
    if (event.offset < fromPosition) continue;
    const raw = bytes.subarray(event.offset, event.offset + event.size);
    if (GROUP_START.has(event.type)) closeGroup();
    else if (group.length === 0 && event.type !== EventType.QUERY) continue; // rotate, checkpoint, gtid list: not data
    group.push(raw);
    if (event.type === TRANSACTION_PAYLOAD) relevant = true;
    if (event.type === EventType.TABLE_MAP) {
      const database = readTableMapDatabase(raw);
      touched.push(database || "(none)");
      if (selected.has(database)) relevant = true;
    } else if (event.type === EventType.QUERY) {
      const { database, statement } = readQueryEvent(raw, format);
      const keyword = statement.trim().slice(0, 8).toUpperCase();
      if (keyword !== "BEGIN" && keyword !== "COMMIT" && keyword !== "ROLLBACK") {
        touched.push(database || "(none)");
        if (selected.has(database) || mentions.some((pattern) => pattern.test(statement))) relevant = true;
      }
    }
    if (event.endsTransaction) closeGroup();
  }
  // An unfinished transaction at the end of the stream never committed: leave it out.
  await fs.writeFile(destination, Buffer.concat(output));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
