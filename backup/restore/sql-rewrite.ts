import { Transform, TransformCallback } from "node:stream";

/** What the rewrite changed, for the restore report. */
export interface RewriteStats {
  /** `DEFINER=user@host` clauses replaced by `DEFINER=CURRENT_USER`. */
  definers: number;
  /** Statements left out (`SET @@GLOBAL.GTID_PURGED`, `SET @@SESSION.GTID_NEXT`, `SET sql_log_bin`, replication metadata). */
  droppedStatements: number;
}

/**
 * Longest stretch the rewrite must see at once: a whole `DEFINER=` clause (user 32 + host 255
 * characters, each possibly escaped) or a statement head. Output lags input by at most this.
 */
export const DEFAULT_LOOKAHEAD = 2048;

const QUOTED = String.raw`\x60(?:[^\x60]|\x60\x60)*\x60|'(?:[^'\\]|\\[\s\S]|'')*'|"(?:[^"\\]|\\[\s\S]|"")*"`;
const DEFINER = new RegExp(String.raw`DEFINER\s*=\s*(?:CURRENT_USER(?:\s*\(\s*\))?|(?:${QUOTED}|[\w$.-]+)\s*@\s*(?:${QUOTED}|[\w$.%:-]+))`, "iy");
/**
 * Settings a non-SUPER user may not change and a restore must not carry over: the source's GTID
 * state, binary logging switched off, and the replication metadata MySQL 8's mysqlbinlog writes
 * before each transaction, which only describes where the transaction came from.
 */
const DROPPED_STATEMENT =
  /(?:\/\*M?!\d*\s*)?SET\s+(?:@@(?:SESSION|GLOBAL|LOCAL)\s*\.\s*|(?:SESSION|GLOBAL|LOCAL)\s+)?(?:GTID_PURGED|GTID_NEXT|SQL_LOG_BIN|ORIGINAL_COMMIT_TIMESTAMP|ORIGINAL_SERVER_VERSION|IMMEDIATE_SERVER_VERSION)\s*:?=/iy;
const DELIMITER_COMMAND = /DELIMITER[ \t]+([^\s]+)/iy;
/** Statements whose bare database name is renamed even when no `.` follows it. */
const DATABASE_STATEMENT = /(?:USE|(?:CREATE|ALTER|DROP)\s+(?:DATABASE|SCHEMA))(?![\w$])/iy;
const BACKTICK_IDENTIFIER = /`((?:[^`]|``)*)`/y;
const WORD = /[\w$\u0080-\uffff]+/y;
const DOT_FOLLOWS = /\s*\./y;

type State = "code" | "single" | "double" | "backtick" | "line-comment" | "block-comment";

/**
 * A streaming rewrite of `mysqldump`/`mariadb-dump` and `mysqlbinlog` output so a user without
 * SUPER (Azure's admin) can load it:
 * - `DEFINER=<user>@<host>` becomes `DEFINER=CURRENT_USER` in views, triggers, routines and
 *   events, so objects of users that do not exist on the target are created as the restore user;
 * - `SET @@GLOBAL.GTID_PURGED`, `SET @@SESSION.GTID_NEXT`, `SET sql_log_bin` and the
 *   `original_commit_timestamp` / `original_server_version` / `immediate_server_version` settings
 *   are left out.
 * The SQL is lexed as the `mysql` client does (quotes with backslash escapes, backtick
 * identifiers, `--`/`#`/`/* *\/` comments, `/*!NNNNN ... *\/` versioned code, `DELIMITER`), so
 * text inside string literals and comments is never changed. Bytes pass through as latin1, which
 * keeps binary data and any character set intact.
 *
 * With `renames`, database names are rewritten too (for a restore into staging databases, see
 * staging.ts): an identifier equal to a renamed database, quoted or bare, is replaced where it
 * names a database: before a `.` (`db.table`, `` `db`.`t` ``, not after one) and in `USE`,
 * `CREATE/ALTER/DROP DATABASE|SCHEMA`. Names inside string literals (dynamic SQL) are not.
 */
