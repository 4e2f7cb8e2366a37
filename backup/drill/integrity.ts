import type { Connection } from "mysql2/promise";
import { DRILL_DATABASE, WriteRecord, operationFor } from "./workload";

/** What the restored database says about the writes. */
export interface IntegrityReport {
  /** Highest write number present on the target (all of 1..recoveredSeq must be present). */
  recoveredSeq: number;
  acknowledgedWrites: number;
  /** Acknowledged by the primary but absent after the restore. */
  lostWrites: number;
  /** Every recovered row equals what the acknowledged writes produced, and nothing else is there. */
  integrityOk: boolean;
  problems: string[];
}

/** The items table after writes 1..k, as the workload defines them. */
export function expectedItems(k: number): Map<number, { value: string; version: number }> {
  const items = new Map<number, { value: string; version: number }>();
  for (let seq = 1; seq <= k; seq++) {
    const op = operationFor(seq);
    if (op.kind === "insert") items.set(op.id, { value: op.value, version: 0 });
    else if (op.kind === "update") {
      const row = items.get(op.id);
      if (row) items.set(op.id, { value: op.value, version: row.version + 1 });
    } else items.delete(op.id);
  }
  return items;
}

/**
 * Compares the restored drill tables with the write log: the ledger must be exactly 1..k, k no
 * higher than the last write ever sent, and the items table exactly the state after writes 1..k.
 */
export async function checkIntegrity(target: Connection, writes: WriteRecord[], seedDigest: string, restoredSeedDigest: string): Promise<IntegrityReport> {
  const problems: string[] = [];
  const [ledgerRows] = await target.query(`SELECT seq FROM ${DRILL_DATABASE}.ledger ORDER BY seq`);
  const ledger = (ledgerRows as Array<{ seq: number }>).map((row) => Number(row.seq));
  const recoveredSeq = ledger.length === 0 ? 0 : ledger[ledger.length - 1];
  if (ledger.some((seq, index) => seq !== index + 1)) problems.push(`ledger is not contiguous from 1 (${ledger.length} rows, highest ${recoveredSeq})`);
  const lastSent = writes.length === 0 ? 0 : writes[writes.length - 1].seq;
  if (recoveredSeq > lastSent) problems.push(`write ${recoveredSeq} is present but only ${lastSent} were ever sent`);
  const [itemRows] = await target.query(`SELECT id, value, version FROM ${DRILL_DATABASE}.items ORDER BY id`);
  const actual = itemRows as Array<{ id: number; value: string; version: number }>;
  const expected = expectedItems(recoveredSeq);
  if (actual.length !== expected.size) problems.push(`items has ${actual.length} rows, expected ${expected.size} after write ${recoveredSeq}`);
  const wrong = actual.filter((row) => {
    const want = expected.get(row.id);
    return !want || want.value !== row.value || want.version !== row.version;
  });
  if (wrong.length > 0) problems.push(`${wrong.length} item row(s) differ from the acknowledged writes, e.g. id ${wrong[0].id}`);
  if (seedDigest !== restoredSeedDigest) problems.push("the seed table differs from the primary's");
  const acknowledged = writes.filter((write) => write.ackAt !== undefined);
  return {
    recoveredSeq,
    acknowledgedWrites: acknowledged.length,
    lostWrites: acknowledged.filter((write) => write.seq > recoveredSeq).length,
    integrityOk: problems.length === 0,
    problems,
  };
}
