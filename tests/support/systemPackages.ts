import { DebianPackage, ensureDebianPackages, MARIADB_SERVER, SYSTEMD, ZSTD } from "../../lib/debianPackages";

/** Debian packages the suite runs, each with a program that shows it is installed. */
export const SYSTEM_PACKAGES: readonly DebianPackage[] = [MARIADB_SERVER, SYSTEMD, ZSTD];

/** Mocha's global setup: what the suite needs from Debian, installed or named in one line (see ensureDebianPackages). */
export function mochaGlobalSetup(): void {
    ensureDebianPackages(SYSTEM_PACKAGES, "the test suite");
}
