import type { Connection } from "mysql2/promise";
import { quoteIdentifier } from "../lib/mysql-connection";
import { SqlRewriter } from "./sql-rewrite";

/** Suffix of the databases a restore loads into before the swap: `<db>__dr_restore_<id>`. */
export const STAGING_INFIX = "__dr_restore_";
/** Suffix of the databases that keep the replaced tables: `<db>__dr_previous_<id>`. */
export const PREVIOUS_INFIX = "__dr_previous_";
/** MySQL and MariaDB database names are at most 64 characters. */
const MAX_DATABASE_NAME = 64;

/** Where each restored database is loaded and where its current tables go on the swap. */
export interface StagingPlan {
  id: string;
  databases: Array<{ database: string; staging: string; previous: string }>;
}

/** What the swap did to one database, for the report. */
export interface Replacement {
  database: string;
  /** False when the database did not exist on the target before. */
  existed: boolean;
  /** Where the tables, triggers, views, routines and events that were replaced now are. */
  previous?: string;
  tablesSwapped: number;
  previousTables: number;
  /** Objects recreated after the table swap (not atomic with it). */
  objects: string[];
  /** Objects that could not be recreated: the operator must look at these. */
  problems: string[];
}

/** Names the staging and previous databases; refuses names longer than the server allows. */
export function planStaging(databases: string[], id: string): StagingPlan {
  const tooLong = databases.filter((database) => `${database}${PREVIOUS_INFIX}${id}`.length > MAX_DATABASE_NAME);
  if (tooLong.length > 0) {
    throw new Error(
      `cannot stage ${tooLong.join(", ")}: \`<db>${PREVIOUS_INFIX}${id}\` exceeds ${MAX_DATABASE_NAME} characters. Nothing was changed. ` +
        `Restore into an empty target without --replace, or drop the databases yourself first.`,
    );
  }
  return { id, databases: databases.map((database) => ({ database, staging: `${database}${STAGING_INFIX}${id}`, previous: `${database}${PREVIOUS_INFIX}${id}` })) };
}

/** Original database -> staging database, for the dump and binlog rewrites. */
export function stagingRenames(plan: StagingPlan): Map<string, string> {
  return new Map(plan.databases.map((entry) => [entry.database, entry.staging]));
}

