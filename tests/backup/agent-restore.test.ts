import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentProcess, agentEnvironment, readAgentStatus, restoreEnvironment, runRestoreCli, waitFor } from "../../backup/harness/cli-process";
import { AzuriteInstance } from "../../backup/harness/azurite-instance";
import { databaseDigest } from "../../backup/harness/digest";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";

describe("backup agent and restore against MariaDB and Azurite", function () {
  this.timeout(120_000);
  let azurite: AzuriteInstance;
  let primary: MariaDbInstance;
  let target: MariaDbInstance;
  let work: string;

  before(async () => {
    work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-test-"));
    [azurite, primary, target] = await Promise.all([AzuriteInstance.start(work), MariaDbInstance.start({ binlog: true, parentDir: work }), MariaDbInstance.start({ binlog: false, parentDir: work })]);
    const root = await primary.rootConnection();
    await root.query("CREATE DATABASE shop");
    await root.query("CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(64), note TEXT, amount DECIMAL(10,2))");
    await root.query("INSERT INTO shop.orders (customer, note, amount) VALUES ('a', 'it''s (tricky); ),(', 1.50), ('b', NULL, 2.00)");
    await root.end();
  });

  after(async () => {
    await Promise.all([azurite?.destroy(), primary?.destroy(), target?.destroy()]);
    await fs.rm(work, { recursive: true, force: true });
  });

  it("ships a full backup and live binlogs, and restores them to an identical database", async () => {
    const agentBlob = await azurite.containerWithSas("backups", "caw");
    const stateDir = join(work, "agent-state");
    const agent = AgentProcess.start(agentEnvironment(primary.agentEndpoint, agentBlob, ["shop"], stateDir));
    try {
      await waitFor("first full backup", 60_000, () => readAgentStatus(stateDir)?.fullBackup.last);
      const root = await primary.rootConnection();
      for (let i = 0; i < 50; i++) await root.query("INSERT INTO shop.orders (customer, note, amount) VALUES (?, ?, ?)", [`c${i}`, `note ${i}`, i]);
      await root.query("UPDATE shop.orders SET amount = amount + 1 WHERE id % 3 = 0");
      await root.query("DELETE FROM shop.orders WHERE id % 7 = 0");
      const expected = await databaseDigest(root, "shop");
      await root.end();
      await waitFor("agent caught up", 30_000, () => {
        const status = readAgentStatus(stateDir);
        return status && status.lag.lagSeconds < 2 && status.shipping.localUnshippedBytes === 0 && Date.parse(status.lag.caughtUpAt ?? "0") > Date.now() - 2_000;
      });
      assert.equal(await agent.stop(), 0);
      const run = await runRestoreCli(restoreEnvironment(target.rootEndpoint, azurite.sasFor("backups", "rl"), join(work, "restore-1")));
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const restoredConnection = await target.rootConnection();
      assert.deepEqual(await databaseDigest(restoredConnection, "shop"), expected);
      await restoredConnection.end();
      assert.ok(run.result?.recoveredTo, "restore reports what it recovered to");
      assert.ok((run.result?.binlogFiles ?? 0) >= 1);
    } finally {
      await agent.stop();
      if (agent.output()) await fs.writeFile(join(work, "agent.log"), agent.output());
    }
  });
});
