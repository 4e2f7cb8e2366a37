import { execFileSync, spawnSync } from "child_process";
import { existsSync } from "fs";

/** Debian packages the suite runs, each with a program that shows it is installed. */
export const SYSTEM_PACKAGES: readonly { readonly name: string; readonly provides: readonly string[]; readonly why: string }[] = [
    { name: "mariadb-server", provides: ["mariadb-install-db", "/usr/sbin/mariadbd"], why: "the backup agent and restore tests run a real MariaDB" },
    { name: "systemd", provides: ["systemd-analyze"], why: "the emergency VM's unit files are checked with systemd-analyze verify" },
];

function installed(program: string): boolean {
    return program.startsWith("/") ? existsSync(program) : spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

/** The packages a machine lacks, by the programs they provide. */
export function missingPackages(isInstalled: (program: string) => boolean = installed): string[] {
    return SYSTEM_PACKAGES.filter(p => !p.provides.every(isInstalled)).map(p => p.name);
}

/**
 * Mocha's global setup: installs what the suite needs from Debian when it is missing and this
 * process may (root, apt-get present), as `.ci/run` does; otherwise stops at once with one line
 * saying what to install, instead of failing test by test with ENOENT.
 */
export function mochaGlobalSetup(): void {
    const missing = missingPackages();
    if (missing.length === 0) {
        return;
    }
    const command = `apt-get install -y ${missing.join(" ")}`;
    const canInstall = process.getuid?.() === 0 && installed("apt-get");
    if (!canInstall) {
        throw new Error(`the tests need Debian packages that are not installed: ${command} (as root), then run the tests again`);
    }
    process.stderr.write(`installing what the tests need: ${missing.join(", ")} (${SYSTEM_PACKAGES.filter(p => missing.includes(p.name)).map(p => p.why).join("; ")})\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
    const still = missingPackages();
    if (still.length > 0) {
        throw new Error(`apt-get installed ${missing.join(", ")} but ${still.join(", ")} still lacks its programs`);
    }
}
