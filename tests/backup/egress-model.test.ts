import { strict as assert } from "node:assert";
import { egressPerDay } from "../../backup/bench/egress-model";

describe("bytes shipped per day model", () => {
  it("charges the seed 288 compressed dumps and the agent one dump plus the binlog of the changes", () => {
    const gib = 1024 ** 3;
    const model = egressPerDay({
      databaseBytes: gib,
      compressionRatio: 0.25,
      changePerHour: 0.01,
      binlogBytesPerChangedByte: 2,
      seedDumpsPerDay: 288,
      agentDumpsPerDay: 1,
    });
    assert.equal(model.seedBytesPerDay, 72 * gib);
    assert.equal(model.agentFullBytesPerDay, 0.25 * gib);
    assert.ok(Math.abs(model.agentBinlogBytesPerDay - 0.48 * gib) < 1);
    assert.ok(Math.abs(model.ratio - 72 / 0.73) < 1e-9);
  });

  it("loses its advantage when everything changes every hour, as it should", () => {
    const model = egressPerDay({ databaseBytes: 1e9, compressionRatio: 0.25, changePerHour: 1, binlogBytesPerChangedByte: 2, seedDumpsPerDay: 288, agentDumpsPerDay: 1 });
    assert.ok(model.ratio < 2);
  });
});
