import { MysqlEndpoint } from "../config/shared";
import { connect } from "../lib/mysql-connection";

/** Schemas every server has; never offered as a fix for DR_DATABASES. */
const SYSTEM_SCHEMAS = new Set(["mysql", "sys", "information_schema", "performance_schema"]);

/**
 * Why DR_DATABASES cannot be backed up from the source, or undefined when every database it names
 * exists there (and DR_MYSQL_USER can see it): the names missing, the ones the source has, the fix.
 */
export async function missingDatabasesProblem(source: MysqlEndpoint, databases: string[]): Promise<string | undefined> {
  const connection = await connect(source);
  let present: string[];
  try {
    const [rows] = await connection.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME");
    present = (rows as Array<{ name: string }>).map((row) => row.name).filter((name) => !SYSTEM_SCHEMAS.has(name.toLowerCase()));
  } finally {
    await connection.end().catch(() => undefined);
  }
  const missing = databases.filter((name) => !present.includes(name));
  if (missing.length === 0) return undefined;
  return (
    `DR_DATABASES names ${missing.length === 1 ? "a database" : "databases"} the source ${source.host}:${source.port} does not have: ${missing.join(", ")}; ` +
    `the source has: ${present.length > 0 ? present.join(", ") : "no user databases"}. Correct DR_DATABASES ` +
    `(or, if ${missing.length === 1 ? "it exists" : "they exist"}, grant DR_MYSQL_USER ${source.user} SELECT on ${missing.length === 1 ? "it" : "them"})`
  );
}
