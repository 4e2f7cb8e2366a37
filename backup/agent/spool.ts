import { promises as fs } from "node:fs";
import { join } from "node:path";
import { compareBinlogNames, isBinlogName, nextBinlogName } from "../lib/binlog-names";

/** One local copy of a binlog file, written by one run of the binlog reader. */
export interface SpoolCopy {
  run: number;
  path: string;
  size: number;
}

/** A run directory and the binlog files in it. */
export interface SpoolRun {
  run: number;
  dir: string;
  files: Map<string, number>;
}

const RUN_DIR = /^run-(\d{6})$/;

/**
 * The local landing area for the binlog reader. Every restart of the reader writes into a new
 * run directory, so a restarted reader rewriting the current file from its start never
 * truncates bytes the shipper may still need; copies of one file in different runs are prefixes
 * of the same server file.
 */
export class Spool {
  constructor(readonly dir: string) {}

  runDir(run: number): string {
    return join(this.dir, `run-${String(run).padStart(6, "0")}`);
  }

  async ensure(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Every run directory with its binlog files and their sizes, oldest run first. */
  async runs(): Promise<SpoolRun[]> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    const runs: SpoolRun[] = [];
    for (const entry of entries) {
      const match = RUN_DIR.exec(entry);
      if (!match) continue;
      const dir = join(this.dir, entry);
      const files = new Map<string, number>();
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
        if (!isBinlogName(name)) continue;
        const stat = await fs.stat(join(dir, name)).catch(() => undefined);
        if (stat) files.set(name, stat.size);
      }
      runs.push({ run: Number(match[1]), dir, files });
    }
    return runs.sort((a, b) => a.run - b.run);
  }

  /** All local copies of `file`, largest first (newest run first among equals). */
  static copiesOf(runs: SpoolRun[], file: string): SpoolCopy[] {
    return runs
      .filter((run) => run.files.has(file))
      .map((run) => ({ run: run.run, path: join(run.dir, file), size: run.files.get(file) ?? 0 }))
      .sort((a, b) => b.size - a.size || b.run - a.run);
  }

  /**
   * The final size of `file` if the server has closed it: a run that holds the next file holds
   * this one complete, because the reader only opens the next file after the rotate event.
   */
  static completeSize(runs: SpoolRun[], file: string): number | undefined {
    const next = nextBinlogName(file);
    const run = runs.find((candidate) => candidate.files.has(next) && candidate.files.has(file));
    return run?.files.get(file);
  }

  /** The newest binlog file present in any run (the one the reader should resume from). */
  static newestFile(runs: SpoolRun[]): string | undefined {
    const names = runs.flatMap((run) => [...run.files.keys()]);
    return names.sort(compareBinlogNames).at(-1);
  }

  /** Deletes copies of files the shipper has sealed, and run directories left empty (except `keepRun`). */
  async prune(sealedBefore: string, keepRun: number | undefined): Promise<void> {
    for (const run of await this.runs()) {
      for (const name of run.files.keys()) {
        if (compareBinlogNames(name, sealedBefore) < 0) await fs.rm(join(run.dir, name), { force: true });
      }
      const left = await fs.readdir(run.dir).catch(() => [] as string[]);
      if (run.run !== keepRun && left.filter(isBinlogName).length === 0) await fs.rm(run.dir, { recursive: true, force: true });
    }
  }
}
