/** Inputs for the bytes-shipped-per-day comparison. */
export interface EgressInputs {
  /** Logical database size: bytes of the uncompressed dump. */
  databaseBytes: number;
  /** Compressed dump bytes per uncompressed dump byte (measured). */
  compressionRatio: number;
  /** Fraction of the rows changed per hour, e.g. 0.01. */
  changePerHour: number;
  /** Binlog bytes written per byte of changed rows (measured: ROW images carry before and after). */
  binlogBytesPerChangedByte: number;
  /** Full dumps per day under the seed's design (every 5 minutes). */
  seedDumpsPerDay: number;
  /** Full dumps per day under the agent's design. */
  agentDumpsPerDay: number;
}

/** Bytes leaving the region per day under both designs. */
export interface EgressModel {
  seedBytesPerDay: number;
  agentFullBytesPerDay: number;
  agentBinlogBytesPerDay: number;
  agentBytesPerDay: number;
  ratio: number;
}

/** The seed ships N compressed full dumps a day; the agent ships fewer dumps plus the binlog of the changes. */
export function egressPerDay(inputs: EgressInputs): EgressModel {
  const dumpBytes = inputs.databaseBytes * inputs.compressionRatio;
  const seedBytesPerDay = inputs.seedDumpsPerDay * dumpBytes;
  const agentFullBytesPerDay = inputs.agentDumpsPerDay * dumpBytes;
  const agentBinlogBytesPerDay = inputs.databaseBytes * inputs.changePerHour * 24 * inputs.binlogBytesPerChangedByte;
  const agentBytesPerDay = agentFullBytesPerDay + agentBinlogBytesPerDay;
  return { seedBytesPerDay, agentFullBytesPerDay, agentBinlogBytesPerDay, agentBytesPerDay, ratio: seedBytesPerDay / agentBytesPerDay };
}