export class SqlRewriter extends Transform {
  readonly stats: RewriteStats = { definers: 0, droppedStatements: 0 };
  private pending = "";
  private state: State = "code";
  private escaped = false;
  private versionedDepth = 0;
  private delimiter = ";";
  private atStatementStart = true;
  private dropping = false;
  /** True while the current statement is a DELIMITER command, which ends at the newline. */
  private inDelimiterCommand = false;
  /** The last character already processed (the one before `pending`), for word boundaries. */
  private lastChar = 0x0a;

  /** True while the current statement is `USE` or `CREATE/ALTER/DROP DATABASE`. */
  private inDatabaseStatement = false;
  private readonly renames?: ReadonlyMap<string, string>;

  /** `lookahead` is lowered only by tests, to put chunk boundaries inside clauses. */
  constructor(private readonly lookahead = DEFAULT_LOOKAHEAD, renames?: ReadonlyMap<string, string>) {
    super();
    if (renames && renames.size > 0) this.renames = renames;
  }

  /** Rewrites a whole statement text at once (object DDL read back with SHOW CREATE). */
  rewriteAll(text: string): string {
    this.pending = text;
    return this.process(true);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending += chunk.toString("latin1");
    const out = this.process(false);
    callback(null, out.length > 0 ? Buffer.from(out, "latin1") : undefined);
  }

  override _flush(callback: TransformCallback): void {
    const out = this.process(true);
    callback(null, out.length > 0 ? Buffer.from(out, "latin1") : undefined);
  }

