import { strict as assert } from "node:assert";
import { createServer, Server } from "node:http";
import { ContainerClient } from "@azure/storage-blob";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "./fixture";

async function secondBoundary(): Promise<void> {
  // Binlog timestamps have one-second resolution: step past the current second.
  await new Promise((resolve) => setTimeout(resolve, 1_100 - (Date.now() % 1_000)));
}

describe("backup agent and restore tool (real MariaDB and Azurite)", function () {
  this.timeout(120_000);
  let dr: DrFixture;

  before(async () => {
    dr = await DrFixture.start();
  });

  after(async () => {
    await dr?.destroy();
  });

  it("restores the newest full backup plus shipped binlogs to a database identical to the primary", async () => {
    await dr.onPrimary((c) => createSchema(c, "shop"));
    await dr.onPrimary((c) => writeBatch(c, "shop", 20, "before-backup"));
    const agent = dr.startAgent("basic", "shop");
    try {
      await dr.waitFullBackup("basic");
      await dr.onPrimary((c) => writeBatch(c, "shop", 60, "after-backup"));
      await dr.onPrimary((c) => c.query("ALTER TABLE shop.items ADD COLUMN extra INT DEFAULT 7"));
      await dr.onPrimary((c) => writeBatch(c, "shop", 10, "after-ddl"));
      await dr.waitCaughtUp("basic");
      assert.equal(await agent.stop(), 0, agent.output());
    } finally {
      await agent.stop();
    }
    const run = await dr.restore("basic");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("shop"), await dr.primaryDigest("shop"));
    const result = run.result!;
    assert.ok(result.binlogFiles >= 1);
    assert.deepEqual(result.skippedBackups, []);
    assert.ok(Date.parse(result.recoveredTo!.time) >= Date.parse(result.snapshotAt!), "recovery point is at or after the snapshot");
    assert.deepEqual(result.phases.map((phase) => phase.name), ["catalog", "fetch-binlogs", "filter-binlogs", "load-schema", "load-data", "load-post", "check-dump", "replay-binlogs", "verify", "swap"]);
  });

  it("refuses to overwrite a non-empty target without --replace, changing nothing, and replaces it with --replace", async () => {
    await dr.onTarget((c) => c.query("INSERT INTO shop.items (name) VALUES ('written on the target after restore')"));
    const before = await dr.targetDigest("shop");
    const refused = await dr.restore("basic");
    assert.equal(refused.code, 2);
    assert.match(refused.result!.error!, /refusing to overwrite the target: database `shop` exists with 1 table\(s\).*--replace/);
    assert.deepEqual(await dr.targetDigest("shop"), before);
    const replaced = await dr.restore("basic", ["--replace"]);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.deepEqual(await dr.targetDigest("shop"), await dr.primaryDigest("shop"));
  });

  it("restores to a point in time with --until and reports the recovery point", async () => {
    await dr.onPrimary((c) => createSchema(c, "pitr"));
    const agent = dr.startAgent("pitr", "pitr");
    let expected: Awaited<ReturnType<DrFixture["primaryDigest"]>>;
    let until: Date;
    try {
      await dr.waitFullBackup("pitr");
      await dr.onPrimary((c) => writeBatch(c, "pitr", 30, "early"));
      await secondBoundary();
      expected = await dr.primaryDigest("pitr");
      until = new Date();
      await secondBoundary();
      await dr.onPrimary((c) => writeBatch(c, "pitr", 30, "late"));
      await dr.waitCaughtUp("pitr");
    } finally {
      await agent.stop();
    }
    const run = await dr.restore("pitr", ["--until", until.toISOString()]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(await dr.targetDigest("pitr"), expected);
    assert.notDeepEqual(expected, await dr.primaryDigest("pitr"));
    assert.ok(Date.parse(run.result!.recoveredTo!.time) < until.getTime());
  });

  it("ships across binlog rotations and append-blob segments, sealing closed files", async () => {
    await dr.onPrimary((c) => createSchema(c, "rot"));
    const agent = dr.startAgent("rot", "rot", { DR_SEGMENT_MAX_BLOCKS: "2" });
    try {
      await dr.waitFullBackup("rot");
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) {
          await dr.onPrimary((c) => writeBatch(c, "rot", 5, `r${round}-${i}`));
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        await dr.onPrimary((c) => c.query("FLUSH BINARY LOGS"));
      }
      await dr.waitCaughtUp("rot");
    } finally {
      await agent.stop();
    }
    const names: string[] = [];
    for await (const blob of dr.azurite.adminClient().getContainerClient(CONTAINER).listBlobsFlat({ prefix: "rot/binlog/" })) names.push(blob.name);
    assert.ok(names.filter((name) => name.endsWith("/seal.json")).length >= 3, names.join("\n"));
    assert.ok(names.some((name) => name.endsWith("/seg-000002")), "a file spans more than one segment");
    const run = await dr.restore("rot");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.result!.binlogFiles >= 4);
    assert.deepEqual(await dr.targetDigest("rot"), await dr.primaryDigest("rot"));
  });

  it("gives the agent a SAS that can add backups but not read, list or delete them", async () => {
    const agentSas = dr.agentBlob("basic/");
    const container = new ContainerClient(`${agentSas.containerUrl}?${agentSas.sas}`);
    const names: string[] = [];
    for await (const blob of dr.azurite.adminClient().getContainerClient(CONTAINER).listBlobsFlat({ prefix: "basic/full/" })) names.push(blob.name);
    const manifest = names.find((name) => name.endsWith("manifest.json"))!;
    await assert.rejects(container.getBlobClient(manifest).downloadToBuffer(), (error: { statusCode?: number }) => error.statusCode === 403);
    await assert.rejects(container.getBlobClient(manifest).delete(), (error: { statusCode?: number }) => error.statusCode === 403);
    await assert.rejects(container.listBlobsFlat().next(), (error: { statusCode?: number }) => error.statusCode === 403);
    const restoreSas = dr.restoreBlob("basic/");
    const reader = new ContainerClient(`${restoreSas.containerUrl}?${restoreSas.sas}`);
    await assert.rejects(reader.getBlockBlobClient("basic/full/x").upload("x", 1), (error: { statusCode?: number }) => error.statusCode === 403);
  });

  it("keeps passwords and SAS signatures out of its logs, and publishes its lag to CloudWatch", async () => {
    const bodies: string[] = [];
    const server: Server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
      request.on("end", () => {
        bodies.push(`${request.headers["content-type"] ?? ""} ${body}`);
        response.writeHead(200, { "content-type": "text/xml" }).end("<PutMetricDataResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></PutMetricDataResponse>");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await dr.onPrimary((c) => createSchema(c, "secrets"));
    const agent = dr.startAgent("secrets", "secrets", {
      DR_CLOUDWATCH_NAMESPACE: "MulticloudDr",
      DR_CLOUDWATCH_REGION: "ap-northeast-2",
      DR_CLOUDWATCH_ENDPOINT: `http://127.0.0.1:${port}`,
      DR_CLOUDWATCH_INTERVAL: "1s",
      DR_CLOUDWATCH_STREAM: "petclinic",
      AWS_ACCESS_KEY_ID: "AKIATESTTESTTEST",
      AWS_SECRET_ACCESS_KEY: "test-secret-access-key",
    });
    try {
      await dr.waitFullBackup("secrets");
      await dr.onPrimary((c) => writeBatch(c, "secrets", 5, "s"));
      await dr.waitCaughtUp("secrets");
      const deadline = Date.now() + 10_000;
      while (!bodies.some((body) => body.includes("BinlogShipLagSeconds")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await agent.stop();
      server.close();
    }
    assert.ok(bodies.some((body) => body.includes("BinlogShipLagSeconds") && body.includes("MulticloudDr") && body.includes("petclinic")), bodies.join("\n"));
    const signature = new URLSearchParams(dr.agentBlob("secrets/").sas).get("sig")!;
    const log = agent.output();
    assert.match(log, /full backup finished/);
    assert.ok(!log.includes("agent-secret"), "the MySQL password is not logged");
    assert.ok(!log.includes(signature) && !log.includes(encodeURIComponent(signature)), "the SAS signature is not logged");
  });
});
