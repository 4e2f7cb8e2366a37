import { promises as fs } from "node:fs";
import { join } from "node:path";

/**
 * Takes the state directory's lock file: one agent per state directory, because the
 * exactly-once append protocol assumes a single writer.
 */
export async function acquireLock(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, "agent.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(path, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => fs.rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await fs.readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(`another agent (pid ${holder}) holds ${path}; only one agent may use a state directory`);
      }
      await fs.rm(path, { force: true });
    }
  }
  throw new Error(`could not take ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
