import { quoteIdentifier } from "../lib/mysql-connection";

/**
 * How a column's text-protocol bytes become an SQL literal: `number` unquoted as the server sent
 * it, `binary` as an `X'..'` hex literal (arbitrary bytes survive any client character set),
 * `text` quoted and escaped as mysql_real_escape_string does (what mysqldump writes).
 */
export type ColumnKind = "number" | "binary" | "text";

const NUMBER_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "real", "year"]);
const BINARY_TYPES = new Set([
  "binary",
  "varbinary",
  "tinyblob",
  "blob",
  "mediumblob",
  "longblob",
  "bit",
  "geometry",
  "point",
  "linestring",
  "polygon",
  "multipoint",
  "multilinestring",
  "multipolygon",
  "geometrycollection",
  "geomcollection",
]);

/**
 * The kind of a column from information_schema.COLUMNS: DATA_TYPE and CHARACTER_SET_NAME (a
 * `char`/`text` column with the binary character set holds bytes, not text). Dates and times,
 * ENUM, SET, JSON, MariaDB's UUID/INET types and anything unknown are quoted text, which the server
 * converts on insert.
 */
export function columnKind(dataType: string, characterSet: string | null): ColumnKind {
  const type = dataType.toLowerCase();
  if (NUMBER_TYPES.has(type)) return "number";
  if (BINARY_TYPES.has(type) || characterSet?.toLowerCase() === "binary") return "binary";
  return "text";
}

/** Default ceiling of one INSERT statement (a single larger row still gets its own statement). */
export const MAX_STATEMENT_BYTES = 1024 * 1024;

// mysql_real_escape_string's replacements: NUL, \n, \r, \, ', ", Ctrl-Z. Escaping \n and \r also keeps
// every statement on one line, so a loader may split a chunk on newlines.
/** Byte -> the letter after the backslash that replaces it, 0 when the byte stays as it is. */
const ESCAPE = new Uint8Array(256);
for (const [byte, letter] of [
  [0x00, 0x30],
  [0x0a, 0x6e],
  [0x0d, 0x72],
  [0x5c, 0x5c],
  [0x27, 0x27],
  [0x22, 0x22],
  [0x1a, 0x5a],
]) ESCAPE[byte] = letter;
const NULL_BYTES = Buffer.from("NULL", "latin1");

/**
 * Turns rows of raw text-protocol values (mysql2 with `typeCast: false`: one Buffer or null per
 * column) into `INSERT INTO \`t\` (\`c\`, ...) VALUES (...),(...);\n` statements of at most
 * `maxStatementBytes` each, handed to `emit` one whole statement at a time. Values are copied
 * byte for byte (text is escaped bytewise, which is safe in utf8mb4: no byte of a multibyte
 * sequence is ASCII), so the result is exactly what the server sent.
 */
export class InsertBuilder {
  /** Rows added so far. */
  rows = 0;
  /** Statements emitted so far. */
  statements = 0;
  private readonly prefix: Buffer;
  private statement: Buffer;
  private length = 0;
  private row: Buffer = Buffer.allocUnsafe(64 * 1024);
  private rowLength = 0;

  constructor(
    table: string,
    columns: readonly string[],
    private readonly kinds: readonly ColumnKind[],
    private readonly emit: (statement: Buffer) => void,
    private readonly maxStatementBytes = MAX_STATEMENT_BYTES,
  ) {
    if (columns.length !== kinds.length || columns.length === 0) throw new Error(`InsertBuilder for ${table}: ${columns.length} columns but ${kinds.length} kinds`);
    this.prefix = Buffer.from(`INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(",")}) VALUES `, "utf8");
    this.statement = Buffer.allocUnsafe(Math.max(maxStatementBytes, this.prefix.length + 1024) + 2);
  }

