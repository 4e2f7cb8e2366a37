import { execFileSync, spawnSync } from "child_process";
import { existsSync } from "fs";

/** A Debian package a command needs, with the programs that show it is installed. */
export interface DebianPackage {
    readonly name: string;
    /** Program names looked up on PATH, or absolute paths. */
    readonly provides: readonly string[];
    /** Why it is needed, shown when it is installed. */
    readonly why: string;
}

function installed(program: string): boolean {
    return program.startsWith("/") ? existsSync(program) : spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

/** The packages a machine lacks: a package counts as missing when any of its programs is. */
export function missingPackages(packages: readonly DebianPackage[], isInstalled: (program: string) => boolean = installed): string[] {
    return packages.filter(p => !p.provides.every(isInstalled)).map(p => p.name);
}

/**
 * Installs the packages `who` needs when they are missing and this process may (root, apt-get
 * present), as `.ci/run` does; otherwise throws one line saying what to install, so the command
 * stops at once instead of failing later with `command not found` or ENOENT.
 */
export function ensureDebianPackages(packages: readonly DebianPackage[], who: string): void {
    const missing = missingPackages(packages);
    if (missing.length === 0) {
        return;
    }
    const command = `apt-get install -y ${missing.join(" ")}`;
    if (process.getuid?.() !== 0 || !installed("apt-get")) {
        throw new Error(`${who} needs Debian packages that are not installed: ${command} (as root), then run it again`);
    }
    process.stderr.write(`installing what ${who} needs: ${missing.join(", ")} (${packages.filter(p => missing.includes(p.name)).map(p => p.why).join("; ")})\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
    const still = missingPackages(packages);
    if (still.length > 0) {
        throw new Error(`apt-get installed ${missing.join(", ")} but ${still.join(", ")} still lacks its programs`);
    }
}

/** MariaDB from Debian: the backup agent, restore, drill and benchmark run against a real server. */
export const MARIADB_SERVER: DebianPackage = { name: "mariadb-server", provides: ["mariadb-install-db", "/usr/sbin/mariadbd"], why: "the backup tools run against a real MariaDB" };

/** systemd-analyze checks the emergency VM's unit files. */
export const SYSTEMD: DebianPackage = { name: "systemd", provides: ["systemd-analyze"], why: "the emergency VM's unit files are checked with systemd-analyze verify" };

/** The az CLI of the seed's pipeline. */
export const AZURE_CLI: DebianPackage = { name: "azure-cli", provides: ["az"], why: "the seed's pipeline uploads and downloads with `az storage blob`" };

/** mydumper/myloader, the parallel dump and load tools the benchmark compares the agent with (Debian 12 ships 0.10.1). */
export const MYDUMPER: DebianPackage = { name: "mydumper", provides: ["mydumper", "myloader"], why: "the benchmark times mydumper/myloader beside the agent" };

/** zstd, the codec of chunked full backups (the agent falls back to gzip without it; a restore of zstd chunks needs it). */
export const ZSTD: DebianPackage = { name: "zstd", provides: ["zstd"], why: "chunked backups are zstd frames" };
