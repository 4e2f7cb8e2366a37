import { AZURE_CLI, DebianPackage, MARIADB_SERVER, MYDUMPER, ZSTD } from "../../lib/debianPackages";

/** What `npm run bench:backup` runs besides Node: MariaDB, the az CLI of the seed's pipeline, and mydumper/myloader. */
export const BENCH_PACKAGES: readonly DebianPackage[] = [MARIADB_SERVER, AZURE_CLI, MYDUMPER, ZSTD];
