import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundleCli } from "./bundle";

const ROOT = resolve(__dirname, "..", "..");
const OUT = join(ROOT, "dist", "mysql-dr");
const SHIPPED_FILES = ["mysql-dr-agent.service", "mysql-dr-restore.service", "agent.env.example", "restore.env.example", "INSTALL.md"];

/**
 * Builds the self-contained artifact the backup instance and the restore VM receive:
 * dist/mysql-dr/mysql-dr.js (one file, every dependency bundled, runs with `node` >= 20; also copied
 * to dist/mysql-dr.js),
 * the systemd units and example env files, and dist/mysql-dr.tar.gz holding all of it.
 */
function build(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const bytes = bundleCli(join(OUT, "mysql-dr.js"));
  chmodSync(join(OUT, "mysql-dr.js"), 0o755);
  // The Pulumi program ships dist/mysql-dr.js to the instances; keep that path current too.
  copyFileSync(join(OUT, "mysql-dr.js"), join(ROOT, "dist", "mysql-dr.js"));
  for (const file of SHIPPED_FILES) copyFileSync(join(__dirname, file), join(OUT, file));
  writeFileSync(join(OUT, "VERSION"), `${execFileSync("git", ["-C", ROOT, "describe", "--always", "--dirty"], { encoding: "utf8" }).trim()}\n`);
  execFileSync("tar", ["-czf", join(ROOT, "dist", "mysql-dr.tar.gz"), "-C", join(ROOT, "dist"), "mysql-dr"]);
  process.stdout.write(`built ${join(OUT, "mysql-dr.js")} (${(bytes / 1024 / 1024).toFixed(1)} MiB) and dist/mysql-dr.tar.gz\n`);
}

build();