/** Drops the staging databases (after a failure, or once the swap emptied them). */
export async function dropStaging(connection: Connection, plan: StagingPlan): Promise<void> {
  for (const { staging } of plan.databases) await connection.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(staging)}`);
}

type ObjectKind = "TRIGGER" | "FUNCTION" | "PROCEDURE" | "VIEW" | "EVENT";
/** Creation order: routines before the views and triggers that call them. */
const KINDS: ObjectKind[] = ["FUNCTION", "PROCEDURE", "VIEW", "TRIGGER", "EVENT"];

interface StoredObject {
  kind: ObjectKind;
  name: string;
  ddl: string;
  sqlMode: string;
}

/**
 * Swaps the staged databases in. The tables move in one `RENAME TABLE` statement, which the
 * server applies atomically: every current table of the restored databases goes to
 * `<db>__dr_previous_<id>` and every staged table takes its name, or nothing moves. A table with
 * triggers cannot change database, so triggers are dropped first (from the staged tables and the
 * current ones, whose definitions are kept and put back if the rename fails) and recreated after
 * it; views, routines and events live in the database, not in a table, so the current ones move
 * to the previous database and the staged ones are created under the real name after the rename.
 * Those steps are not atomic: a failure there is reported per object, with the data swapped.
 */
export async function swapIn(connection: Connection, plan: StagingPlan): Promise<Replacement[]> {
  const states = [];
  for (const entry of plan.databases) {
    const existed = await databaseExists(connection, entry.database);
    states.push({
      ...entry,
      existed,
      stagedTables: await baseTables(connection, entry.staging),
      currentTables: existed ? await baseTables(connection, entry.database) : [],
      staged: await storedObjects(connection, entry.staging),
      current: existed ? await storedObjects(connection, entry.database) : [],
    });
  }
  const droppedCurrentTriggers: Array<{ database: string; object: StoredObject }> = [];
  const created: string[] = [];
  try {
    for (const state of states) {
      for (const object of state.staged.filter((o) => o.kind === "TRIGGER")) await dropObject(connection, state.staging, object);
      for (const object of state.current.filter((o) => o.kind === "TRIGGER")) {
        await dropObject(connection, state.database, object);
        droppedCurrentTriggers.push({ database: state.database, object });
      }
      const charset = await databaseCharset(connection, state.existed ? state.database : state.staging);
      if (state.existed) await connection.query(`CREATE DATABASE ${quoteIdentifier(state.previous)} ${charset}`);
      else await connection.query(`CREATE DATABASE ${quoteIdentifier(state.database)} ${charset}`);
      created.push(state.existed ? state.previous : state.database);
    }
    const moves = states.flatMap((state) => [
      ...state.currentTables.map((table) => `${qualified(state.database, table)} TO ${qualified(state.previous, table)}`),
      ...state.stagedTables.map((table) => `${qualified(state.staging, table)} TO ${qualified(state.database, table)}`),
    ]);
    if (moves.length > 0) await connection.query(`RENAME TABLE ${moves.join(", ")}`);
  } catch (error) {
    const rollback: string[] = [];
    for (const { database, object } of droppedCurrentTriggers) {
      await createObject(connection, database, object, new Map()).catch((e: Error) => rollback.push(`trigger ${database}.${object.name}: ${e.message}`));
    }
    for (const name of created) await connection.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`).catch(() => undefined);
    const message =
      `swapping the restored tables in failed (${(error as Error).message}); no table was moved` +
      (rollback.length > 0 ? `; could NOT put back: ${rollback.join("; ")}` : "; the target is as it was");
    throw Object.assign(new Error(message), { targetChanged: rollback.length > 0 });
  }
  const replacements: Replacement[] = [];
  for (const state of states) {
    const replacement: Replacement = {
      database: state.database,
      existed: state.existed,
      previous: state.existed ? state.previous : undefined,
      tablesSwapped: state.stagedTables.length,
      previousTables: state.currentTables.length,
      objects: [],
      problems: [],
    };
    const toPrevious = new Map([[state.database, state.previous]]);
    for (const object of state.current) {
      const label = `${object.kind.toLowerCase()} ${object.name}`;
      const problem = (await createWithRetry(connection, state.previous, [object], toPrevious)).get(object);
      if (problem) replacement.problems.push(`previous ${label} not kept in ${state.previous} (${problem}); its definition was: ${object.ddl}`);
      // The restored object of the same name takes its place; a failed drop shows up as its problem.
      if (object.kind !== "TRIGGER") await dropObject(connection, state.database, object).catch(() => undefined);
    }
    const problems = await createWithRetry(connection, state.database, state.staged, new Map([[state.staging, state.database]]));
    for (const object of state.staged) {
      const problem = problems.get(object);
      if (problem) replacement.problems.push(`restored ${object.kind.toLowerCase()} ${object.name} not created: ${problem}`);
      else replacement.objects.push(`${object.kind.toLowerCase()} ${object.name}`);
    }
    await connection.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(state.staging)}`);
    replacements.push(replacement);
  }
  return replacements;
}

/** Creates the objects, retrying those that failed while others succeed (a view on a view). */
async function createWithRetry(connection: Connection, database: string, objects: StoredObject[], renames: ReadonlyMap<string, string>): Promise<Map<StoredObject, string>> {
  let pending = [...objects].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  const problems = new Map<StoredObject, string>();
  for (;;) {
    problems.clear();
    const failed: StoredObject[] = [];
    for (const object of pending) {
      try {
        await createObject(connection, database, object, renames);
      } catch (error) {
        failed.push(object);
        problems.set(object, (error as Error).message);
      }
    }
    if (failed.length === 0 || failed.length === pending.length) return problems;
    pending = failed;
  }
}

async function createObject(connection: Connection, database: string, object: StoredObject, renames: ReadonlyMap<string, string>): Promise<void> {
  const ddl = renames.size > 0 ? new SqlRewriter(undefined, renames).rewriteAll(object.ddl) : object.ddl;
  await connection.query(`USE ${quoteIdentifier(database)}`);
  await connection.query("SET @dr_saved_sql_mode = @@SESSION.sql_mode");
  await connection.query("SET SESSION sql_mode = ?", [object.sqlMode]);
  try {
    await connection.query(ddl);
  } finally {
    await connection.query("SET SESSION sql_mode = @dr_saved_sql_mode");
  }
}

async function dropObject(connection: Connection, database: string, object: StoredObject): Promise<void> {
  await connection.query(`DROP ${object.kind} IF EXISTS ${qualified(database, object.name)}`);
}

async function storedObjects(connection: Connection, database: string): Promise<StoredObject[]> {
  const [rows] = await connection.query(
    "SELECT 'TRIGGER' AS kind, TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? " +
      "UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? " +
      "UNION ALL SELECT 'VIEW', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? " +
      "UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1, 2",
    [database, database, database, database],
  );
  const objects: StoredObject[] = [];
  for (const { kind, name } of rows as Array<{ kind: ObjectKind; name: string }>) {
    const [shown] = await connection.query(`SHOW CREATE ${kind} ${qualified(database, name)}`);
    const row = (shown as Array<Record<string, string>>)[0];
    const ddl = kind === "TRIGGER" ? row["SQL Original Statement"] : row[`Create ${kind[0]}${kind.slice(1).toLowerCase()}`];
    objects.push({ kind, name, ddl, sqlMode: row.sql_mode ?? "" });
  }
  return objects;
}

async function baseTables(connection: Connection, database: string): Promise<string[]> {
  const [rows] = await connection.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1", [database]);
  return (rows as Array<{ name: string }>).map((row) => row.name);
}

async function databaseExists(connection: Connection, database: string): Promise<boolean> {
  const [rows] = await connection.query("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]);
  return Number((rows as Array<{ n: number }>)[0].n) > 0;
}

async function databaseCharset(connection: Connection, database: string): Promise<string> {
  const [rows] = await connection.query("SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]);
  const row = (rows as Array<{ cs: string; co: string }>)[0];
  return row ? `CHARACTER SET ${row.cs} COLLATE ${row.co}` : "";
}

function qualified(database: string, name: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(name)}`;
}
