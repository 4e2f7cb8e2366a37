import * as assert from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BinlogStreamer } from "../../backup/agent/streamer";
import { Spool } from "../../backup/agent/spool";
import { MysqlTools } from "../../backup/lib/mysql-tools";
import { silentLogger } from "../../backup/lib/log";

describe("binlog reader supervisor", () => {
  it("keeps restarting a reader that exits at once (source down), never waiting on a missed exit", async () => {
    const spool = new Spool(mkdtempSync(join(tmpdir(), "spool-")));
    // `false` exits with code 1 immediately, as the real reader does when the source refuses connections.
    const tools = { flavor: "mariadb", binlog: "false", serverIdOption: "--server-id" } as unknown as MysqlTools;
    let run = 0;
    const streamer = new BinlogStreamer({
      source: { host: "127.0.0.1", port: 1, user: "nobody", tls: { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" } },
      tools,
      spool,
      serverId: 4242,
      backoffMinMs: 5,
      backoffMaxMs: 10,
      log: silentLogger,
      nextRun: () => ++run,
      startFile: async () => "mysql-bin.000001",
    });
    streamer.start();
    const deadline = Date.now() + 20_000;
    while (streamer.status().restarts < 20 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    // Read before stop(): stopping may kill a reader that had just started (SIGTERM), which says nothing about the runs before.
    const { restarts, lastExit } = streamer.status();
    await streamer.stop();
    assert.ok(restarts >= 20, `only ${restarts} restarts: a run is stuck`);
    assert.strictEqual(lastExit, "code 1");
  });
});
