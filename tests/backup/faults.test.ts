import { strict as assert } from "node:assert";
import { readAgentStatus, waitFor } from "../../backup/harness/cli-process";
import { CONTAINER, DrFixture, createSchema, startWriter, writeBatch } from "./fixture";

describe("fault drills: the restore stays correct", function () {
  this.timeout(120_000);
  let dr: DrFixture;

  before(async () => {
    dr = await DrFixture.start();
  });

  after(async () => {
    await dr?.destroy();
  });

  async function blobNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of dr.azurite.adminClient().getContainerClient(CONTAINER).listBlobsFlat({ prefix })) names.push(blob.name);
    return names;
  }

  it("agent killed with SIGKILL mid-upload and mid-shipping, then restarted: no gap, no duplicate", async () => {
    await dr.onPrimary(async (c) => {
      await createSchema(c, "killed");
      await c.query("CREATE TABLE killed.bulk (id INT PRIMARY KEY, pad VARCHAR(255))");
      await c.query("USE killed");
      await c.query("INSERT INTO bulk SELECT seq, CONCAT(MD5(RAND()), MD5(RAND()), MD5(RAND())) FROM seq_1_to_300000");
    });
    const connection = await dr.primary.rootConnection();
    const writer = startWriter(connection, "killed", "w");
    let killedBackup = "";
    let agent = dr.startAgent("killed", "killed", { DR_DUMP_GZIP_LEVEL: "9" });
    try {
      killedBackup = await waitFor("full backup to start", 60_000, () => /full backup started backup=(\S+)/.exec(agent.output())?.[1]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await agent.kill();
      assert.ok(!(await blobNames(`killed/full/${killedBackup}/`)).some((name) => name.endsWith("manifest.json")), "the kill interrupted the backup");
      agent = dr.startAgent("killed", "killed");
      await dr.waitFullBackup("killed");
      for (let i = 0; i < 3; i++) {
        await waitFor("shipping progress", 20_000, () => (readStatus()?.shipping.shippedBytes ?? 0) > 0);
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
        await agent.kill();
        agent = dr.startAgent("killed", "killed");
      }
      assert.ok((await writer.stop()) > 100);
      await dr.waitCaughtUp("killed");
      assert.equal(await agent.stop(), 0);
    } finally {
      await writer.stop();
      await connection.end();
      await agent.stop();
    }
    const run = await dr.restore("killed");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.notEqual(run.result!.backupId, killedBackup);
    assert.deepEqual(await dr.targetDigest("killed"), await dr.primaryDigest("killed"));

    function readStatus() {
      return readAgentStatus(dr.stateDir("killed"));
    }
  });

  it("Azure unreachable for a while: the agent keeps its spool, reports growing lag, then catches up", async () => {
    await dr.onPrimary((c) => createSchema(c, "outage"));
    const agent = dr.startAgent("outage", "outage");
    try {
      await dr.waitFullBackup("outage");
      await dr.azurite.stop();
      await dr.onPrimary((c) => writeBatch(c, "outage", 40, "during-outage"));
      const during = await waitFor("lag to grow during the outage", 20_000, async () => {
        const status = await dr.status("outage");
        return status && !status.shipping.azureReachable && status.shipping.localUnshippedBytes > 0 && status.lag.lagSeconds >= 3 ? status : undefined;
      });
      assert.match(during.shipping.lastError ?? "", /ECONNREFUSED|connect|socket/i);
      await dr.onPrimary((c) => writeBatch(c, "outage", 40, "still-out"));
      await dr.azurite.launch();
      const after = await dr.waitCaughtUp("outage");
      assert.equal(after.shipping.azureReachable, true);
      assert.ok(after.lag.lagSeconds < during.lag.lagSeconds);
    } finally {
      if (!(await isUp())) await dr.azurite.launch();
      await agent.stop();
    }
    const run = await dr.restore("outage");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("outage"), await dr.primaryDigest("outage"));

    async function isUp(): Promise<boolean> {
      return dr.azurite.adminClient().getProperties().then(() => true, () => false);
    }
  });

  it("source restarted under the agent: the reader is restarted with backoff and resumes", async () => {
    await dr.onPrimary((c) => createSchema(c, "bounce"));
    const agent = dr.startAgent("bounce", "bounce");
    try {
      await dr.waitFullBackup("bounce");
      await dr.onPrimary((c) => writeBatch(c, "bounce", 20, "before-restart"));
      await dr.primary.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await dr.primary.launch();
      await dr.onPrimary((c) => writeBatch(c, "bounce", 20, "after-restart"));
      const status = await dr.waitCaughtUp("bounce").catch((error: Error) => {
        throw new Error(`${error.message}\nagent log:\n${agent.output().slice(-3_000)}`);
      });
      assert.ok(status.streamer.restarts >= 1, "the reader was restarted");
    } finally {
      await agent.stop();
    }
    const run = await dr.restore("bounce");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("bounce"), await dr.primaryDigest("bounce"));
  });

  describe("damaged backups", () => {
    let firstBackup: string;
    let secondBackup: string;

    before(async () => {
      await dr.onPrimary((c) => createSchema(c, "damage"));
      // Format 1 here: corruption of the single-stream dump stays covered; chunked-restore.test.ts covers corrupt chunks.
      const agent = dr.startAgent("damage", "damage", { DR_DUMP_FORMAT: "single-stream" });
      try {
        firstBackup = await dr.waitFullBackup("damage");
        for (let i = 0; i < 3; i++) {
          await dr.onPrimary((c) => writeBatch(c, "damage", 15, `a${i}`));
          await dr.onPrimary((c) => c.query("FLUSH BINARY LOGS"));
        }
        agent.signal("SIGUSR1");
        secondBackup = await dr.waitFullBackup("damage", firstBackup);
        await dr.onPrimary((c) => writeBatch(c, "damage", 15, "b"));
        await dr.waitCaughtUp("damage");
      } finally {
        await agent.stop();
      }
    });

    beforeEach(async () => {
      await dr.onTarget((c) => c.query("DROP DATABASE IF EXISTS damage"));
    });

    it("a corrupted dump blob is refused by sha256 and the previous backup is used instead", async () => {
      const blob = dr.azurite.adminClient().getContainerClient(CONTAINER).getBlockBlobClient(`damage/full/${secondBackup}/dump.sql.gz`);
      const original = await blob.downloadToBuffer();
      const damaged = Buffer.from(original);
      damaged[Math.floor(damaged.length / 2)] ^= 0x55;
      await blob.uploadData(damaged);
      try {
        const run = await dr.restore("damage");
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.equal(run.result!.backupId, firstBackup);
        assert.equal(run.result!.skippedBackups[0].backupId, secondBackup);
        assert.match(run.result!.skippedBackups[0].reason, /dump blob \S+ is corrupt|exited with code/);
        assert.match(run.stderr, /falling back to the previous one/);
        assert.deepEqual(await dr.targetDigest("damage"), await dr.primaryDigest("damage"));
      } finally {
        await blob.uploadData(original);
      }
    });

    it("a backup without a manifest is incomplete and skipped, naming why", async () => {
      const container = dr.azurite.adminClient().getContainerClient(CONTAINER);
      const manifest = container.getBlockBlobClient(`damage/full/${secondBackup}/manifest.json`);
      const saved = await manifest.downloadToBuffer();
      await manifest.delete();
      try {
        const run = await dr.restore("damage");
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.equal(run.result!.backupId, firstBackup);
        assert.deepEqual(run.result!.skippedBackups, [{ backupId: secondBackup, reason: "no manifest: the backup never completed" }]);
        assert.deepEqual(await dr.targetDigest("damage"), await dr.primaryDigest("damage"));
      } finally {
        await manifest.uploadData(saved);
      }
    });

    it("a corrupted sealed binlog is refused before the target is touched, unless the chosen backup does not need it", async () => {
      const names = await blobNames("damage/binlog/");
      const seals = names.filter((name) => name.endsWith("/seal.json")).sort();
      const segment = seals[seals.length - 1].replace("seal.json", "seg-000001");
      const file = segment.split("/").at(-2)!;
      const blob = dr.azurite.adminClient().getContainerClient(CONTAINER).getAppendBlobClient(segment);
      const original = await blob.downloadToBuffer();
      const damaged = Buffer.from(original);
      damaged[damaged.length - 10] ^= 0x01;
      await blob.delete();
      await blob.create();
      await blob.appendBlock(damaged, damaged.length);
      try {
        const run = await dr.restore("damage", ["--backup", firstBackup]);
        assert.equal(run.code, 1);
        assert.match(run.result!.error!, new RegExp(`${file.replace(".", "\\.")}: content does not match its seal .*the blob is corrupt`));
        assert.equal(await dr.targetHasDatabase("damage"), false, "nothing was loaded");
        const newest = await dr.restore("damage");
        assert.equal(newest.code, 0, "the newest backup starts after the damaged file");
        assert.equal(newest.result!.backupId, secondBackup);
        assert.deepEqual(await dr.targetDigest("damage"), await dr.primaryDigest("damage"));
      } finally {
        await blob.delete();
        await blob.create();
        await blob.appendBlock(original, original.length);
      }
    });

    it("a missing binlog file in the middle of the chain is reported as a gap", async () => {
      const names = await blobNames("damage/binlog/");
      const files = [...new Set(names.filter((name) => name.includes("/seg-")).map((name) => name.split("/").at(-2)!))].sort();
      const victim = files[1];
      const container = dr.azurite.adminClient().getContainerClient(CONTAINER);
      const saved = new Map<string, Buffer>();
      for (const name of names.filter((n) => n.includes(`/${victim}/`))) {
        saved.set(name, await container.getBlobClient(name).downloadToBuffer());
        await container.getBlobClient(name).delete();
      }
      try {
        const run = await dr.restore("damage", ["--backup", firstBackup]);
        assert.equal(run.code, 1);
        assert.match(run.result!.error!, new RegExp(`gap in binlog chain .*: ${victim.replace(".", "\\.")} is missing before`));
        assert.equal(await dr.targetHasDatabase("damage"), false);
      } finally {
        for (const [name, bytes] of saved) {
          if (name.endsWith("seal.json")) await container.getBlockBlobClient(name).uploadData(bytes);
          else {
            const append = container.getAppendBlobClient(name);
            await append.create();
            await append.appendBlock(bytes, bytes.length);
          }
        }
      }
    });
  });
});
