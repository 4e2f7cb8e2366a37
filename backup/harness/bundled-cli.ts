import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bundleCli } from "../packaging/bundle";

let bundled = false;

/**
 * Runs the agent and restore from one esbuild bundle of the current sources, built once per
 * process (unless MYSQL_DR_CLI already names one): the artifact that ships, and measured
 * restore times that do not include ts-node compiling the sources.
 */
export function useBundledCli(): void {
  if (bundled || process.env.MYSQL_DR_CLI) return;
  const outfile = join(mkdtempSync(join(tmpdir(), "mysql-dr-bundle-")), "mysql-dr.js");
  bundleCli(outfile);
  process.env.MYSQL_DR_CLI = outfile;
  process.on("exit", () => rmSync(dirname(outfile), { recursive: true, force: true }));
  bundled = true;
}