  private process(final: boolean): string {
    const text = this.pending;
    const limit = final ? text.length : text.length - this.lookahead;
    const out: string[] = [];
    let emitFrom = 0;
    let i = 0;
    const emitUpTo = (end: number) => {
      if (!this.dropping && end > emitFrom) out.push(text.slice(emitFrom, end));
      emitFrom = end;
    };
    while (i < limit) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case "single":
        case "double":
        case "backtick": {
          const close = this.state === "single" ? 0x27 : this.state === "double" ? 0x22 : 0x60;
          if (!this.escaped) {
            // Most of a dump is string data: skip plain characters in a tight loop.
            let j = i;
            for (let d = c; j < limit && d !== close && d !== 0x5c; d = text.charCodeAt(++j));
            if (j > i) {
              i = j;
              continue;
            }
          }
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c && this.state !== "backtick") this.escaped = true;
          else if (c === close) this.state = "code";
          i += 1;
          continue;
        }
        case "line-comment":
          if (c === 0x0a) this.state = "code";
          i += 1;
          continue;
        case "block-comment":
          if (c === 0x2a && text.charCodeAt(i + 1) === 0x2f) {
            this.state = "code";
            i += 2;
          } else i += 1;
          continue;
      }
      if (
        !this.atStatementStart &&
        !this.inDelimiterCommand &&
        !isSpecial(c) &&
        c !== this.delimiter.charCodeAt(0) &&
        !(this.renames && isIdentifierChar(c))
      ) {
        i += 1;
        continue;
      }
      if (this.inDelimiterCommand) {
        if (c === 0x0a) {
          this.inDelimiterCommand = false;
          this.atStatementStart = true;
        }
        i += 1;
        continue;
      }
      if (text.startsWith(this.delimiter, i)) {
        i += this.delimiter.length;
        emitUpTo(i);
        if (this.dropping) this.dropping = false;
        this.atStatementStart = true;
        this.inDatabaseStatement = false;
        continue;
      }
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        i += 1;
        continue;
      }
      const next = text.charCodeAt(i + 1);
      if (c === 0x23 || (c === 0x2d && next === 0x2d && isCommentDashEnd(text.charCodeAt(i + 2)))) {
        this.state = "line-comment";
        i += 1;
        continue;
      }
      if (c === 0x2f && next === 0x2a && !isVersionedOpen(text, i)) {
        this.state = "block-comment";
        i += 2;
        continue;
      }
      if (this.atStatementStart) {
        this.atStatementStart = false;
        DELIMITER_COMMAND.lastIndex = i;
        const delimiter = DELIMITER_COMMAND.exec(text);
        if (delimiter) {
          this.delimiter = delimiter[1];
          this.inDelimiterCommand = true;
          i = DELIMITER_COMMAND.lastIndex;
          continue;
        }
        DATABASE_STATEMENT.lastIndex = i;
        if (this.renames && DATABASE_STATEMENT.test(text)) this.inDatabaseStatement = true;
        DROPPED_STATEMENT.lastIndex = i;
        if (DROPPED_STATEMENT.test(text)) {
          emitUpTo(i);
          this.dropping = true;
          this.stats.droppedStatements += 1;
        }
      }
      if (c === 0x2f && next === 0x2a) {
        // A versioned comment: its body is code the server runs.
        this.versionedDepth += 1;
        i += text.charCodeAt(i + 2) === 0x4d ? 4 : 3;
        continue;
      }
      if (c === 0x2a && next === 0x2f && this.versionedDepth > 0) {
        this.versionedDepth -= 1;
        i += 2;
        continue;
      }
      const previous = i > 0 ? text.charCodeAt(i - 1) : this.lastChar;
      if (c === 0x60 && this.renames) {
        BACKTICK_IDENTIFIER.lastIndex = i;
        const match = BACKTICK_IDENTIFIER.exec(text);
        if (match && this.renameAt(text, i, BACKTICK_IDENTIFIER.lastIndex, match[1].replace(/``/g, "`"), emitUpTo, out)) {
          i = BACKTICK_IDENTIFIER.lastIndex;
          emitFrom = i;
          continue;
        }
      }
      if (c === 0x27) this.state = "single";
      else if (c === 0x22) this.state = "double";
      else if (c === 0x60) this.state = "backtick";
      else if ((c === 0x44 || c === 0x64) && !isIdentifierChar(previous)) {
        DEFINER.lastIndex = i;
        const match = DEFINER.exec(text);
        if (match) {
          emitUpTo(i);
          if (!this.dropping) out.push("DEFINER=CURRENT_USER");
          this.stats.definers += 1;
          i = DEFINER.lastIndex;
          emitFrom = i;
          continue;
        }
      }
      if (this.renames && isIdentifierChar(c) && !isIdentifierChar(previous)) {
        WORD.lastIndex = i;
        const word = WORD.exec(text) as RegExpExecArray;
        const end = WORD.lastIndex;
        if (this.renameAt(text, i, end, word[0], emitUpTo, out)) emitFrom = end;
        i = end;
        continue;
      }
      i += 1;
    }
    const end = Math.min(i, text.length);
    emitUpTo(end);
    if (end > 0) this.lastChar = text.charCodeAt(end - 1);
    this.pending = text.slice(end);
    return out.join("");
  }

  /** Replaces the identifier at [start, end) when it names a renamed database; true if it did. */
  private renameAt(text: string, start: number, end: number, name: string, emitUpTo: (end: number) => void, out: string[]): boolean {
    const renamed = this.renames?.get(name);
    if (renamed === undefined || previousNonSpace(text, start) === 0x2e) return false;
    DOT_FOLLOWS.lastIndex = end;
    if (!this.inDatabaseStatement && !DOT_FOLLOWS.test(text)) return false;
    emitUpTo(start);
    // A bare name stays bare when it can, so a rename and its reverse give back the same text.
    const bare = text.charCodeAt(start) !== 0x60 && /^[\w$]*[A-Za-z_$][\w$]*$/.test(renamed);
    if (!this.dropping) out.push(bare ? renamed : `\`${renamed.replace(/`/g, "``")}\``);
    return true;
  }
}

function previousNonSpace(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return 0x0a;
}

/** Characters that can start a quote, comment, versioned comment end or `DEFINER` in code. */
function isSpecial(c: number): boolean {
  return c === 0x27 || c === 0x22 || c === 0x60 || c === 0x23 || c === 0x2d || c === 0x2f || c === 0x2a || c === 0x44 || c === 0x64;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c >= 0x80;
}

/** `--` starts a comment only when followed by whitespace or a control character (or the end). */
function isCommentDashEnd(c: number): boolean {
  return Number.isNaN(c) || c <= 0x20;
}

function isVersionedOpen(text: string, i: number): boolean {
  const third = text.charCodeAt(i + 2);
  return third === 0x21 || (third === 0x4d && text.charCodeAt(i + 3) === 0x21);
}
