import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { useBundledCli } from "../harness/bundled-cli";
import { DrStack, startDrStack } from "../harness/stack";
import { ensureDebianPackages } from "../../lib/debianPackages";
import { DEFAULT_CHUNK_ROWS, DEFAULT_DUMP_SESSIONS } from "../dump/chunked-backup";
import { generate } from "./database";
import { BenchJson, RunFigures } from "./figures";
import { spread } from "./metrics";
import { BENCH_PACKAGES } from "./packages";
import { renderEgress, renderRun, renderSummary } from "./render";
import { benchRun, createContainers } from "./run";

/** Sessions on every side when --threads is not given: the agent's DR_DUMP_SESSIONS default (also given to the restore as DR_RESTORE_SESSIONS). */
const DEFAULT_THREADS = DEFAULT_DUMP_SESSIONS;

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function share(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`must be a number >= 0, got ${JSON.stringify(text)}`);
  return value;
}

const program = new Command()
  .name("bench:backup")
  .description("time the seed's pipeline, mydumper/myloader, the single-stream ingest and the agent with its restore tool on the same database, side by side")
  .option("--rows <n>", "rows in the generated table (about 160 bytes of SQL each)", positiveInteger, 2_000_000)
  .option("--repeat <n>", "runs of every contender on the same database; every run is reported, then the spread", positiveInteger, 1)
  .option("--threads <n>", "sessions for mydumper/myloader and the agent's dump and restore (DR_DUMP_SESSIONS, DR_RESTORE_SESSIONS)", positiveInteger, DEFAULT_THREADS)
  .option("--chunk-rows <n>", "rows per chunk for mydumper -r and the agent (DR_DUMP_CHUNK_ROWS)", positiveInteger, DEFAULT_CHUNK_ROWS)
  .option("--binlog-share <x>", "the agent's DR_FULL_BACKUP_BINLOG_SHARE; 0 (default) keeps the whole day of binlogs on the first full backup, the case measured", share, 0)
  .option("--model-db-gb <n>", "database size for the bytes-per-day model", "1")
  .option("--change-per-hour <fraction>", "share of rows changed per hour for the model", "0.01")
  .option("--json <file>", "write the figures as JSON (the first run's at the top, every run under runs, min/max under spread)")
  .option("--plaintext", "run everything without TLS (servers accept plaintext) to measure what TLS costs; default: verified TLS, required by the servers")
  .parse();

interface Options {
  rows: number;
  repeat: number;
  threads: number;
  chunkRows: number;
  binlogShare: number;
  modelDbGb: string;
  changePerHour: string;
  json?: string;
  plaintext?: boolean;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  // Before any work: a missing az or mydumper would otherwise stop the run minutes in, after the data is generated.
  ensureDebianPackages(BENCH_PACKAGES, "bench:backup");
  // Time the bundled artifact that ships: ts-node's start-up is not part of a restore.
  useBundledCli();
  const options = program.opts<Options>();
  const work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-bench-"));
  let stack: DrStack | undefined;
  try {
    log("starting Azurite, source and target MariaDB");
    stack = await startDrStack(work, { extraArgs: ["--innodb-buffer-pool-size=1G"], plaintext: options.plaintext === true });
    log(options.plaintext ? "transport: PLAINTEXT (TLS cost comparison)" : "transport: verified TLS (VERIFY_IDENTITY), require_secure_transport=ON");
    await createContainers(stack);
    log(`generating ${options.rows} rows`);
    await generate(stack.primary, options.rows);
    const runs: RunFigures[] = [];
    for (let run = 1; run <= options.repeat; run++) {
      const figures = await benchRun(work, stack, run, {
        rows: options.rows,
        plaintext: options.plaintext === true,
        threads: options.threads,
        chunkRows: options.chunkRows,
        binlogShare: options.binlogShare,
        modelDbGb: Number(options.modelDbGb),
        changePerHour: Number(options.changePerHour),
        log,
      });
      runs.push(figures);
      process.stdout.write(`${renderRun(figures, run, options.binlogShare)}\n`);
    }
    if (runs.length > 1) process.stdout.write(`${renderSummary(runs)}\n`);
    process.stdout.write(renderEgress(runs[0]));
    if (options.json) {
      const json: BenchJson = { ...runs[0], runs, spread: spread(runs) };
      await fs.writeFile(resolve(options.json), `${JSON.stringify(json, null, 2)}\n`);
    }
  } finally {
    await Promise.all([stack?.azurite.destroy(), stack?.primary.destroy(), stack?.target.destroy()]);
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exitCode = 1;
});
