import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { AzuriteInstance } from "../harness/azurite-instance";
import { useBundledCli } from "../harness/bundled-cli";
import { AgentProcess, agentEnvironment, readAgentStatus, restoreEnvironment, runRestoreCli, waitFor } from "../harness/cli-process";
import { MariaDbInstance } from "../harness/mariadb-instance";
import { startDrStack } from "../harness/stack";
import { connect, currentBinlogPosition } from "../lib/mysql-connection";
import { toolTlsArgs } from "../lib/mysql-tools";
import { formatBytes } from "../lib/progress";
import { ensureDebianPackages } from "../../lib/debianPackages";
import { egressPerDay } from "./egress-model";
import { BENCH_PACKAGES } from "./packages";
import { shellQuote, timedShell } from "./shell";

const program = new Command()
  .name("bench:backup")
  .description("time the seed's dump|gzip + az CLI pipeline against the agent and restore tool on the same database")
  .option("--rows <n>", "rows in the generated table (about 230 bytes of SQL each)", "2000000")
  .option("--model-db-gb <n>", "database size for the bytes-per-day model", "1")
  .option("--change-per-hour <fraction>", "share of rows changed per hour for the model", "0.01")
  .option("--json <file>", "write the figures as JSON")
  .option("--plaintext", "run everything without TLS (servers accept plaintext) to measure what TLS costs; default: verified TLS, required by the servers")
  .parse();

interface Figures {
  /** Every MySQL connection's transport during the run. */
  transport: "verified TLS" | "plaintext";
  rows: number;
  sqlBytes: number;
  seed: { dumpSeconds: number; uploadSeconds: number; backupSeconds: number; downloadSeconds: number; loadSeconds: number; restoreSeconds: number; compressedBytes: number };
  agent: { backupSeconds: number; restoreSeconds: number; restorePhases: Array<{ name: string; seconds: number }>; compressedBytes: number };
  ingestSeconds: number;
  binlogBytesPerChangedByte: number;
  egress: ReturnType<typeof egressPerDay> & { databaseBytes: number; changePerHour: number; seedCostPerMonthUsd: number; agentCostPerMonthUsd: number };
}

