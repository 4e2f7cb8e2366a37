import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { BINLOG_MAGIC, BinlogCorruptError, EventType, readBinlogFormat, scanBinlogFile, scanEvents } from "../../backup/lib/binlog-events";
import { compareBinlogNames, nextBinlogName, parseBinlogName } from "../../backup/lib/binlog-names";

/** Builds one v4 event with a CRC32 trailer at `offset`. */
function event(offset: number, type: number, timestamp: number, body: Buffer): Buffer {
  const size = 19 + body.length + 4;
  const header = Buffer.alloc(19);
  header.writeUInt32LE(timestamp, 0);
  header.writeUInt8(type, 4);
  header.writeUInt32LE(1, 5);
  header.writeUInt32LE(size, 9);
  header.writeUInt32LE(offset + size, 13);
  const withoutCrc = Buffer.concat([header, body]);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, trailer]);
}

function formatDescription(): Buffer {
  const body = Buffer.alloc(2 + 50 + 4 + 1 + 10 + 1);
  body.writeUInt16LE(4, 0);
  body.write("10.11.19-MariaDB-test", 2, "latin1");
  body.writeUInt8(19, 56);
  body.writeUInt8(1, body.length - 1); // checksum algorithm: CRC32
  return event(4, EventType.FORMAT_DESCRIPTION, 1_700_000_000, body);
}

function query(offset: number, timestamp: number, sql: string): Buffer {
  const post = Buffer.alloc(13);
  const body = Buffer.concat([post, Buffer.from("db\0", "latin1"), Buffer.from(sql, "latin1")]);
  body.writeUInt8(2, 8); // database name length
  return event(offset, EventType.QUERY, timestamp, body);
}

function buildFile(): { bytes: Buffer; ends: number[] } {
  const parts: Buffer[] = [BINLOG_MAGIC, formatDescription()];
  const ends: number[] = [];
  let offset = BINLOG_MAGIC.length + parts[1].length;
  ends.push(offset);
  for (const [timestamp, sql] of [
    [1_700_000_001, "BEGIN"],
    [1_700_000_001, "INSERT INTO t VALUES (1)"],
    [1_700_000_002, "COMMIT"],
  ] as const) {
    const next = query(offset, timestamp, sql);
    parts.push(next);
    offset += next.length;
    ends.push(offset);
  }
  const xid = event(offset, EventType.XID, 1_700_000_003, Buffer.alloc(8));
  parts.push(xid);
  ends.push(offset + xid.length);
  return { bytes: Buffer.concat(parts), ends };
}

describe("binlog event scanning", () => {
  it("reads the format description and finds every complete event with its timestamp and kind", () => {
    const { bytes, ends } = buildFile();
    const format = readBinlogFormat(bytes);
    assert.deepEqual(format, { checksums: true, serverVersion: "10.11.19-MariaDB-test" });
    const { events, end } = scanEvents(bytes.subarray(4), 4, format!);
    assert.equal(end, bytes.length);
    assert.deepEqual(events.map((e) => e.offset + e.size), ends);
    assert.deepEqual(events.map((e) => e.endsTransaction), [false, false, true, true, true]);
    assert.equal(events[4].timestamp, 1_700_000_003);
  });

  it("stops before an event that has not fully arrived", () => {
    const { bytes, ends } = buildFile();
    const format = readBinlogFormat(bytes)!;
    const cut = bytes.subarray(4, ends[2] + 7);
    const { events, end } = scanEvents(cut, 4, format);
    assert.equal(events.length, 3);
    assert.equal(end, ends[2]);
  });

  it("rejects a flipped byte with the offset of the damaged event", () => {
    const { bytes, ends } = buildFile();
    const damaged = Buffer.from(bytes);
    damaged[ends[1] + 25] ^= 0xff;
    assert.throws(() => scanEvents(damaged.subarray(4), 4, readBinlogFormat(damaged)!), (error: unknown) => {
      assert.ok(error instanceof BinlogCorruptError);
      assert.equal(error.offset, ends[1]);
      assert.match(error.message, /CRC32 checksum mismatch/);
      return true;
    });
  });

  it("rejects an event whose recorded end position disagrees with where it ends", () => {
    const { bytes, ends } = buildFile();
    const shifted = Buffer.concat([bytes.subarray(0, ends[0]), bytes.subarray(ends[1])]);
    assert.throws(() => scanEvents(shifted.subarray(4), 4, readBinlogFormat(shifted)!), /claims to end at/);
  });

  it("rejects a file without the binlog magic number", () => {
    assert.throws(() => readBinlogFormat(Buffer.from("not a binlog at all, really")), /missing binlog magic/);
  });

  it("summarises a file on disk: last commit, replay window and trailing partial event", async () => {
    const { bytes, ends } = buildFile();
    const dir = await fs.mkdtemp(join(tmpdir(), "binlog-test-"));
    try {
      const path = join(dir, "mysql-bin.000001");
      await fs.writeFile(path, Buffer.concat([bytes, Buffer.from([1, 2, 3])]));
      const whole = await scanBinlogFile(path);
      assert.equal(whole.end, bytes.length);
      assert.equal(whole.trailingPartialEvent, true);
      assert.deepEqual(whole.lastCommit, { offset: ends[3], end: ends[4], timestamp: 1_700_000_003 });
      const window = await scanBinlogFile(path, undefined, { stopAt: 1_700_000_003 });
      assert.equal(window.reachedStop, true);
      assert.equal(window.lastAppliedCommit?.end, ends[3]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("binlog file names", () => {
  it("orders by sequence number and names the next file with the same width", () => {
    assert.deepEqual(parseBinlogName("mysql-bin.000042"), { base: "mysql-bin", index: 42, width: 6 });
    assert.equal(nextBinlogName("mysql-bin.000999"), "mysql-bin.001000");
    assert.equal(nextBinlogName("binlog.999999"), "binlog.1000000");
    assert.ok(compareBinlogNames("binlog.999999", "binlog.1000000") < 0);
    assert.throws(() => parseBinlogName("../etc/passwd.000001"), /not a binlog file name/);
  });
});
