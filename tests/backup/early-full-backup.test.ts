import { strict as assert } from "node:assert";
import { BinlogShareCheck, binlogBytesShippedSince, sourceBinlogSizes } from "../../backup/agent/binlog-share";
import { AgentState, cursorAt } from "../../backup/agent/state";
import { loadAgentConfig } from "../../backup/config/agent-config";
import { ConfigError } from "../../backup/config/config-error";
import { AgentProcess } from "../../backup/harness/cli-process";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "./fixture";

const AGENT_SAS = "sv=2025-01-05&sp=caw&sr=c&sig=c2VjcmV0LWFnZW50LXNpZw%3D%3D";
const VALID_AGENT = {
  // Plaintext to loopback: no CA file needed to load the configuration.
  DR_MYSQL_HOST: "127.0.0.1",
  DR_MYSQL_SSL_MODE: "INSECURE_PLAINTEXT_LOOPBACK_ONLY",
  DR_MYSQL_USER: "dr_agent",
  DR_MYSQL_PASSWORD: "s3cret-pass",
  DR_DATABASES: "petclinic",
  DR_BLOB_CONTAINER_URL: "https://acct.blob.core.windows.net/mysql-backups",
  DR_BLOB_SAS: AGENT_SAS,
};

/** An agent state whose last full backup (100,000 bytes uncompressed) stands at `from`, shipping at `cursor`. */
function stateAt(from: { file: string; position: number }, cursor: { file: string; shippedBytes: number }, lastSealed?: { file: string; size: number }): AgentState {
  return {
    formatVersion: 1,
    epoch: "e1",
    epochStartFile: "mysql-bin.000001",
    epochCreatedAt: "2026-12-02T00:00:00Z",
    epochInfoWritten: true,
    cursor: { ...cursorAt(cursor.file), shippedBytes: cursor.shippedBytes },
    nextRun: 1,
    sealedFiles: 0,
    lastSealed: lastSealed ? { ...lastSealed, sha256: "0".repeat(64) } : undefined,
    lastFullBackup: { backupId: "b1", epoch: "e1", snapshotAt: "", finishedAt: "", coordinates: from, uncompressedBytes: 100_000 },
  };
}

