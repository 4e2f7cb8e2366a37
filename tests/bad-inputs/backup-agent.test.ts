import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { AgentStatus } from "../../backup/agent/status";
import { SPOOL_MIN_FREE_BYTES } from "../../backup/agent/streamer";
import { AgentProcess, agentEnvironment, cliCommand, readAgentStatus, waitFor } from "../../backup/harness/cli-process";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "../backup/fixture";

/**
 * The backup agent and `mysql-dr status` given bad input: one row per input, each asserting how the
 * process ends (an exit code, or "runs": it keeps running and retrying) and a message fragment that
 * names the thing, the cause and the fix. Real MariaDB and Azurite, started once for the file.
 */

/** How a row's process ended: its exit code, or "runs" when it was still running after saying why. */
type Ending = number | "runs";

interface Outcome {
  ending: Ending;
  output: string;
}

interface Row {
  name: string;
  /** Does the bad thing and reports how the agent (or status) ended and what it said. */
  run: () => Promise<Outcome>;
  ending: Ending;
  message: RegExp;
  /** Further checks (e.g. nothing lost, logged once). */
  check?: (outcome: Outcome) => Promise<void> | void;
}

const TIMINGS = { DR_BACKOFF_MIN: "100ms", DR_BACKOFF_MAX: "1s", DR_SHIP_INTERVAL: "100ms", DR_STALL_TIMEOUT: "3s", DR_LEASE_SECONDS: "15" };
/** A config that passes validation but points nowhere real (config-only rows never connect). */
const OFFLINE_ENV: Record<string, string> = {
  DR_MYSQL_HOST: "db.example.com",
  DR_MYSQL_USER: "dr_agent",
  DR_MYSQL_SSL_CA: "/etc/ssl/certs/ca-certificates.crt",
  DR_DATABASES: "shop",
  DR_BLOB_CONTAINER_URL: "https://acct.blob.core.windows.net/mysql-backups",
  DR_BLOB_SAS: "sv=2022-11-02&sp=caw&se=2099-01-01T00:00:00Z&sig=abc",
  DR_STATE_DIR: "/nonexistent/mysql-dr-bad-inputs",
};

function cleanEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("DR_"))), ...env };
}

/** Runs `mysql-dr <args>` to completion (60 s at most) with only `env`'s DR_ variables. */
function cli(args: string[], env: Record<string, string>): Promise<Outcome> {
  const { command, args: prefix } = cliCommand();
  const child = spawn(command, [...prefix, ...args], { env: cleanEnvironment(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ ending: code ?? -1, output });
    }),
  );
}

/** Starts an agent expected to exit by itself; kills it after 45 s (the row then fails on "runs"). */
async function agentUntilExit(env: Record<string, string>): Promise<Outcome> {
  const agent = AgentProcess.start(env);
  try {
    await waitFor("the agent to exit", 45_000, () => !agent.running);
  } catch {
    await agent.stop();
    return { ending: "runs", output: agent.output() };
  }
  return { ending: (await agent.stop()) ?? -1, output: agent.output() };
}

/** Starts an agent expected to keep running; waits until its log matches `said`, then stops it. */
async function agentUntilSaid(env: Record<string, string>, said: RegExp, timeoutMs = 30_000): Promise<Outcome> {
  const agent = AgentProcess.start(env);
  try {
    await waitFor(`the agent to log ${said}`, timeoutMs, () => said.test(agent.output()) || !agent.running);
    return { ending: agent.running ? "runs" : agent.child.exitCode ?? -1, output: agent.output() };
  } catch {
    return { ending: agent.running ? "runs" : agent.child.exitCode ?? -1, output: agent.output() };
  } finally {
    await agent.stop();
  }
}

/** Runs `work` once however many rows ask for it. */
function once<T>(work: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= work());
}

