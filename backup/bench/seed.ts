import { promises as fs } from "node:fs";
import { join } from "node:path";
import { AzuriteInstance } from "../harness/azurite-instance";
import { MariaDbInstance } from "../harness/mariadb-instance";
import { toolTlsArgs } from "../lib/mysql-tools";
import { BENCH_DATABASE, dropBench, quiesce } from "./database";
import { SeedFigures } from "./figures";
import { shellQuote, timedShell } from "./shell";

/** The `mariadb` client of the seed's restore, with the harness's verified TLS. */
export function clientCommand(instance: MariaDbInstance): string {
  const tls = toolTlsArgs(instance.rootEndpoint, "mariadb").map(shellQuote).join(" ");
  return `mariadb --no-defaults --protocol=TCP -h${instance.rootEndpoint.host} -P${instance.port} -uroot ${tls}`;
}

/** The seed's dump: one mysqldump session, --single-transaction. */
function dumpCommand(source: MariaDbInstance): string {
  const tls = toolTlsArgs(source.rootEndpoint, "mariadb").map(shellQuote).join(" ");
  return `mariadb-dump --no-defaults --protocol=TCP -h${source.rootEndpoint.host} -P${source.port} -uroot ${tls} --single-transaction --master-data=2 --databases ${BENCH_DATABASE}`;
}

/** What the seed run leaves for the ingest measurement: the gzip dump on local disk. */
export interface SeedRun {
  figures: SeedFigures;
  dumpFile: string;
}

/**
 * The seed's pipeline: `mysqldump | gzip > file`, `az storage blob upload`; to restore,
 * `az storage blob download`, `gunzip | mysql` into an empty target. Leaves the bench database on the target.
 */
export async function runSeed(work: string, azurite: AzuriteInstance, source: MariaDbInstance, target: MariaDbInstance, container: string, blob: string): Promise<SeedRun> {
  const azEnv = { ...process.env, AZURE_CONFIG_DIR: join(work, "az"), AZURE_CORE_COLLECT_TELEMETRY: "false", AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
  const dumpFile = join(work, "backup_seed.sql.gz");
  await quiesce(source);
  const dumpSeconds = await timedShell(`${dumpCommand(source)} | gzip > ${shellQuote(dumpFile)}`);
  const uploadSeconds = await timedShell(`az storage blob upload -c ${container} -f ${shellQuote(dumpFile)} -n ${blob} --overwrite -o none --only-show-errors`, azEnv);
  const compressedBytes = (await fs.stat(dumpFile)).size;
  const downloaded = join(work, "download.sql.gz");
  await dropBench(target);
  await quiesce(target);
  const downloadSeconds = await timedShell(`az storage blob download -c ${container} -n ${blob} -f ${shellQuote(downloaded)} -o none --only-show-errors`, azEnv);
  const loadSeconds = await timedShell(`gunzip -c ${shellQuote(downloaded)} | ${clientCommand(target)}`);
  await fs.rm(downloaded);
  return {
    dumpFile,
    figures: { dumpSeconds, uploadSeconds, backupSeconds: dumpSeconds + uploadSeconds, downloadSeconds, loadSeconds, restoreSeconds: downloadSeconds + loadSeconds, compressedBytes },
  };
}

/** The single-stream ingest: `mysql <` the uncompressed dump from local disk. Returns its seconds and the SQL size. */
export async function runIngest(work: string, target: MariaDbInstance, dumpFile: string): Promise<{ ingestSeconds: number; sqlBytes: number }> {
  const plain = join(work, "plain.sql");
  await timedShell(`gunzip -c ${shellQuote(dumpFile)} > ${shellQuote(plain)}`);
  const sqlBytes = (await fs.stat(plain)).size;
  await dropBench(target);
  await quiesce(target);
  const ingestSeconds = await timedShell(`${clientCommand(target)} < ${shellQuote(plain)}`);
  await fs.rm(plain);
  return { ingestSeconds, sqlBytes };
}
