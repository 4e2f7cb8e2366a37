#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { BackupAgent } from "./agent/agent";
import { AGENT_VERSION } from "./agent/version";
import { loadAgentConfig } from "./config/agent-config";
import { ConfigError } from "./config/config-error";
import { loadEnvWithFile } from "./config/env-file";
import { loadRestoreConfig } from "./config/restore-config";
import { createLogger } from "./lib/log";
import { Progress } from "./lib/progress";
import { redact } from "./lib/secrets";
import { RestoreResult, runRestore } from "./restore/restore";
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
  .action((options: { config?: string; json?: boolean }) => {
    const values = loadEnvWithFile(process.env, options.config);
    const path = join(values.DR_STATE_DIR ?? "/var/lib/mysql-dr", "status.json");
    const status = JSON.parse(readFileSync(path, "utf8")) as import("./agent/status").AgentStatus;
    if (options.json) {
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return;
    }
    const age = (Date.now() - Date.parse(status.updatedAt)) / 1000;
    process.stdout.write(
      [
        `agent pid ${status.pid}, status ${age.toFixed(0)} s old${age > 10 ? " (STALE: is the agent running?)" : ""}`,
        `lag:       ${status.lag.lagSeconds} s (caught up at ${status.lag.caughtUpAt ?? "never"})`,
        `source:    ${status.lag.sourceReachable ? "reachable" : `UNREACHABLE ${status.lag.lastError ?? ""}`}`,
        `reader:    ${status.streamer.running ? "running" : "stopped"}, ${status.streamer.restarts} restart(s)${status.streamer.lastError ? `, last error: ${status.streamer.lastError}` : ""}`,
        `shipping:  ${status.shipping.file} @ ${status.shipping.shippedBytes}, ${status.shipping.localUnshippedBytes} bytes waiting, Azure ${status.shipping.azureReachable ? "reachable" : `UNREACHABLE ${status.shipping.lastError ?? ""}`}`,
        `full:      last ${status.fullBackup.last?.backupId ?? "none"} at ${status.fullBackup.last?.finishedAt ?? "-"}${status.fullBackup.inProgress ? " (one in progress)" : ""}`,
      ].join("\n") + "\n",
    );
  });

program
  .command("restore")
  .description("rebuild a database from the newest good full backup plus the shipped binlogs")
  .option("-c, --config <file>", "env-format config file (environment variables override it)")
  .option("--until <time>", "point in time (ISO 8601, UTC if no zone): replay only events before it")
  .option("--backup <id>", "start from this backup instead of the newest")
  .option("--replace", "drop the backup's databases on the target if they exist (otherwise the restore refuses)")
  .option("--verify-only", "download and verify the backup and binlogs without touching any database")
  .option("--json", "print the result as JSON on stdout")
  .action(async (options: { config?: string; until?: string; backup?: string; replace?: boolean; verifyOnly?: boolean; json?: boolean }) => {
    // Options first: a bad value is refused with its own message before any config or work.
    const until = options.until === undefined ? undefined : parseUntil(options.until);
    const config = loadRestoreConfig(loadEnvWithFile(process.env, options.config), join(tmpdir(), `mysql-dr-restore-${process.pid}`));
    const log = createLogger(config.logFormat);
    const progress = new Progress(!options.json && Boolean(process.stderr.isTTY));
    let result: RestoreResult;
    try {
      result = await runRestore(
        config,
        { until, backupId: options.backup, replace: Boolean(options.replace), verifyOnly: Boolean(options.verifyOnly), progress },
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
