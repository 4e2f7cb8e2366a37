/**
 * Names of everything the agent writes, relative to the configured prefix:
 *
 *   full/<backupId>/dump.sql.gz         block blob, the compressed logical dump
 *   full/<backupId>/manifest.json       written last; a backup without it is incomplete
 *   full/<backupId>/schema.sql.<ext>    format 2 (chunked): schema, data chunks, post-data objects
 *   full/<backupId>/data/<n>.sql.<ext>    (see chunked-manifest.ts)
 *   full/<backupId>/post.sql.<ext>
 *   binlog/<epoch>/epoch.json           where a binlog chain starts
 *   binlog/<epoch>/<file>/seg-000001    append blobs holding the file's bytes in order
 *   binlog/<epoch>/<file>/seal.json     size and sha256 once the server closed the file
 *   agent.lease                         empty, created once; its blob lease marks the one writer
 *   agent/holders/<id>.json             who took the lease and when, one create-once blob per take
 *
 * An epoch is one unbroken binlog chain; the agent starts a new one (with a new full backup)
 * whenever it cannot prove continuity, e.g. after losing its state.
 */
export class BlobLayout {
  constructor(readonly prefix: string) {}

  fullDump(backupId: string): string {
    return `${this.prefix}full/${backupId}/dump.sql.gz`;
  }

  fullManifest(backupId: string): string {
    return `${this.prefix}full/${backupId}/manifest.json`;
  }

  /** Format 2: the schema blob (tables and views, before data). */
  chunkedSchema(backupId: string, extension: string): string {
    return `${this.prefix}full/${backupId}/schema.sql.${extension}`;
  }

  /** Format 2: triggers, routines and events (after data). */
  chunkedPost(backupId: string, extension: string): string {
    return `${this.prefix}full/${backupId}/post.sql.${extension}`;
  }

  /** Format 2: data chunk `n` (numbered across the whole backup, from 1). */
  chunkedData(backupId: string, n: number, extension: string): string {
    return `${this.prefix}full/${backupId}/data/${String(n).padStart(6, "0")}.sql.${extension}`;
  }

  fullRoot(): string {
    return `${this.prefix}full/`;
  }

  binlogRoot(): string {
    return `${this.prefix}binlog/`;
  }

  epochRoot(epoch: string): string {
    return `${this.binlogRoot()}${epoch}/`;
  }

  epochInfo(epoch: string): string {
    return `${this.epochRoot(epoch)}epoch.json`;
  }

  binlogSegment(epoch: string, file: string, segment: number): string {
    return `${this.epochRoot(epoch)}${file}/seg-${String(segment).padStart(6, "0")}`;
  }

  binlogSeal(epoch: string, file: string): string {
    return `${this.epochRoot(epoch)}${file}/seal.json`;
  }

  writerLease(): string {
    return `${this.prefix}agent.lease`;
  }

  writerHolderRoot(): string {
    return `${this.prefix}agent/holders/`;
  }

  writerHolder(id: string): string {
    return `${this.writerHolderRoot()}${id}.json`;
  }

  /** Splits a name under `full/` into backup id and leaf, or undefined. */
  parseFull(name: string): { backupId: string; leaf: string } | undefined {
    const match = new RegExp(`^${escapeRegExp(this.prefix)}full/([^/]+)/([^/]+)$`).exec(name);
    return match ? { backupId: match[1], leaf: match[2] } : undefined;
  }

  /** Splits a name under `binlog/<epoch>/` into file and leaf (segment number or seal), or undefined. */
  parseBinlog(epoch: string, name: string): { file: string; segment?: number; seal?: true } | undefined {
    const match = new RegExp(`^${escapeRegExp(this.epochRoot(epoch))}([^/]+)/(seg-(\\d+)|seal\\.json)$`).exec(name);
    if (!match) return undefined;
    return match[3] ? { file: match[1], segment: Number(match[3]) } : { file: match[1], seal: true };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A sortable, unique id: UTC time to the second plus a random suffix. */
export function timeOrderedId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${Math.random().toString(16).slice(2, 8).padEnd(6, "0")}`;
}
