import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { ContainerClient } from "@azure/storage-blob";
import { BinlogShipper } from "../../backup/agent/shipper";
import { Spool } from "../../backup/agent/spool";
import { AgentState, StateStore, cursorAt } from "../../backup/agent/state";
import { AzuriteInstance } from "../../backup/harness/azurite-instance";
import { BINLOG_MAGIC } from "../../backup/lib/binlog-events";
import { BlobLayout } from "../../backup/lib/blob-layout";
import { silentLogger } from "../../backup/lib/log";

function event(offset: number, type: number, body: Buffer): Buffer {
  const size = 19 + body.length + 4;
  const header = Buffer.alloc(19);
  header.writeUInt32LE(1_700_000_000 + offset, 0);
  header.writeUInt8(type, 4);
  header.writeUInt32LE(size, 9);
  header.writeUInt32LE(offset + size, 13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(Buffer.concat([header, body])), 0);
  return Buffer.concat([header, body, crc]);
}

/** A syntactically valid binlog of `count` XID events after a format description. */
function binlog(count: number): Buffer {
  const fde = Buffer.alloc(68);
  fde.writeUInt16LE(4, 0);
  fde.write("test", 2);
  fde.writeUInt8(1, fde.length - 1);
  const parts = [BINLOG_MAGIC, event(4, 15, fde)];
  let offset = 4 + parts[1].length;
  for (let i = 0; i < count; i++) {
    const next = event(offset, 16, Buffer.alloc(8, i));
    parts.push(next);
    offset += next.length;
  }
  return Buffer.concat(parts);
}

describe("binlog shipper exactly-once protocol (real Azurite)", function () {
  this.timeout(60_000);
  let azurite: AzuriteInstance;
  let work: string;
  let container: ContainerClient;

  before(async () => {
    work = await fs.mkdtemp(join(tmpdir(), "shipper-test-"));
    azurite = await AzuriteInstance.start(work);
    const settings = await azurite.containerWithSas("ship", "caw");
    container = new ContainerClient(`${settings.containerUrl}?${settings.sas}`);
  });

  after(async () => {
    await azurite?.destroy();
    await fs.rm(work, { recursive: true, force: true });
  });

  async function setup(name: string, bytes: Buffer) {
    const dir = join(work, name);
    const spool = new Spool(join(dir, "spool"));
    await fs.mkdir(spool.runDir(1), { recursive: true });
    await fs.writeFile(join(spool.runDir(1), "mysql-bin.000001"), bytes);
    const state: AgentState = {
      formatVersion: 1,
      epoch: name,
      epochStartFile: "mysql-bin.000001",
      epochCreatedAt: new Date().toISOString(),
      epochInfoWritten: true,
      cursor: cursorAt("mysql-bin.000001"),
      nextRun: 2,
      sealedFiles: 0,
    };
    const store = new StateStore(dir);
    const layout = new BlobLayout("");
    const shipper = () => new BinlogShipper(container, layout, store, state, spool, silentLogger, 3, () => undefined);
    const shipped = async () => {
      const admin = azurite.adminClient().getContainerClient("ship");
      const parts: Buffer[] = [];
      for (let segment = 1; ; segment++) {
        const blob = admin.getBlobClient(layout.binlogSegment(name, "mysql-bin.000001", segment));
        if (!(await blob.exists())) break;
        parts.push(await blob.downloadToBuffer());
      }
      return Buffer.concat(parts);
    };
    return { state, shipper, shipped, store, spool };
  }

  it("resends a pending append after a crash without duplicating bytes that had already landed", async () => {
    const bytes = binlog(40);
    const { state, shipper, shipped } = await setup("landed", bytes.subarray(0, 4 + 91 + 31 * 10));
    await shipper().tick();
    const firstPass = state.cursor.shippedBytes;
    assert.deepEqual(await shipped(), bytes.subarray(0, firstPass));
    // Simulate a crash after the service accepted the last append but before the state recorded it.
    const lastLength = 31 * 10;
    state.cursor.shippedBytes -= lastLength;
    state.cursor.segmentBlocks -= 1;
    state.cursor.pending = { segment: state.cursor.segment, segmentOffset: state.cursor.shippedBytes - state.cursor.segmentStart, length: lastLength };
    await shipper().tick();
    assert.equal(state.cursor.pending, undefined);
    assert.equal(state.cursor.shippedBytes, firstPass);
    assert.deepEqual(await shipped(), bytes.subarray(0, firstPass), "no duplicate bytes");
  });

  it("resends a pending append that never landed, then continues; rolls over to new segments", async () => {
    const bytes = binlog(100);
    const { state, shipper, shipped, spool } = await setup("lost", bytes.subarray(0, 500));
    await shipper().tick();
    const before = state.cursor.shippedBytes;
    await fs.writeFile(join(spool.runDir(1), "mysql-bin.000001"), bytes.subarray(0, before + 31));
    // The crash came before the append reached the service: the pending record is all that is left.
    state.cursor.pending = { segment: state.cursor.segment, segmentOffset: before - state.cursor.segmentStart, length: 31 };
    for (let end = before + 31 * 4; end <= bytes.length; end += 31 * 7) {
      await shipper().tick();
      await fs.writeFile(join(spool.runDir(1), "mysql-bin.000001"), bytes.subarray(0, end));
    }
    await fs.writeFile(join(spool.runDir(1), "mysql-bin.000001"), bytes);
    await shipper().tick();
    assert.equal(state.cursor.shippedBytes, bytes.length);
    assert.ok(state.cursor.segment >= 2, "more than one segment");
    assert.deepEqual(await shipped(), bytes);
  });

  it("never ships a partial event and seals a file once the next one appears", async () => {
    const bytes = binlog(10);
    const { state, shipper, shipped, spool } = await setup("seal", bytes.subarray(0, bytes.length - 5));
    await shipper().tick();
    assert.equal(state.cursor.shippedBytes, bytes.length - 31, "the incomplete last event stays local");
    await fs.writeFile(join(spool.runDir(1), "mysql-bin.000001"), bytes);
    await fs.writeFile(join(spool.runDir(1), "mysql-bin.000002"), binlog(0));
    await shipper().tick();
    assert.equal(state.sealedFiles, 1);
    assert.equal(state.lastSealed?.size, bytes.length);
    assert.equal(state.cursor.file, "mysql-bin.000002");
    assert.deepEqual(await shipped(), bytes);
  });
});