function agentProblems(values: Record<string, string>): string[] {
  try {
    loadAgentConfig({ ...VALID_AGENT, ...values });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return [];
}

describe("early full backup: binlog bytes since the last full backup against DR_FULL_BACKUP_BINLOG_SHARE", () => {
  it("counts the rest of the backup's file, whole sealed files and the shipped part of the current one", () => {
    const sizes = new Map([["mysql-bin.000001", 1_000], ["mysql-bin.000002", 5_000]]);
    assert.deepEqual(binlogBytesShippedSince({ file: "mysql-bin.000001", position: 400 }, { file: "mysql-bin.000001", shippedBytes: 900 }, (f) => sizes.get(f)), { bytes: 500, unknown: [] });
    assert.deepEqual(binlogBytesShippedSince({ file: "mysql-bin.000001", position: 400 }, { file: "mysql-bin.000003", shippedBytes: 70 }, (f) => sizes.get(f)), { bytes: 600 + 5_000 + 70, unknown: [] });
    assert.deepEqual(binlogBytesShippedSince({ file: "mysql-bin.000001", position: 400 }, { file: "mysql-bin.000004", shippedBytes: 0 }, (f) => sizes.get(f)), { bytes: 5_600, unknown: ["mysql-bin.000003"] });
  });

  it("is due once the bytes pass the share of the backup's uncompressed size; never with share 0; asks the source only for files it has not seen sealed", async () => {
    let listings = 0;
    const list = async () => {
      listings += 1;
      return new Map([["mysql-bin.000001", 30_000], ["mysql-bin.000002", 40_000]]);
    };
    const from = { file: "mysql-bin.000001", position: 10_000 };
    const below = stateAt(from, { file: "mysql-bin.000001", shippedBytes: 60_000 });
    const check = new BinlogShareCheck(0.5, 0, list);
    assert.equal(await check.exceeded(below), undefined, "50,000 bytes is not more than half of 100,000");
    assert.deepEqual(await check.exceeded(stateAt(from, { file: "mysql-bin.000001", shippedBytes: 60_001 })), { binlogBytes: 50_001, fullBackupUncompressedBytes: 100_000, share: 0.5, minBytes: 0 });
    // Two files sealed while the agent was not looking: their sizes come from SHOW BINARY LOGS, once.
    const later = stateAt(from, { file: "mysql-bin.000003", shippedBytes: 5 }, { file: "mysql-bin.000002", size: 40_000 });
    assert.deepEqual(await check.exceeded(later), { binlogBytes: 20_000 + 40_000 + 5, fullBackupUncompressedBytes: 100_000, share: 0.5, minBytes: 0 });
    assert.equal(listings, 1);
    await check.exceeded(later);
    assert.equal(listings, 1, "sizes it learned are kept");
    assert.equal(await new BinlogShareCheck(0, 0, list).exceeded(later), undefined, "share 0 turns the bound off");
    assert.equal(await new BinlogShareCheck(0.5, 0, list).exceeded({ ...later, epoch: "e2" }), undefined, "a backup of another chain does not count");
    assert.equal(await new BinlogShareCheck(0.5, 60_006, list).exceeded(later), undefined, "below the floor of DR_FULL_BACKUP_BINLOG_MIN_BYTES");
    assert.equal((await new BinlogShareCheck(0.5, 60_005, list).exceeded(later))?.binlogBytes, 60_005, "at the floor");
  });

  it("reads DR_FULL_BACKUP_BINLOG_SHARE: 0.25 by default, 0 turns it off, anything else not a number from 0 to 100 is refused; the floor is 64 MiB", () => {
    assert.equal(loadAgentConfig(VALID_AGENT).fullBackupBinlogShare, 0.25);
    assert.equal(loadAgentConfig(VALID_AGENT).fullBackupBinlogMinBytes, 64 * 1024 * 1024);
    assert.equal(loadAgentConfig({ ...VALID_AGENT, DR_FULL_BACKUP_BINLOG_MIN_BYTES: "0" }).fullBackupBinlogMinBytes, 0);
    assert.equal(loadAgentConfig({ ...VALID_AGENT, DR_FULL_BACKUP_BINLOG_SHARE: "0" }).fullBackupBinlogShare, 0);
    assert.equal(loadAgentConfig({ ...VALID_AGENT, DR_FULL_BACKUP_BINLOG_SHARE: "0.25" }).fullBackupBinlogShare, 0.25);
    for (const bad of ["-0.1", "abc", "101"]) {
      assert.deepEqual(
        agentProblems({ DR_FULL_BACKUP_BINLOG_SHARE: bad }),
        [`DR_FULL_BACKUP_BINLOG_SHARE must be a number from 0 (off) to 100 (a share of the last full backup's uncompressed size), got ${JSON.stringify(bad)}`],
      );
    }
  });
});

describe("early full backup with a real agent (MariaDB and Azurite)", function () {
  this.timeout(240_000);
  let fixture: DrFixture;
  before(async () => {
    fixture = await DrFixture.start();
  });
  after(async () => {
    await fixture?.destroy();
  });

  /** Starts an agent whose interval cannot come due during the test, waits for its first full backup, then writes well past `share` of it. */
  async function backupThenWrite(name: string, share: string, minBytes?: string): Promise<{ agent: AgentProcess; first: string; uncompressedBytes: number; binlogBytes: number }> {
    const database = `${name}_db`;
    await fixture.onPrimary(async (c) => {
      await createSchema(c, database);
      await writeBatch(c, database, 200, "seed");
    });
    const agent = fixture.startAgent(name, database, {
      DR_FULL_BACKUP_INTERVAL: "1h",
      DR_FULL_BACKUP_BINLOG_SHARE: share,
      ...(minBytes === undefined ? {} : { DR_FULL_BACKUP_BINLOG_MIN_BYTES: minBytes }),
    });
    const first = await fixture.waitFullBackup(name);
    const record = (await fixture.status(name))!.fullBackup.last!;
    const manifest = JSON.parse((await fixture.azurite.adminClient().getContainerClient(CONTAINER).getBlobClient(`${name}/full/${first}/manifest.json`).downloadToBuffer()).toString("utf8"));
    const manifestBytes = manifest.formatVersion === 2 ? [manifest.schema, manifest.post, ...manifest.chunks].reduce((sum: number, f: { uncompressedBytes: number }) => sum + f.uncompressedBytes, 0) : manifest.dump.uncompressedBytes;
    assert.equal(record.uncompressedBytes, manifestBytes, "the state records the backup's uncompressed size from its manifest");
    // Each UPDATE of every row writes its before and after images; a rotation in between makes the count cross files.
    await fixture.onPrimary(async (c) => {
      await c.query(`UPDATE ${database}.items SET body = CONCAT(body, '+')`);
      await c.query("FLUSH BINARY LOGS");
      await c.query(`UPDATE ${database}.items SET body = CONCAT(body, '-'), price = price + 1`);
    });
    const caughtUp = await fixture.waitCaughtUp(name);
    const sizes = await sourceBinlogSizes(fixture.primary.rootEndpoint);
    const { bytes } = binlogBytesShippedSince(record.coordinates, { file: caughtUp.shipping.file, shippedBytes: caughtUp.shipping.shippedBytes }, (f) => sizes.get(f));
    return { agent, first, uncompressedBytes: manifestBytes, binlogBytes: bytes };
  }

  it("takes the next full backup early, long before DR_FULL_BACKUP_INTERVAL, once the binlog passes the share, logging both numbers", async () => {
    // The floor off: a test database's binlog stays far below the default 64 MiB.
    const { agent, first, uncompressedBytes } = await backupThenWrite("early", "0.5", "0");
    try {
      const second = await fixture.waitFullBackup("early", first, 60_000);
      assert.notEqual(second, first);
      const line = agent.output().split("\n").find((l) => l.includes("taking a full backup early"));
      assert.ok(line, agent.output());
      const binlogBytes = Number(/binlog_bytes=(\d+)/.exec(line)?.[1]);
      assert.equal(Number(/full_backup_uncompressed_bytes=(\d+)/.exec(line)?.[1]), uncompressedBytes);
      assert.ok(binlogBytes > 0.5 * uncompressedBytes, line);
      assert.match(line, /share=0\.5/);
    } finally {
      await agent.stop();
    }
  });

  it("with DR_FULL_BACKUP_BINLOG_SHARE=0 the same writes leave the first full backup in place", async () => {
    const { agent, first, uncompressedBytes, binlogBytes } = await backupThenWrite("off", "0", "0");
    try {
      assert.ok(binlogBytes > 0.5 * uncompressedBytes, `the writes pass the share the other test sets (0.5), and so the default (0.25) (${binlogBytes} binlog bytes vs ${uncompressedBytes})`);
      // The agent checks every second; three checks after everything was shipped.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.equal((await fixture.status("off"))!.fullBackup.last!.backupId, first);
      assert.doesNotMatch(agent.output(), /taking a full backup early/);
    } finally {
      await agent.stop();
    }
  });
});
