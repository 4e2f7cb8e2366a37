import { promises as fs } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Command } from "commander";
import { useBundledCli } from "../harness/bundled-cli";
import { renderDrillChart } from "./chart";
import { renderDrillReport, summarise } from "./report";
import { DrillResult, runDrill } from "./run-drill";

const program = new Command()
  .name("drill")
  .description("hermetic DR drill: kill the primary mid-workload, restore from Azurite alone, check every acknowledged write")
  .option("--json <file>", "write the result as JSON to this file")
  .option("--report <file>", "Markdown report (an SVG chart per run is written beside it)", ".drill/drill-report.md")
  .option("--seconds <n>", "workload duration; the primary dies at a random moment in its second half", "20")
  .option("--rate <n>", "writes per second", "200")
  .option("--seed-rows <n>", "rows preloaded before the first full backup", "200000")
  .option("--full-every <duration>", "agent full-backup interval during the drill", "8s")
  .option("--runs <n>", "number of drills to run back to back", "1")
  .option("--kill-agent", "kill the agent together with the primary (whole-region loss)")
  .parse();

async function main(): Promise<void> {
  useBundledCli();
  const options = program.opts<{ json?: string; report: string; seconds: string; rate: string; seedRows: string; fullEvery: string; runs: string; killAgent?: boolean }>();
  const seconds = Number(options.seconds);
  const rate = Number(options.rate);
  const runs = Number(options.runs);
  const seedRows = Number(options.seedRows);
  if (!(seconds >= 2) || !(rate > 0) || !(runs >= 1) || !(seedRows >= 0)) throw new Error("--seconds >= 2, --rate > 0, --runs >= 1 and --seed-rows >= 0 are required");
  const startedAt = new Date();
  const results: DrillResult[] = [];
  for (let run = 1; run <= runs; run++) {
    const result = await runDrill({
      seconds,
      rate,
      seedRows,
      fullBackupInterval: options.fullEvery,
      killAgent: Boolean(options.killAgent),
      progress: (message) => process.stderr.write(`[drill ${run}/${runs}] ${message}\n`),
    });
    results.push(result);
    process.stderr.write(
      `[drill ${run}/${runs}] acknowledged ${result.acknowledgedWrites}, lost ${result.lostWrites}, RPO ${result.rpoSeconds.toFixed(3)} s, restore ${result.restoreSeconds.toFixed(2)} s, integrity ${result.integrityOk ? "ok" : "FAILED"}\n`,
    );
  }
  const reportPath = resolve(options.report);
  await fs.mkdir(dirname(reportPath), { recursive: true });
  const charts: string[] = [];
  for (const [index, result] of results.entries()) {
    const chart = `${basename(reportPath, ".md")}-run${index + 1}.svg`;
    await fs.writeFile(join(dirname(reportPath), chart), renderDrillChart(result));
    charts.push(chart);
  }
  await fs.writeFile(reportPath, renderDrillReport(results, charts, startedAt));
  const summary = summarise(results);
  const worst = results.reduce((a, b) => (b.rpoSeconds > a.rpoSeconds ? b : a));
  const output = {
    integrityOk: summary.allIntegrityOk,
    acknowledgedWrites: summary.minAcknowledgedWrites,
    lostWrites: summary.totalLostWrites,
    rpoSeconds: summary.maxRpoSeconds,
    restoreSeconds: summary.medianRestoreSeconds,
    phases: worst.phases,
    summary,
    runs: results.map(({ timeline: _timeline, ...rest }) => rest),
    report: reportPath,
  };
  if (options.json) await fs.writeFile(resolve(options.json), `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(
    `integrityOk=${output.integrityOk} acknowledgedWrites=${output.acknowledgedWrites} lostWrites=${output.lostWrites} rpoSeconds=${output.rpoSeconds} restoreSeconds=${output.restoreSeconds}\nreport: ${reportPath}\n`,
  );
  if (!summary.allIntegrityOk) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`drill failed: ${error.message}\n`);
  process.exitCode = 1;
});
