/** A binlog file name such as `mysql-bin.000042`, split into its base and sequence number. */
export interface BinlogName {
  base: string;
  index: number;
  /** Width of the zero-padded number, kept so the next name is spelled the way the server spells it. */
  width: number;
}

const BINLOG_NAME = /^(.+)\.(\d{6,})$/;

/** Parses a binlog file name; throws when it does not end in a dot and at least six digits. */
export function parseBinlogName(name: string): BinlogName {
  const match = BINLOG_NAME.exec(name);
  if (!match || name.includes("/")) {
    throw new Error(`not a binlog file name: ${JSON.stringify(name)} (expected <base>.<6+ digits>)`);
  }
  return { base: match[1], index: Number(match[2]), width: match[2].length };
}

/** True when the name looks like a binlog file name. */
export function isBinlogName(name: string): boolean {
  return BINLOG_NAME.test(name) && !name.includes("/");
}

/** Orders binlog names by sequence number (then base name, so the order is total). */
export function compareBinlogNames(a: string, b: string): number {
  const pa = parseBinlogName(a);
  const pb = parseBinlogName(b);
  if (pa.base !== pb.base) return pa.base < pb.base ? -1 : 1;
  return pa.index - pb.index;
}

/** The name of the file the server writes after `name`. */
export function nextBinlogName(name: string): string {
  const parsed = parseBinlogName(name);
  return `${parsed.base}.${String(parsed.index + 1).padStart(parsed.width, "0")}`;
}

/** Compares two binlog coordinates (file, then byte offset). */
export function compareCoordinates(a: { file: string; position: number }, b: { file: string; position: number }): number {
  const byFile = compareBinlogNames(a.file, b.file);
  return byFile !== 0 ? byFile : a.position - b.position;
}
