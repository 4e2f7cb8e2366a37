import { MysqlEndpoint } from "../../backup/config/shared";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";

/** The restore user the tests create on a target: Azure's admin, as far as MariaDB can say it. */
export const RESTORE_USER = "dr_restore";
export const RESTORE_PASSWORD = "restore-secret";

/**
 * The global privileges Azure Database for MySQL gives its server admin
 * (https://learn.microsoft.com/azure/mysql/single-server/how-to-create-users, which applies to
 * flexible server too): no SUPER, no SET USER, no BINLOG ADMIN.
 */
export const AZURE_ADMIN_PRIVILEGES = [
  "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "PROCESS", "REFERENCES", "INDEX", "ALTER",
  "SHOW DATABASES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "REPLICATION SLAVE", "REPLICATION CLIENT",
  "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER",
];

/**
 * Creates `dr_restore`@`%` on the target through a root connection with Azure's admin privileges
 * and, when `binlogReplay` is set, MariaDB's BINLOG REPLAY (which `BINLOG '...'` row events need
 * there). Returns its endpoint (same TLS as the server's other endpoints).
 */
export async function createRestoreUser(target: MariaDbInstance, options: { binlogReplay: boolean }): Promise<MysqlEndpoint> {
  const root = await target.rootConnection();
  try {
    await root.query(`CREATE USER '${RESTORE_USER}'@'%' IDENTIFIED BY '${RESTORE_PASSWORD}'`);
    const privileges = [...AZURE_ADMIN_PRIVILEGES, ...(options.binlogReplay ? ["BINLOG REPLAY"] : [])];
    await root.query(`GRANT ${privileges.join(", ")} ON *.* TO '${RESTORE_USER}'@'%' WITH GRANT OPTION`);
  } finally {
    await root.end();
  }
  return { ...target.rootEndpoint, user: RESTORE_USER, password: RESTORE_PASSWORD };
}