const EGRESS_USD_PER_GB = 0.126; // AWS Seoul internet egress, list price (BRIEF.md)
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  // Before any work: a missing az would otherwise stop the run minutes in, after the data is generated.
  ensureDebianPackages(BENCH_PACKAGES, "bench:backup");
  // Time the bundled artifact that ships: ts-node's start-up is not part of a restore.
  useBundledCli();
  const options = program.opts<{ rows: string; modelDbGb: string; changePerHour: string; json?: string; plaintext?: boolean }>();
  const rows = Number(options.rows);
  const work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-bench-"));
  let azurite: AzuriteInstance | undefined;
  let source: MariaDbInstance | undefined;
  let target: MariaDbInstance | undefined;
  try {
    log("starting Azurite, source and target MariaDB");
    ({ azurite, primary: source, target } = await startDrStack(work, { extraArgs: ["--innodb-buffer-pool-size=1G"], plaintext: options.plaintext === true }));
    log(options.plaintext ? "transport: PLAINTEXT (TLS cost comparison)" : "transport: verified TLS (VERIFY_IDENTITY), require_secure_transport=ON");
    const az = azurite;
    const src = source;
    const dst = target;
    log(`generating ${rows} rows`);
    await withRoot(src, async (c) => {
      await c.query("CREATE DATABASE bench");
      await c.query("USE bench");
      await c.query(
        "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, status VARCHAR(16) NOT NULL, amount DECIMAL(12,2) NOT NULL, sku CHAR(12) NOT NULL, note VARCHAR(160), created_at DATETIME NOT NULL, KEY (customer_id))",
      );
      await c.query(
        `INSERT INTO orders SELECT seq, seq % 50000, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'), (seq * 7919 % 100000) / 100, UPPER(LEFT(MD5(seq), 12)), CONCAT('customer note ', seq % 977, ' ', SHA1(seq % 5000), ' ', MD5(seq)), '2024-01-01' + INTERVAL (seq % 31536000) SECOND FROM seq_1_to_${rows}`,
      );
    });
    const tls = (instance: MariaDbInstance) => toolTlsArgs(instance.rootEndpoint, "mariadb").map(shellQuote).join(" ");
    const client = (instance: MariaDbInstance) => `mariadb --no-defaults --protocol=TCP -h${instance.rootEndpoint.host} -P${instance.port} -uroot ${tls(instance)}`;
    const dump = `mariadb-dump --no-defaults --protocol=TCP -h${src.rootEndpoint.host} -P${src.port} -uroot ${tls(src)} --single-transaction --master-data=2 --databases bench`;
    const azEnv = { ...process.env, AZURE_CONFIG_DIR: join(work, "az"), AZURE_CORE_COLLECT_TELEMETRY: "false", AZURE_STORAGE_CONNECTION_STRING: az.connectionString };
    await az.adminClient().getContainerClient("seed").createIfNotExists();
    await az.adminClient().getContainerClient("mysql-backups").createIfNotExists();

    log("seed pipeline: mysqldump | gzip > file; az storage blob upload");
    const seedFile = join(work, "backup_seed.sql.gz");
    const dumpSeconds = await timedShell(`${dump} | gzip > ${shellQuote(seedFile)}`);
    const uploadSeconds = await timedShell(`az storage blob upload -c seed -f ${shellQuote(seedFile)} -n backup_seed.sql.gz --overwrite -o none --only-show-errors`, azEnv);
    const seedCompressed = (await fs.stat(seedFile)).size;
    log("seed pipeline restore: az storage blob download; gunzip | mysql");
    const downloaded = join(work, "download.sql.gz");
    const downloadSeconds = await timedShell(`az storage blob download -c seed -n backup_seed.sql.gz -f ${shellQuote(downloaded)} -o none --only-show-errors`, azEnv);
    const loadSeconds = await timedShell(`gunzip -c ${shellQuote(downloaded)} | ${client(dst)}`);
    await dropBench(dst);

    log("ingest limit: mysql < uncompressed dump from local disk");
    const plain = join(work, "plain.sql");
    await timedShell(`gunzip -c ${shellQuote(seedFile)} > ${shellQuote(plain)}`);
    const sqlBytes = (await fs.stat(plain)).size;
    const ingestSeconds = await timedShell(`${client(dst)} < ${shellQuote(plain)}`);
    await dropBench(dst);
    await fs.rm(plain);
    await fs.rm(downloaded);

    log("agent: streamed full backup");
    const stateDir = join(work, "agent");
    const agent = AgentProcess.start(agentEnvironment(src.agentEndpoint, az.sasFor("mysql-backups", "caw"), ["bench"], stateDir));
    let agentBackupSeconds: number;
    let agentCompressed: number;
    try {
      const last = await waitFor("the agent's full backup", 600_000, () => readAgentStatus(stateDir)?.fullBackup.last);
      const manifestText = await az.adminClient().getContainerClient("mysql-backups").getBlobClient(`full/${last.backupId}/manifest.json`).downloadToBuffer();
      const manifest = JSON.parse(manifestText.toString("utf8"));
      agentBackupSeconds = (Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)) / 1000;
      agentCompressed = manifest.dump.compressedBytes;
    } finally {
      await agent.stop();
    }
    log("agent: restore tool (download, verify, gunzip and load, streamed)");
    const restore = await runRestoreCli(restoreEnvironment(dst.rootEndpoint, az.sasFor("mysql-backups", "rl"), join(work, "restore")));
    if (restore.code !== 0) throw new Error(`restore failed: ${restore.result?.error ?? restore.stderr}`);

    log("measuring binlog bytes per changed byte (1% of rows updated)");
    const binlogBytesPerChangedByte = await withRoot(src, async (c) => {
      const before = await currentBinlogPosition(c);
      const changed = Math.max(1, Math.floor(rows / 100));
      await c.query(`UPDATE bench.orders SET status = 'paid', amount = amount + 1 WHERE id <= ${changed}`);
      const after = await currentBinlogPosition(c);
      if (after.file !== before.file) throw new Error("binlog rotated during the measurement; rerun");
      return (after.position - before.position) / (changed * (sqlBytes / rows));
    });

    const databaseBytes = Number(options.modelDbGb) * 1024 ** 3;
    const changePerHour = Number(options.changePerHour);
    const model = egressPerDay({
      databaseBytes,
      compressionRatio: agentCompressed / sqlBytes,
      changePerHour,
      binlogBytesPerChangedByte,
      seedDumpsPerDay: 288,
      agentDumpsPerDay: 1,
    });
    const figures: Figures = {
      transport: options.plaintext ? "plaintext" : "verified TLS",
      rows,
      sqlBytes,
      seed: {
        dumpSeconds,
        uploadSeconds,
        backupSeconds: dumpSeconds + uploadSeconds,
        downloadSeconds,
        loadSeconds,
        restoreSeconds: downloadSeconds + loadSeconds,
        compressedBytes: seedCompressed,
      },
      agent: { backupSeconds: agentBackupSeconds, restoreSeconds: restore.wallSeconds, restorePhases: restore.result?.phases ?? [], compressedBytes: agentCompressed },
      ingestSeconds,
      binlogBytesPerChangedByte,
      egress: {
        ...model,
        databaseBytes,
        changePerHour,
        seedCostPerMonthUsd: (model.seedBytesPerDay / 1024 ** 3) * 30 * EGRESS_USD_PER_GB,
        agentCostPerMonthUsd: (model.agentBytesPerDay / 1024 ** 3) * 30 * EGRESS_USD_PER_GB,
      },
    };
    process.stdout.write(render(figures));
    if (options.json) await fs.writeFile(resolve(options.json), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await Promise.all([azurite?.destroy(), source?.destroy(), target?.destroy()]);
    await fs.rm(work, { recursive: true, force: true });
  }
}

