import { strict as assert } from "node:assert";
import { ContainerClient } from "@azure/storage-blob";
import { AgentProcess, agentEnvironment, waitFor } from "../../backup/harness/cli-process";
import { DEFAULT_LEASE_SECONDS, leaseOptionsFromEnvironment } from "../../backup/agent/lease";
import { BlobLayout } from "../../backup/lib/blob-layout";
import { catalogByRecoveryPoint } from "../../backup/restore/catalog";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "./fixture";

describe("writer lease settings", () => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ DR_LEASE_SECONDS: "10" }, /DR_LEASE_SECONDS: "10" is not a whole number of seconds from 15 to 60/],
    [{ DR_LEASE_SECONDS: "61" }, /DR_LEASE_SECONDS: "61" .*15 to 60/],
    [{ DR_LEASE_SECONDS: "-1" }, /DR_LEASE_SECONDS: "-1" .*15 to 60/],
    [{ DR_LEASE_SECONDS: "30s" }, /DR_LEASE_SECONDS: "30s" .*whole number/],
    [{ DR_TAKE_OVER: "yes" }, /DR_TAKE_OVER: "yes" is not valid; set it to "wait"/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => assert.throws(() => leaseOptionsFromEnvironment(env), message));
  }

  it("defaults to a 60 s lease and refusing at once", () => {
    assert.deepEqual(leaseOptionsFromEnvironment({}), { seconds: DEFAULT_LEASE_SECONDS, waitForExpiry: false });
    assert.equal(DEFAULT_LEASE_SECONDS, 60);
    assert.deepEqual(leaseOptionsFromEnvironment({ DR_LEASE_SECONDS: "15", DR_TAKE_OVER: "wait" }), { seconds: 15, waitForExpiry: true });
  });
});