  /** Adds one row of values (one Buffer or null per column); see `addRawRow` for the fast path. */
  addRow(values: ReadonlyArray<Buffer | null>): void {
    if (values.length !== this.kinds.length) throw new Error(`row has ${values.length} values, expected ${this.kinds.length}`);
    this.rowLength = 0;
    this.put(0x28);
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.put(0x2c);
      const value = values[i];
      if (value === null) this.putNull();
      else this.putValue(this.kinds[i], value, 0, value.length);
    }
    this.put(0x29);
    this.commitRow();
  }

  /**
   * Adds one row straight from a text-protocol row packet's payload `bytes[start, end)`: one
   * length-encoded string per column, 0xFB for NULL (MySQL client/server protocol, "Text Resultset
   * Row"). Nothing is allocated per value.
   */
  addRawRow(bytes: Buffer, start: number, end: number): void {
    this.rowLength = 0;
    this.put(0x28);
    let at = start;
    for (let i = 0; i < this.kinds.length; i++) {
      if (i > 0) this.put(0x2c);
      if (at >= end) throw new Error(`row packet ends after ${i} of ${this.kinds.length} columns`);
      const first = bytes[at];
      let length: number;
      if (first < 0xfb) {
        length = first;
        at += 1;
      } else if (first === 0xfb) {
        this.putNull();
        at += 1;
        continue;
      } else if (first === 0xfc) {
        length = bytes.readUInt16LE(at + 1);
        at += 3;
      } else if (first === 0xfd) {
        length = bytes.readUIntLE(at + 1, 3);
        at += 4;
      } else if (first === 0xfe) {
        length = Number(bytes.readBigUInt64LE(at + 1));
        at += 9;
      } else {
        throw new Error(`unexpected length prefix 0x${first.toString(16)} in a row packet`);
      }
      if (at + length > end) throw new Error(`value of column ${i + 1} runs past the row packet`);
      this.putValue(this.kinds[i], bytes, at, at + length);
      at += length;
    }
    if (at !== end) throw new Error(`row packet has ${end - at} bytes after its ${this.kinds.length} columns`);
    this.put(0x29);
    this.commitRow();
  }

  private commitRow(): void {
    const rowLength = this.rowLength;
    // +2: the separating comma, or the closing ";\n".
    if (this.length > 0 && this.length + 1 + rowLength + 2 > this.maxStatementBytes) this.flush();
    if (this.length === 0) {
      this.ensureStatement(this.prefix.length + rowLength + 2);
      this.prefix.copy(this.statement, 0);
      this.length = this.prefix.length;
    } else {
      this.ensureStatement(this.length + 1 + rowLength + 2);
      this.statement[this.length++] = 0x2c;
    }
    this.row.copy(this.statement, this.length, 0, rowLength);
    this.length += rowLength;
    this.rows += 1;
  }

  /** Emits the statement in progress, if any. Call once after the last row. */
  flush(): void {
    if (this.length === 0) return;
    this.statement[this.length++] = 0x3b;
    this.statement[this.length++] = 0x0a;
    // A copy: the statement buffer is reused, the consumer may hold on to what it got.
    this.emit(Buffer.from(this.statement.subarray(0, this.length)));
    this.statements += 1;
    this.length = 0;
  }

  private ensureStatement(size: number): void {
    if (size <= this.statement.length) return;
    const bigger = Buffer.allocUnsafe(size);
    this.statement.copy(bigger, 0, 0, this.length);
    this.statement = bigger;
  }

  private ensureRow(extra: number): void {
    if (this.rowLength + extra <= this.row.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.row.length * 2, this.rowLength + extra));
    this.row.copy(bigger, 0, 0, this.rowLength);
    this.row = bigger;
  }

  private put(byte: number): void {
    this.ensureRow(1);
    this.row[this.rowLength++] = byte;
  }

  private putNull(): void {
    this.ensureRow(4);
    this.rowLength += NULL_BYTES.copy(this.row, this.rowLength);
  }

  private putValue(kind: ColumnKind, bytes: Buffer, start: number, end: number): void {
    if (kind === "binary") {
      this.ensureRow((end - start) * 2 + 3);
      const row = this.row;
      row[this.rowLength++] = 0x58; // X
      row[this.rowLength++] = 0x27;
      this.rowLength += row.write(bytes.toString("hex", start, end), this.rowLength, "latin1");
      row[this.rowLength++] = 0x27;
      return;
    }
    // Byte loops rather than Buffer.copy: most values are a few bytes, where a native call costs more.
    this.ensureRow((end - start) * 2 + 2);
    const row = this.row;
    let at = this.rowLength;
    if (kind === "number") {
      for (let i = start; i < end; i++) row[at++] = bytes[i];
    } else {
      row[at++] = 0x27;
      for (let i = start; i < end; i++) {
        const byte = bytes[i];
        const escaped = ESCAPE[byte];
        if (escaped === 0) {
          row[at++] = byte;
        } else {
          row[at++] = 0x5c;
          row[at++] = escaped;
        }
      }
      row[at++] = 0x27;
    }
    this.rowLength = at;
  }
}
