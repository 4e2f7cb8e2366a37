import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import { MariaDbInstance } from "../harness/mariadb-instance";
import { BENCH_DATABASE } from "./database";
import { MydumperFigures, MyloaderFigures } from "./figures";
import { downloadDirectory, uploadDirectory } from "./blob-dir";
import { shellQuote, timedShell } from "./shell";

/**
 * What Debian's mydumper/myloader 0.10.1 can do for TLS: `--ssl --ca` checks the server's chain
 * against the CA but not its host name (0.10.1 has no --ssl-mode; tested in the issue-13 research).
 */
export const MYDUMPER_TLS_NOTE = "mydumper/myloader 0.10.1 use --ssl --ca: the CA is verified, the host name is not (no --ssl-mode in 0.10.1)";

/**
 * Connection options for mydumper/myloader. 127.0.0.1, not the harness's `localhost`: 0.10.1 has
 * no --protocol, and libmariadb takes `localhost` as the Unix socket.
 */
function connectionArgs(instance: MariaDbInstance): string {
  const tls = instance.tls;
  const ssl = tls.mode === "VERIFY_IDENTITY" ? `--ssl --ca ${shellQuote(tls.caFile)}` : "";
  return `-h 127.0.0.1 -P ${instance.port} -u root ${ssl}`;
}

/**
 * mydumper with `threads` sessions and `chunkRows`-row primary-key chunks, gzip-compressed, with
 * the only consistent mode RDS allows (LOCK TABLES, released once every session has its
 * snapshot), then the directory uploaded with the Azure SDK, `threads` files at a time.
 */
export async function runMydumper(work: string, source: MariaDbInstance, container: ContainerClient, prefix: string, threads: number, chunkRows: number): Promise<MydumperFigures> {
  const dir = join(work, "mydumper");
  await fs.rm(dir, { recursive: true, force: true });
  const dumpSeconds = await timedShell(
    `mydumper ${connectionArgs(source)} -B ${BENCH_DATABASE} -o ${shellQuote(dir)} -t ${threads} -r ${chunkRows} -c --lock-all-tables --trx-consistency-only -v 1`,
  );
  const started = Date.now();
  const { files, bytes } = await uploadDirectory(container, dir, prefix, threads);
  const uploadSeconds = (Date.now() - started) / 1000;
  await fs.rm(dir, { recursive: true, force: true });
  return { threads, chunkRows, dumpSeconds, uploadSeconds, backupSeconds: dumpSeconds + uploadSeconds, compressedBytes: bytes, files };
}

/** The uploaded directory downloaded with the Azure SDK (`threads` blobs at a time), then `myloader -t threads -o`. */
export async function runMyloader(work: string, target: MariaDbInstance, container: ContainerClient, prefix: string, threads: number): Promise<MyloaderFigures> {
  const dir = join(work, "myloader");
  await fs.rm(dir, { recursive: true, force: true });
  const started = Date.now();
  await downloadDirectory(container, prefix, dir, threads);
  const downloadSeconds = (Date.now() - started) / 1000;
  const loadSeconds = await timedShell(`myloader ${connectionArgs(target)} -d ${shellQuote(dir)} -t ${threads} -o -v 1`);
  await fs.rm(dir, { recursive: true, force: true });
  return { threads, downloadSeconds, loadSeconds, restoreSeconds: downloadSeconds + loadSeconds };
}