describe("bad inputs: backup agent and `mysql-dr status` (real MariaDB and Azurite)", function () {
  this.timeout(120_000);
  let dr: DrFixture;
  const cleanups: Array<() => Promise<void>> = [];
  const mounts: string[] = [];

  before(async () => {
    dr = await DrFixture.start();
    await dr.onPrimary(async (c) => {
      await createSchema(c, "shop");
      await createSchema(c, "billing");
      await createSchema(c, "full");
      await createSchema(c, "dropped");
    });
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const mount of mounts) {
      try {
        execFileSync("umount", [mount]);
      } catch {
        // Already unmounted.
      }
    }
    await dr?.destroy();
  });

  /** Agent environment for `name` (its own prefix and state dir) against the real primary. */
  function env(name: string, extra: Record<string, string> = {}, databases = ["shop"]): Record<string, string> {
    return agentEnvironment(dr.primary.agentEndpoint, dr.agentBlob(`${name}/`), databases, dr.stateDir(name), {
      ...TIMINGS,
      DR_BINLOG_SERVER_ID: String(8000 + [...name].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 100_000, 0)),
      ...extra,
    });
  }

  /** A tmpfs of `size` mounted in the work dir (unmounted in after()). */
  async function tmpfs(name: string, options: string): Promise<string> {
    const dir = join(dr.work, name);
    await fs.mkdir(dir, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "pipe" });
    } catch (error) {
      throw new Error(`this row mounts a small tmpfs and needs root (run the suite as root, as .ci/run does): ${(error as Error).message}`);
    }
    mounts.push(dir);
    return dir;
  }

  /** A healthy agent on prefix "main/" backing up `shop`, running for the rest of the file once started. */
  const mainAgent = once(async () => {
    const agent = AgentProcess.start(env("main"));
    cleanups.push(async () => void (await agent.stop()));
    await dr.waitFullBackup("main");
    return agent;
  });

  /**
   * A second agent (own state dir and prefix, so the lease does not stop it) reading the same source
   * with main's DR_BINLOG_SERVER_ID: the two readers knock each other off.
   */
  const collision = once(async () => {
    const main = await mainAgent();
    const serverId = env("main").DR_BINLOG_SERVER_ID;
    const twin = AgentProcess.start(env("twin", { DR_BINLOG_SERVER_ID: serverId }));
    cleanups.push(async () => void (await twin.stop()));
    const said = new RegExp(`another binlog reader uses server id ${serverId}`);
    await waitFor("a reader to report the collision", 30_000, () => said.test(main.output()) && said.test(twin.output()));
    const status = await waitFor("the collision in status.json", 10_000, () => {
      const current = readAgentStatus(dr.stateDir("main"));
      return current && said.test(current.streamer.lastError ?? "") ? current : undefined;
    });
    return { main, twin, serverId, status };
  });

  /**
   * An agent backing up `full` whose DR_STATE_DIR is a 9 MiB tmpfs. Its reader runs until a file
   * fills the disk below SPOOL_MIN_FREE_BYTES while rows are written on the source; then the rest
   * is filled, so status.json cannot be written either.
   */
  const fullDisk = once(async () => {
    const stateDir = await tmpfs("full-state", "size=9m");
    const agent = AgentProcess.start({ ...env("full", {}, ["full"]), DR_STATE_DIR: stateDir });
    cleanups.push(async () => void (await agent.stop()));
    await waitFor("the first full backup and a running reader", 30_000, () => {
      const status = readAgentStatus(stateDir);
      return status?.fullBackup.last && status.streamer.running;
    });
    const free = (await fs.statfs(stateDir)).bavail * (await fs.statfs(stateDir)).bsize;
    await fs.writeFile(join(stateDir, "filler-1"), Buffer.alloc(free - 4 * 1024 * 1024));
    await dr.onPrimary((c) => writeBatch(c, "full", 50, "while-full"));
    const spoolError = await waitFor("the reader to stop on the full disk", 30_000, () => {
      const status = readAgentStatus(stateDir);
      return status && !status.streamer.running && /no space left/.test(status.streamer.lastError ?? "") ? status.streamer.lastError : undefined;
    });
    // Fill the disk: the agent can no longer replace status.json.
    await fs.writeFile(join(stateDir, "filler-2"), Buffer.alloc(8 * 1024 * 1024)).catch(() => undefined);
    await waitFor("the status write failure", 10_000, () => /cannot write the agent status/.test(agent.output()));
    const updatedAt = readAgentStatus(stateDir)!.updatedAt;
    // status says "stale" only after 10 s without an update.
    await waitFor("status.json to go stale", 20_000, () => Date.now() - Date.parse(updatedAt) > 11_000);
    return { agent, stateDir, spoolError };
  });

  const rows: Row[] = [
    // Configuration (no server is contacted).
    {
      name: "unknown DR_MYSQL_FLAVOR",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_MYSQL_FLAVOR: "percona" }),
      ending: 1,
      message: /DR_MYSQL_FLAVOR must be one of auto, mysql, mariadb, got "percona"/,
    },
    {
      name: "DR_BLOB_CONTAINER_URL is not a URL",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_BLOB_CONTAINER_URL: "mysql-backups" }),
      ending: 1,
      message: /DR_BLOB_CONTAINER_URL is not a valid URL/,
    },
    {
      name: "SAS without write permission (read/list only)",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_BLOB_SAS: "sv=2022-11-02&sp=rl&se=2099-01-01T00:00:00Z&sig=abc" }),
      ending: 1,
      message: /DR_BLOB_SAS lacks permission\(s\) caw \(sp=rl; this role needs caw\)/,
    },
    {
      name: "expired SAS",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_BLOB_SAS: "sv=2022-11-02&sp=caw&se=2020-01-01T00:00:00Z&sig=abc" }),
      ending: 1,
      message: /DR_BLOB_SAS expired at 2020-01-01T00:00:00Z .*issue a new one/,
    },
    {
      name: "DR_BINLOG_SERVER_ID=0",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_BINLOG_SERVER_ID: "0" }),
      ending: 1,
      message: /DR_BINLOG_SERVER_ID must be an integer from 1 to 4294967295, got "0"/,
    },
    {
      name: "DR_DATABASES names a system schema",
      run: () => cli(["agent"], { ...OFFLINE_ENV, DR_DATABASES: "shop,mysql" }),
      ending: 1,
      message: /DR_DATABASES: mysql is a system schema/,
    },

    // DR_DATABASES against the real source.
    {
      name: "DR_DATABASES names a database the source does not have",
      run: () => agentUntilExit(env("typo", {}, ["shop", "shopp"])),
      ending: 1,
      message: /error: DR_DATABASES names a database the source localhost:\d+ does not have: shopp; the source has: billing, dropped, full, shop\. Correct DR_DATABASES/,
      check: async () => assert.deepEqual(await blobNames("typo/"), [], "no binlog chain or backup was started"),
    },
    {
      name: "DR_DATABASES names two missing databases",
      run: () => agentUntilExit(env("typos", {}, ["shop", "orders", "users"])),
      ending: 1,
      message: /does not have: orders, users; the source has: billing, dropped, full, shop\. Correct DR_DATABASES/,
    },
    {
      name: "a database in DR_DATABASES dropped while the agent runs",
      run: async () => {
        const agent = AgentProcess.start(env("dropped", {}, ["shop", "dropped"]));
        try {
          const first = await dr.waitFullBackup("dropped");
          await dr.onPrimary((c) => c.query("DROP DATABASE dropped"));
          agent.signal("SIGUSR1");
          const error = await waitFor("the next full backup to fail", 30_000, () => readAgentStatus(dr.stateDir("dropped"))?.fullBackup.lastError);
          assert.equal(readAgentStatus(dr.stateDir("dropped"))?.fullBackup.last?.backupId, first, "the last good backup is kept");
          return { ending: agent.running ? "runs" : 1, output: error };
        } finally {
          await agent.stop();
        }
      },
      ending: "runs",
      message: /^DR_DATABASES names dropped, which the source localhost:\d+ does not have \(any more\): correct DR_DATABASES and restart the agent \(mariadb-dump: .*Unknown database 'dropped'/,
    },

    // The source.
    {
      name: "wrong source password",
      run: () => agentUntilSaid({ ...env("badpass"), DR_MYSQL_PASSWORD: "not-the-password" }, /retrying/),
      ending: "runs",
      // The wording of the source's refusal is explain-error.ts's (or the server's own before it).
      message: /refused user 'dr_agent' \(DR_MYSQL_USER, DR_MYSQL_PASSWORD.*access denied|Access denied for user 'dr_agent'/,
    },
    {
      name: "source port closed",
      run: () => agentUntilSaid({ ...env("closed"), DR_MYSQL_PORT: "1" }, /retrying/),
      ending: "runs",
      message: /localhost:1\b.*(ECONNREFUSED|connection refused)/i,
    },

    // The state directory.
    {
      name: "DR_STATE_DIR is a file",
      run: async () => {
        const file = join(dr.work, "state-is-a-file");
        await fs.writeFile(file, "not a directory\n");
        return agentUntilExit({ ...env("file"), DR_STATE_DIR: file });
      },
      ending: 1,
      message: /DR_STATE_DIR \S*state-is-a-file \(or a directory above it\) is a file, not a directory: set DR_STATE_DIR to a directory/,
    },
    {
      name: "DR_STATE_DIR on a read-only file system",
      run: async () => agentUntilExit({ ...env("readonly"), DR_STATE_DIR: join(await tmpfs("readonly-state", "size=64k,ro"), "agent") }),
      ending: 1,
      message: /read-only file system \(DR_STATE_DIR \S*readonly-state\/agent\): set DR_STATE_DIR to a writable directory/,
    },
    {
      name: "corrupt state.json",
      run: async () => {
        await fs.mkdir(dr.stateDir("corrupt"), { recursive: true });
        await fs.writeFile(join(dr.stateDir("corrupt"), "state.json"), '{"formatVersion": 1, "epoch": ');
        return agentUntilExit(env("corrupt"));
      },
      ending: 1,
      message: /state-corrupt\/state\.json is not valid JSON .*move it aside \(the agent then starts a new chain with a full backup\)/,
    },

    // Two agents.
    {
      name: "second agent on the same prefix (writer lease)",
      run: async () => {
        await mainAgent();
        return agentUntilExit({ ...env("main"), DR_STATE_DIR: dr.stateDir("main-second") });
      },
      ending: 1,
      message: /another backup agent holds the writer lease on \S+\/main\/agent\.lease/,
      check: async () => assert.equal((await mainAgent()).running, true, "the first agent keeps running"),
    },
    {
      name: "second agent with the same DR_BINLOG_SERVER_ID: logged by both",
      run: async () => {
        const { main, twin } = await collision();
        return { ending: main.running && twin.running ? "runs" : 1, output: main.output() + twin.output() };
      },
      ending: "runs",
      message: /ERROR binlog reader cannot run error="another binlog reader uses server id \d+ on localhost:\d+: give each agent its own DR_BINLOG_SERVER_ID"/,
    },
    {
      name: "second agent with the same DR_BINLOG_SERVER_ID: status.json streamer.lastError",
      run: async () => {
        const { status } = await collision();
        return { ending: "runs", output: status.streamer.lastError ?? "" };
      },
      ending: "runs",
      message: /^another binlog reader uses server id \d+ on localhost:\d+: give each agent its own DR_BINLOG_SERVER_ID$/,
    },
    {
      name: "second agent with the same DR_BINLOG_SERVER_ID: `mysql-dr status`",
      run: async () => {
        await collision();
        return cli(["status"], { DR_STATE_DIR: dr.stateDir("main") });
      },
      ending: 0,
      message: /reader: .*last error: another binlog reader uses server id \d+ on localhost:\d+: give each agent its own DR_BINLOG_SERVER_ID/,
    },

    // A full disk under DR_STATE_DIR.
    {
      name: "spool disk nearly full: the running reader is stopped (before it would drop events) and says where and how much is free",
      run: async () => {
        const { spoolError } = await fullDisk();
        return { ending: "runs", output: spoolError ?? "" };
      },
      ending: "runs",
      message: new RegExp(`^no space left on \\S*full-state/spool \\(DR_STATE_DIR \\S*full-state, \\d+ bytes free; the binlog reader needs ${SPOOL_MIN_FREE_BYTES}\\): free space or move DR_STATE_DIR`),
    },
    {
      name: "disk full: status.json write failure logged once, naming the file and free bytes",
      run: async () => {
        const { agent } = await fullDisk();
        return { ending: agent.running ? "runs" : 1, output: agent.output() };
      },
      ending: "runs",
      message: /ERROR cannot write the agent status error="no space left on \S*full-state\/status\.json \(DR_STATE_DIR \S*full-state, \d+ bytes free\): free space or move DR_STATE_DIR"/,
      check: ({ output }) => {
        assert.equal(output.match(/cannot write the agent status/g)?.length, 1, "logged once, not every second");
        assert.equal(output.match(/ERROR binlog reader cannot run/g)?.length, 1, "the reader's cause logged once as an error");
      },
    },
    {
      name: "disk full: `mysql-dr status` says the agent runs but cannot write its status",
      run: async () => cli(["status"], { DR_STATE_DIR: (await fullDisk()).stateDir }),
      ending: 1,
      message: /agent pid \d+ is running but has not updated \S*full-state\/status\.json for \d+ s: it cannot write its status \(DR_STATE_DIR \S*full-state: \d+ bytes free\)/,
    },
    {
      name: "disk full, then space freed: the agent resumes by itself and nothing written meanwhile is lost",
      run: async () => {
        const { agent, stateDir } = await fullDisk();
        await dr.onPrimary((c) => writeBatch(c, "full", 20, "after-full"));
        await Promise.all([fs.rm(join(stateDir, "filler-1")), fs.rm(join(stateDir, "filler-2"))]);
        const since = Date.now();
        await waitFor("the agent to catch up after space was freed", 30_000, () => {
          const status = readAgentStatus(stateDir);
          return status && Date.parse(status.lag.caughtUpAt ?? "0") >= since && status.shipping.localUnshippedBytes === 0;
        });
        const ending = agent.running ? "runs" : 1;
        const run = await dr.restore("full");
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.deepEqual(await dr.targetDigest("full"), await dr.primaryDigest("full"), "the restore holds every row written while the disk was full");
        return { ending, output: agent.output() };
      },
      ending: "runs",
      message: /status writes resumed/,
    },
    {
      name: "binlog reader exits with errno 28 (MySQL's mysqlbinlog on a full disk)",
      run: async () => {
        const tool = join(dr.work, "binlog-enospc.sh");
        await fs.writeFile(
          tool,
          [
            "#!/bin/sh",
            'case "$1" in --version|--help) exec mariadb-binlog "$@";; esac',
            `echo "mysqlbinlog: [ERROR] Error writing file '$DR_FAKE_SPOOL' (Errcode: 28 - No space left on device)" >&2`,
            "exit 1",
            "",
          ].join("\n"),
          { mode: 0o755 },
        );
        const agent = AgentProcess.start({ ...env("errno28"), DR_BINLOG_TOOL: tool, DR_FAKE_SPOOL: join(dr.stateDir("errno28"), "spool") });
        cleanups.push(async () => void (await agent.stop()));
        const error = await waitFor("the reader's error in status.json", 30_000, () => readAgentStatus(dr.stateDir("errno28"))?.streamer.lastError);
        return { ending: agent.running ? "runs" : 1, output: error };
      },
      ending: "runs",
      message: /^no space left on \S*state-errno28\/spool \(DR_STATE_DIR \S*state-errno28, \d+ bytes free\): free space or move DR_STATE_DIR \(\S*binlog-enospc\.sh: .*Errcode: 28/,
    },

    // `mysql-dr status` on its own.
    {
      name: "status: no status.json in DR_STATE_DIR",
      run: () => cli(["status"], { DR_STATE_DIR: dr.stateDir("never-ran") }),
      ending: 1,
      message: /no status in \S*state-never-ran\/status\.json: the agent has not run with DR_STATE_DIR=\S*state-never-ran \(check DR_STATE_DIR or start the agent\)/,
    },
    {
      name: "status: corrupt status.json",
      run: async () => {
        await fs.mkdir(dr.stateDir("torn"), { recursive: true });
        await fs.writeFile(join(dr.stateDir("torn"), "status.json"), '{"pid": 12');
        return cli(["status"], { DR_STATE_DIR: dr.stateDir("torn") });
      },
      ending: 1,
      message: /state-torn\/status\.json is not valid JSON \(.*\): the agent rewrites it every second/,
    },
    {
      name: "status: agent process gone (stale status.json, dead pid)",
      run: async () => {
        await mainAgent();
        const status = readAgentStatus(dr.stateDir("main")) as AgentStatus;
        const dead = spawn("true");
        await new Promise((resolve) => dead.once("exit", resolve));
        await fs.mkdir(dr.stateDir("gone"), { recursive: true });
        await fs.writeFile(join(dr.stateDir("gone"), "status.json"), JSON.stringify({ ...status, pid: dead.pid, updatedAt: new Date(Date.now() - 60_000).toISOString() }));
        return cli(["status"], { DR_STATE_DIR: dr.stateDir("gone") });
      },
      ending: 1,
      message: /agent is not running \(pid \d+ is gone; last status 60 s old\): start it with: systemctl start mysql-dr-agent/,
    },
  ];

  /** Blobs under `prefix` other than the writer lease and its holder records. */
  async function blobNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of dr.azurite.adminClient().getContainerClient(CONTAINER).listBlobsFlat({ prefix })) {
      if (!/agent\.lease$|\/agent\/holders\//.test(blob.name)) names.push(blob.name);
    }
    return names;
  }

  for (const row of rows) {
    it(`${row.name}: ${row.ending === "runs" ? "keeps running" : `exit ${row.ending}`}, says ${row.message.source.slice(0, 60)}`, async () => {
      const outcome = await row.run();
      assert.equal(outcome.ending, row.ending, outcome.output);
      assert.match(outcome.output, row.message);
      await row.check?.(outcome);
    });
  }

  it("has one row per bad input (the catalogue)", () => {
    assert.equal(new Set(rows.map((row) => row.name)).size, rows.length);
    assert.ok(rows.length >= 15, `${rows.length} rows`);
  });
});