describe("one writer per prefix, and restore picks the chain that reaches furthest (real MariaDB and Azurite)", function () {
  this.timeout(180_000);
  let dr: DrFixture;

  before(async () => {
    dr = await DrFixture.start();
  });

  after(async () => {
    await dr?.destroy();
  });

  /** An agent writing under `prefix/` with its own state dir `name`, as a second install on another host would. */
  function startAgent(name: string, prefix: string, database: string, extra: Record<string, string> = {}): AgentProcess {
    return AgentProcess.start(
      agentEnvironment(dr.primary.agentEndpoint, dr.agentBlob(`${prefix}/`), [database], dr.stateDir(name), {
        DR_BACKOFF_MIN: "100ms",
        DR_BACKOFF_MAX: "1s",
        DR_SHIP_INTERVAL: "100ms",
        DR_STALL_TIMEOUT: "3s",
        DR_LEASE_SECONDS: "15",
        DR_BINLOG_SERVER_ID: String(7000 + [...name].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 100_000, 0)),
        ...extra,
      }),
    );
  }

  async function exitCode(agent: AgentProcess): Promise<number | null> {
    await waitFor("the agent to exit", 60_000, () => !agent.running);
    return agent.stop();
  }

  async function epochsUnder(prefix: string): Promise<string[]> {
    const epochs = new Set<string>();
    for await (const blob of dr.azurite.adminClient().getContainerClient(CONTAINER).listBlobsFlat({ prefix: `${prefix}/binlog/` })) {
      epochs.add(blob.name.split("/")[2]);
    }
    return [...epochs];
  }

  it("refuses a second agent on the same prefix with a message naming the lease and how to take over; the first keeps shipping", async () => {
    await dr.onPrimary((c) => createSchema(c, "single"));
    const first = startAgent("single-a", "single", "single");
    try {
      await dr.waitFullBackup("single-a");
      const second = startAgent("single-b", "single", "single");
      assert.equal(await exitCode(second), 1, second.output());
      assert.match(second.output(), /another backup agent holds the writer lease on \S+\/single\/agent\.lease/);
      assert.match(second.output(), new RegExp(`state dir ${dr.stateDir("single-b").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      assert.match(second.output(), /expires at most 15 s after its last renewal.*DR_TAKE_OVER=wait/);
      await dr.onPrimary((c) => writeBatch(c, "single", 30, "while-refused"));
      await dr.waitCaughtUp("single-a");
      assert.equal((await epochsUnder("single")).length, 1, "the refused agent started no chain");
      assert.equal(first.running, true);
    } finally {
      await first.stop();
    }
    const run = await dr.restore("single");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("single"), await dr.primaryDigest("single"));
  });

  it("lets a new agent take over a stale lease once it expires (DR_TAKE_OVER=wait), and fences an agent whose lease was taken", async () => {
    await dr.onPrimary((c) => createSchema(c, "stale"));
    const first = startAgent("stale-a", "stale", "stale");
    await dr.waitFullBackup("stale-a");
    await first.kill();
    const second = startAgent("stale-b", "stale", "stale", { DR_TAKE_OVER: "wait" });
    try {
      await dr.waitFullBackup("stale-b");
      assert.match(second.output(), /writer lease taken/);
      // Someone with a delete-capable credential breaks the lease and a new holder takes it: the agent must stop writing.
      const lease = dr.azurite.adminClient().getContainerClient(CONTAINER).getBlobClient("stale/agent.lease");
      await lease.getBlobLeaseClient().breakLease(0);
      await lease.getBlobLeaseClient().acquireLease(60);
      assert.equal(await exitCode(second), 1, second.output());
      assert.match(second.output(), /lost the writer lease on stale\/agent\.lease.*another agent took over this prefix/);
    } finally {
      await second.stop();
    }
  });

  it("restores from the chain that reaches the latest recovery point, not the one with the newest full backup, and notes the other", async () => {
    await dr.onPrimary((c) => createSchema(c, "choice"));
    await dr.onPrimary((c) => writeBatch(c, "choice", 20, "before"));
    let live = startAgent("choice-a", "choice", "choice");
    try {
      await dr.waitFullBackup("choice-a");
      await dr.onPrimary((c) => writeBatch(c, "choice", 20, "a1"));
      await dr.waitCaughtUp("choice-a");
      assert.equal(await live.stop(), 0, live.output());
      const other = startAgent("choice-b", "choice", "choice");
      try {
        await dr.waitFullBackup("choice-b");
        await dr.onPrimary((c) => writeBatch(c, "choice", 10, "b"));
        await dr.waitCaughtUp("choice-b");
      } finally {
        assert.equal(await other.stop(), 0, other.output());
      }
      live = startAgent("choice-a", "choice", "choice");
      await waitFor("the first agent to take the lease again", 30_000, () => /writer lease taken/.test(live.output()));
      await dr.onPrimary((c) => writeBatch(c, "choice", 30, "a2"));
      await dr.waitCaughtUp("choice-a");
    } finally {
      await live.stop();
    }
    const liveStatus = (await dr.status("choice-a"))!;
    const deadStatus = (await dr.status("choice-b"))!;
    assert.ok(deadStatus.fullBackup.last!.backupId > liveStatus.fullBackup.last!.backupId, "the dead chain has the newer full backup");
    const sas = dr.restoreBlob("choice/");
    const choice = await catalogByRecoveryPoint(new ContainerClient(`${sas.containerUrl}?${sas.sas}`), new BlobLayout(sas.prefix));
    const run = await dr.restore("choice");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.result!.epoch, liveStatus.epoch, choice.notes.join("\n"));
    assert.deepEqual(await dr.targetDigest("choice"), await dr.primaryDigest("choice"));
    assert.match(choice.notes[0], new RegExp(`^chain ${liveStatus.epoch} chosen \\(backup ${liveStatus.fullBackup.last!.backupId}\\): it reaches the latest recovery point`));
    assert.ok(
      choice.notes.some((note) =>
        note.startsWith(`chain ${deadStatus.epoch} not used (backup ${deadStatus.fullBackup.last!.backupId}, although its full backup is newer): older recovery point`),
      ),
      choice.notes.join("\n"),
    );
  });
});