function render(f: Figures): string {
  const s = (value: number) => `${value.toFixed(2)} s`;
  const x = (value: number) => `${value.toFixed(2)}x`;
  const lines = [
    `Transport: ${f.transport}. Database: ${f.rows} rows, ${formatBytes(f.sqlBytes)} of SQL (seed gzip ${formatBytes(f.seed.compressedBytes)}, agent gzip ${formatBytes(f.agent.compressedBytes)})`,
    "",
    "| step | seed pipeline (dump|gzip + az CLI) | agent + restore tool | seed / agent |",
    "|---|---:|---:|---:|",
    `| full backup (dump, compress, upload) | ${s(f.seed.backupSeconds)} (dump ${s(f.seed.dumpSeconds)} + upload ${s(f.seed.uploadSeconds)}) | ${s(f.agent.backupSeconds)} (streamed) | ${x(f.seed.backupSeconds / f.agent.backupSeconds)} |`,
    `| restore (download, decompress, load) | ${s(f.seed.restoreSeconds)} (download ${s(f.seed.downloadSeconds)} + load ${s(f.seed.loadSeconds)}) | ${s(f.agent.restoreSeconds)} (streamed, sha256-verified) | ${x(f.seed.restoreSeconds / f.agent.restoreSeconds)} |`,
    `| restore / ingest limit (mysql < local SQL file: ${s(f.ingestSeconds)}) | ${x(f.seed.restoreSeconds / f.ingestSeconds)} | ${x(f.agent.restoreSeconds / f.ingestSeconds)} | |`,
    `| recovery point objective | 300 s (5-minute dumps) | seconds (continuous binlog) | |`,
    "",
    `Agent restore phases: ${f.agent.restorePhases.map((phase) => `${phase.name} ${phase.seconds.toFixed(2)} s`).join(", ")}`,
    "",
    `Bytes shipped per day for a ${formatBytes(f.egress.databaseBytes)} database changing ${(f.egress.changePerHour * 100).toFixed(1)}%/h (measured: gzip ratio ${(f.agent.compressedBytes / f.sqlBytes).toFixed(3)}, ${f.binlogBytesPerChangedByte.toFixed(2)} binlog bytes per changed byte):`,
    "",
    "| design | per day | per 30 days | egress at $0.126/GB (30 days) |",
    "|---|---:|---:|---:|",
    `| seed: 288 full dumps/day | ${formatBytes(f.egress.seedBytesPerDay)} | ${formatBytes(f.egress.seedBytesPerDay * 30)} | $${f.egress.seedCostPerMonthUsd.toFixed(2)} |`,
    `| agent: 1 full dump/day + binlogs | ${formatBytes(f.egress.agentBytesPerDay)} (dump ${formatBytes(f.egress.agentFullBytesPerDay)} + binlog ${formatBytes(f.egress.agentBinlogBytesPerDay)}) | ${formatBytes(f.egress.agentBytesPerDay * 30)} | $${f.egress.agentCostPerMonthUsd.toFixed(2)} |`,
    `| ratio | ${x(f.egress.ratio)} fewer bytes with the agent | | |`,
  ];
  return `${lines.join("\n")}\n`;
}

async function withRoot<T>(instance: MariaDbInstance, work: (connection: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const connection = await connect(instance.rootEndpoint);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function dropBench(instance: MariaDbInstance): Promise<void> {
  await withRoot(instance, (c) => c.query("DROP DATABASE IF EXISTS bench"));
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exitCode = 1;
});
