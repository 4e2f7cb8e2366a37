import { MysqlEndpoint } from "../config/shared";
import { connect, serverDialect } from "../lib/mysql-connection";
import { toolsMismatch, ToolIdentity } from "../lib/mysql-dialect";

/**
 * Why the resolved client tools cannot back up the source (asked of the source itself), or
 * undefined when they can: MariaDB's dump against MySQL 8.4 would fail only at the first full
 * backup, on `SHOW MASTER STATUS`; the agent refuses to start instead.
 */
export async function toolsProblem(source: MysqlEndpoint, tools: ToolIdentity): Promise<string | undefined> {
  const connection = await connect(source);
  try {
    return toolsMismatch(await serverDialect(connection), tools);
  } finally {
    await connection.end().catch(() => undefined);
  }
}
