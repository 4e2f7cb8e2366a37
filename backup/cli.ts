#!/usr/bin/env node
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { BackupAgent } from "./agent/agent";
import { DEFAULT_STATE_DIR, statusReport } from "./agent/status-report";
import { AGENT_VERSION } from "./agent/version";
import { loadAgentConfig } from "./config/agent-config";
import { ConfigError } from "./config/config-error";
import { loadEnvWithFile } from "./config/env-file";
import { loadRestoreConfig } from "./config/restore-config";
import { createLogger } from "./lib/log";
import { Progress } from "./lib/progress";
import { redact } from "./lib/secrets";
import { DUMP_ONLY_WITH_UNTIL, RestoreResult, runRestore } from "./restore/restore";
import { parseUntil, renderRestoreReport } from "./restore/report";
import { TargetNotEmptyError } from "./restore/target";

/** Exit code when the restore refused to touch a non-empty target. */
const EXIT_REFUSED = 2;

const program = new Command()
  .name("mysql-dr")
  .description("Continuous MySQL/MariaDB backup to Azure Blob and verified restore")
  .version(AGENT_VERSION);

program
  .command("agent")
  .description("run the backup agent: stream binlogs to append blobs, take scheduled full backups, report lag")
  .option("-c, --config <file>", "env-format config file (environment variables override it)")
  .action(async (options: { config?: string }) => {
    const config = loadAgentConfig(loadEnvWithFile(process.env, options.config));
    const log = createLogger(config.logFormat);
    const agent = new BackupAgent(config, log);
    const stop = new AbortController();
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop.abort());
    process.on("SIGUSR1", () => agent.requestFullBackup());
    await agent.run(stop.signal);
    // Everything is shipped and saved; a connection attempt still waiting on a dead server must not keep the process alive.
    process.exit(0);
  });

program
  .command("status")
  .description("print the running agent's status (lag, shipping position, last full backup)")
  .option("-c, --config <file>", "env-format config file")
  .option("--json", "print the raw JSON status")
  .action(async (options: { config?: string; json?: boolean }) => {
    const values = loadEnvWithFile(process.env, options.config);
    const report = await statusReport(values.DR_STATE_DIR || DEFAULT_STATE_DIR, { json: options.json });
    (report.rendered ? process.stdout : process.stderr).write(redact(report.text.endsWith("\n") ? report.text : `${report.text}\n`));
    process.exitCode = report.exitCode;
  });

program
  .command("restore")
  .description("rebuild a database from the newest good full backup plus the shipped binlogs")
  .option("-c, --config <file>", "env-format config file (environment variables override it)")
  .option("--until <time>", "point in time (ISO 8601, UTC if no zone): replay only events before it")
  .option("--backup <id>", "start from this backup instead of the newest")
  .option("--replace", "drop the backup's databases on the target if they exist (otherwise the restore refuses)")
  .option("--verify-only", "download and verify the backup and binlogs without touching any database")
  .option("--dump-only", "restore the full backup alone, to its snapshot, replaying no binlog (when the binlog chain is missing or broken)")
  .option("--json", "print the result as JSON on stdout")
  .action(async (options: { config?: string; until?: string; backup?: string; replace?: boolean; verifyOnly?: boolean; dumpOnly?: boolean; json?: boolean }) => {
    let until: Date | undefined;
    let config: ReturnType<typeof loadRestoreConfig>;
    try {
      // Options first: a bad value is refused with its own message before any config or work.
      until = options.until === undefined ? undefined : parseUntil(options.until);
      if (options.dumpOnly && until) {
        throw new Error(DUMP_ONLY_WITH_UNTIL);
      }
      config = loadRestoreConfig(loadEnvWithFile(process.env, options.config), join(tmpdir(), `mysql-dr-restore-${process.pid}`));
    } catch (error) {
      // --json callers read stdout: they get the refusal there too (stderr keeps the text).
      if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, error: redact((error as Error).message) }, null, 2)}\n`);
      throw error;
    }
    const log = createLogger(config.logFormat);
    const progress = new Progress(!options.json && Boolean(process.stderr.isTTY));
    let result: RestoreResult;
    try {
      result = await runRestore(
        config,
        { until, backupId: options.backup, replace: Boolean(options.replace), verifyOnly: Boolean(options.verifyOnly), dumpOnly: Boolean(options.dumpOnly), progress },
        log,
      );
    } catch (error) {
      progress.done();
      result = (error as { result?: RestoreResult }).result ?? ({ ok: false, error: (error as Error).message } as RestoreResult);
      process.exitCode = error instanceof TargetNotEmptyError ? EXIT_REFUSED : 1;
    }
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : redact(renderRestoreReport(result)));
  });

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`${redact(error instanceof ConfigError ? error.message : `error: ${error.message}`)}\n`);
  process.exitCode = 1;
});
