import { AZURE_CLI, DebianPackage, MARIADB_SERVER } from "../../lib/debianPackages";

/** What `npm run bench:backup` runs besides Node: MariaDB, and the az CLI of the seed's pipeline. */
export const BENCH_PACKAGES: readonly DebianPackage[] = [MARIADB_SERVER, AZURE_CLI];
