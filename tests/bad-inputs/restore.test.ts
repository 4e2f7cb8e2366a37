import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import { ContainerClient } from "@azure/storage-blob";
import { restoreEnvironment, runRestoreCli } from "../../backup/harness/cli-process";
import { databaseDigest } from "../../backup/harness/digest";
import { freePort } from "../../backup/harness/ports";
import { MysqlEndpoint } from "../../backup/config/shared";
import { explainBlobError, explainMysqlError } from "../../backup/lib/explain-error";
import { connect } from "../../backup/lib/mysql-connection";
import { FullBackupManifest } from "../../backup/lib/manifest";
import { RestoreResult } from "../../backup/restore/restore";
import { CONTAINER, DrFixture, createSchema, writeBatch } from "../backup/fixture";

/** One CLI run: exit code, output, and the parsed --json result (when --json was given). */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  result?: Partial<RestoreResult> & { error?: string };
}

/** What a row may use to prepare its damage. */
interface Context {
  dr: DrFixture;
  container: ContainerClient;
  manifest: FullBackupManifest;
  /** Copies the shipped `base/` prefix to a fresh prefix (manifest's dump blob renamed too) and returns it. */
  copy(): Promise<string>;
  /** A directory for this row. */
  dir: string;
}

/** Not a variable: runs the CLI under `ulimit -f <value>` (512-byte blocks), where a tmpfs cannot be mounted (not root). */
const FILE_LIMIT = "__FILE_LIMIT_BLOCKS";

/** Environment overrides for a row: a value of undefined removes the variable. */
type Overrides = Record<string, string | undefined>;

interface Row {
  name: string;
  /** Damage and settings for this row; the default is the intact `base/` prefix. */
  setup?: (ctx: Context) => Promise<Overrides>;
  args: string[];
  /** Run without --json and match the printed text. */
  text?: boolean;
  code: number;
  /** Fragment naming the cause, matched against the error (and notes) or the printed text. */
  message: RegExp | ((ctx: Context) => RegExp);
  /** A failure with the target reachable: its databases must be byte for byte as before. */
  unchanged?: boolean;
  check?: (run: Run, ctx: Context) => Promise<void>;
}

const BASE = "base/";
const SYSTEM = ["information_schema", "mysql", "performance_schema", "sys"];

/** Every row of every non-system database on the target, and the list of databases. */
async function targetState(connection: Connection): Promise<Record<string, unknown>> {
  const [rows] = await connection.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY 1");
  const state: Record<string, unknown> = {};
  for (const { name } of rows as Array<{ name: string }>) if (!SYSTEM.includes(name)) state[name] = await databaseDigest(connection, name);
  return state;
}

function runCli(env: Record<string, string>, args: string[]): Promise<Run> {
  const { [FILE_LIMIT]: blocks, ...variables } = env;
  return runRestoreCli(variables, args, { json: false, fileLimitBlocks: blocks ? Number(blocks) : undefined });
}

async function flipByte(container: ContainerClient, name: string, fromEnd: number): Promise<void> {
  const blob = container.getBlobClient(name);
  const bytes = await blob.downloadToBuffer();
  bytes[bytes.length - fromEnd] ^= 0x5a;
  const kind = (await blob.getProperties()).blobType;
  await blob.delete();
  if (kind === "AppendBlob") {
    const append = container.getAppendBlobClient(name);
    await append.create();
    await append.appendBlock(bytes, bytes.length);
  } else {
    await container.getBlockBlobClient(name).uploadData(bytes);
  }
}

async function deleteUnder(container: ContainerClient, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const blob of container.listBlobsFlat({ prefix })) {
    await container.deleteBlob(blob.name);
    deleted += 1;
  }
  return deleted;
}

function sealedSegment(ctx: Context, prefix: string): string {
  return `${prefix}binlog/${ctx.manifest.epoch}/${ctx.manifest.coordinates.file}/seg-000001`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const rows: Row[] = [
  {
    name: "an empty container says it is empty (not 'no usable full backup')",
    setup: async ({ dr }) => {
      await dr.azurite.adminClient().getContainerClient("empty").createIfNotExists();
      const blob = dr.azurite.sasFor("empty", "rl", "");
      return { DR_BLOB_CONTAINER_URL: blob.containerUrl, DR_BLOB_SAS: blob.sas, DR_BLOB_PREFIX: "" };
    },
    args: ["--verify-only"],
    code: 1,
    message: /the backup container http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/empty is empty: no agent has shipped a backup to it yet/,
  },
  {
    name: "a wrong DR_BLOB_PREFIX lists the prefixes found and suggests the nearest",
    setup: async () => ({ DR_BLOB_PREFIX: "bse/" }),
    args: ["--verify-only"],
    code: 1,
    message: /no backups under DR_BLOB_PREFIX="bse\/" in .*: it holds blobs under "base\/".*; did you mean DR_BLOB_PREFIX=base\/\?/,
  },
  {
    name: "a wrong DR_BLOB_PREFIX, text mode: the same message is printed",
    setup: async () => ({ DR_BLOB_PREFIX: "bse/" }),
    args: ["--verify-only"],
    text: true,
    code: 1,
    message: /Restore FAILED: no backups under DR_BLOB_PREFIX="bse\/" .*did you mean DR_BLOB_PREFIX=base\/\?/,
  },
  {
    name: "--until before the oldest backup gives the recovery points available",
    args: ["--verify-only", "--until", "2000-01-01T00:00:00Z"],
    code: 1,
    message: ({ manifest }) =>
      new RegExp(
        `no full backup in .* was taken before --until 2000-01-01T00:00:00\\.000Z: the oldest is from ${escape(manifest.snapshotAt)}\\. ` +
          `Recovery points available run from ${escape(manifest.snapshotAt)} to \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(last shipped\\): use a --until between them`,
      ),
  },
  {
    name: "every backup with a problem (corrupt manifest) lists them with their problems",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await ctx.container.getBlockBlobClient(`${prefix}full/${ctx.manifest.backupId}/manifest.json`).upload("{not json", 9);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--verify-only"],
    code: 1,
    message: ({ manifest }) => new RegExp(`none of the 1 full backup\\(s\\) in .* is usable: ${manifest.backupId} \\(unreadable manifest: .*JSON.*\\)\\. Have the agent take a new full backup`),
  },
  {
    name: "--backup naming a missing id lists the nearest ids",
    args: ["--verify-only", "--backup", "20200101T000000Z-abcdef"],
    code: 1,
    message: ({ manifest }) => new RegExp(`--backup 20200101T000000Z-abcdef: no such backup; nearest: ${manifest.backupId} \\(1 backup\\(s\\) in all`),
  },
  {
    name: "--backup on a backup with a corrupt dump says it is corrupt",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await flipByte(ctx.container, `${prefix}full/${ctx.manifest.backupId}/dump.sql.gz`, 200);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--verify-only", "--backup", "@backup"],
    code: 1,
    message: ({ manifest }) => new RegExp(`none of the 1 full backup\\(s\\) .* is usable: ${manifest.backupId} \\(${manifest.backupId}: dump blob ${manifest.dump.blob.replace(/^base\//, "copy\\d+/")} is corrupt (\\(gunzip|: sha256)`),
  },
  {
    name: "a missing binlog file (the chain after the backup) offers --dump-only; the target is unchanged",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      assert.ok((await deleteUnder(ctx.container, `${prefix}binlog/${ctx.manifest.epoch}/${ctx.manifest.coordinates.file}/`)) > 0);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: ({ manifest }) =>
      new RegExp(
        `has no ${escape(manifest.coordinates.file)}, where the backup's coordinates point.*; rerun with --dump-only to restore backup ${manifest.backupId} alone, ` +
          `to its snapshot at ${escape(manifest.snapshotAt)} \\(losing what was written after it\\)`,
      ),
  },
  {
    name: "a corrupt sealed binlog with --replace fails, offers --dump-only, target byte for byte unchanged",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await flipByte(ctx.container, sealedSegment(ctx, prefix), 10);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: /content does not match its seal .*the blob is corrupt; rerun with --dump-only to restore backup/,
  },
  {
    name: "the live (newest, unsealed) binlog deleted: the chain ending on a sealed file is reported, not silent",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      const live = ctx.manifest.coordinates.file.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(n.length, "0"));
      assert.ok((await deleteUnder(ctx.container, `${prefix}binlog/${ctx.manifest.epoch}/${live}/`)) > 0, "the live file was shipped");
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--verify-only"],
    code: 0,
    message: ({ manifest }) =>
      new RegExp(`the chain ends with sealed ${escape(manifest.coordinates.file)}: the source had moved on to \\S+, which is not in the container \\(never shipped, or deleted\\); anything written to it is not restored`),
  },
  {
    name: "--verify-only with a broken chain fails and offers --dump-only",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await deleteUnder(ctx.container, `${prefix}binlog/${ctx.manifest.epoch}/${ctx.manifest.coordinates.file}/`);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--verify-only"],
    code: 1,
    message: /rerun with --dump-only to restore backup \S+ alone/,
  },
  {
    name: "--dump-only restores the dump alone over a broken chain and reports its recovery point",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await deleteUnder(ctx.container, `${prefix}binlog/${ctx.manifest.epoch}/`);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--dump-only", "--replace"],
    code: 0,
    message: ({ manifest }) =>
      new RegExp(
        `binlogs were not replayed \\(--dump-only\\): the target holds backup ${manifest.backupId} as of its snapshot at ${escape(manifest.snapshotAt)} ` +
          `\\(${escape(manifest.coordinates.file)}:${manifest.coordinates.position}\\)`,
      ),
    check: async (run, { dr, manifest }) => {
      assert.equal(run.result?.dumpOnly, true);
      assert.equal(run.result?.targetChanged, true);
      assert.deepEqual(run.result?.recoveredTo, { time: manifest.snapshotAt, file: manifest.coordinates.file, position: manifest.coordinates.position });
      const [counted] = await dr.onTarget((c) => c.query("SELECT COUNT(*) AS n FROM shop.items"));
      assert.equal(Number((counted as Array<{ n: number }>)[0].n), manifest.tables.find((t) => t.table === "items")?.rows, "the snapshot's rows, no replay");
    },
  },
  {
    name: "--dump-only with --until is refused with its own message",
    args: ["--dump-only", "--until", "2030-01-01T00:00:00Z"],
    code: 1,
    message: /--dump-only restores a full backup to its snapshot and replays no binlog, so --until cannot apply/,
  },
  {
    name: "--dump-only --verify-only on a good backup, text mode, says the binlogs were not checked",
    args: ["--dump-only", "--verify-only"],
    text: true,
    code: 0,
    message: /Verified backup \S+ alone \(--dump-only: binlogs not checked, nothing was loaded\)\.[\s\S]*recovered to: +\S+ \(\S+:\d+\)/,
  },
  {
    name: "target port closed names the target, the settings and the cause",
    setup: async () => ({ DR_TARGET_PORT: String(await freePort()) }),
    args: [],
    code: 1,
    message: /cannot reach the target MySQL at localhost:\d+ \(DR_TARGET_HOST\/DR_TARGET_PORT\): connection refused \(ECONNREFUSED\) — is the server running and the port right\?/,
  },
  {
    name: "target password wrong names the user and the password settings",
    setup: async () => ({ DR_TARGET_PASSWORD: "not-the-password" }),
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: /the target MySQL at localhost:\d+ refused user 'root' \(DR_TARGET_USER, DR_TARGET_PASSWORD or DR_TARGET_PASSWORD_FILE\): Access denied for user 'root'@\S+ \(using password: YES\) \(ER_ACCESS_DENIED_ERROR\) — check the password/,
  },
  {
    name: "blob endpoint refusing connections names the container and DR_BLOB_CONTAINER_URL",
    setup: async () => ({ DR_BLOB_CONTAINER_URL: `http://127.0.0.1:${await freePort()}/devstoreaccount1/${CONTAINER}` }),
    args: ["--verify-only"],
    code: 1,
    message: /cannot reach the backup container http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/mysql-backups \(DR_BLOB_CONTAINER_URL\): connection refused \(ECONNREFUSED\)/,
  },
  {
    name: "a SAS with a wrong signature names DR_BLOB_SAS (not 'Server failed to authenticate')",
    setup: async ({ dr }) => {
      const sas = dr.restoreBlob(BASE).sas.replace(/sig=[^&]+/, `sig=${encodeURIComponent(Buffer.alloc(32, 7).toString("base64"))}`);
      return { DR_BLOB_SAS: sas };
    },
    args: ["--verify-only"],
    code: 1,
    message: /the backup container \S+ refused the (SAS in DR_BLOB_SAS|request) \(403 \w+\)/,
  },
  {
    name: "an expired SAS is refused at config load with when it expired (--json carries it too)",
    setup: async ({ dr }) => ({ DR_BLOB_SAS: dr.restoreBlob(BASE).sas.replace(/se=[^&]+/, "se=2020-01-01T00%3A00%3A00Z") }),
    args: ["--verify-only"],
    code: 1,
    message: /DR_BLOB_SAS expired at 2020-01-01T00:00:00Z \(\d+ days ago\): issue a new one \(az storage container generate-sas .*--expiry/,
  },
  {
    name: "a SAS not valid yet (st= in the future) is refused at config load",
    setup: async ({ dr }) => ({ DR_BLOB_SAS: dr.restoreBlob(BASE).sas.replace(/st=[^&]+/, "st=2099-01-01T00%3A00%3A00Z") }),
    args: ["--verify-only"],
    text: true,
    code: 1,
    message: /DR_BLOB_SAS is not valid before st=2099-01-01T00:00:00Z \(in \d+ days\)/,
  },
  {
    name: "a SAS with write permission is refused for the restore",
    setup: async ({ dr }) => ({ DR_BLOB_SAS: dr.azurite.sasFor(CONTAINER, "rwl", BASE).sas }),
    args: ["--verify-only"],
    code: 1,
    message: /DR_BLOB_SAS grants w, which this role must not have/,
  },
  {
    name: "a container URL with a query string is refused",
    setup: async ({ dr }) => ({ DR_BLOB_CONTAINER_URL: `${dr.restoreBlob(BASE).containerUrl}?comp=list` }),
    args: ["--verify-only"],
    code: 1,
    message: /DR_BLOB_CONTAINER_URL must not contain a query string; put the SAS in DR_BLOB_SAS/,
  },
  {
    name: "a container that does not exist is named with the setting to fix",
    setup: async ({ dr }) => {
      const blob = dr.azurite.sasFor("no-such-container", "rl", BASE);
      return { DR_BLOB_CONTAINER_URL: blob.containerUrl, DR_BLOB_SAS: blob.sas };
    },
    args: ["--verify-only"],
    code: 1,
    message: /the backup container \S+\/no-such-container does not exist \(404 ContainerNotFound\) — check the account and container name in DR_BLOB_CONTAINER_URL/,
  },
  {
    name: "a corrupt dump chunk with --replace: rejected, and the target byte for byte unchanged",
    setup: async (ctx) => {
      const prefix = await ctx.copy();
      await flipByte(ctx.container, `${prefix}full/${ctx.manifest.backupId}/dump.sql.gz`, 300);
      return { DR_BLOB_PREFIX: prefix };
    },
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: /none of the 1 full backup\(s\) .* is usable: \S+ \(\S+: dump blob copy\d+\/full\/\S+\/dump\.sql\.gz is corrupt (\(gunzip|: sha256)/,
    check: async (run) => assert.equal(run.result?.targetChanged, false),
  },
  {
    name: "--until in the future restores to the latest point and says so",
    args: ["--verify-only", "--until", "2999-01-01T00:00:00Z"],
    code: 0,
    message: /--until 2999-01-01T00:00:00\.000Z is after the last shipped binlog write \(.*\): the latest recovery point available is used/,
  },
  {
    name: "DR_TARGET_SSL_CA naming a missing file",
    setup: async ({ dir }) => ({ DR_TARGET_SSL_CA: join(dir, "no-such-ca.pem") }),
    args: ["--verify-only"],
    code: 1,
    message: /DR_TARGET_SSL_CA: cannot read \S+no-such-ca\.pem \(ENOENT\)/,
  },
  {
    name: "a work directory that cannot be created names DR_WORK_DIR and the cause; target unchanged",
    setup: async ({ dir }) => {
      await fs.writeFile(join(dir, "a-file"), "x");
      return { DR_WORK_DIR: join(dir, "a-file", "work") };
    },
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: /creating the work directory DR_WORK_DIR=\S+a-file\/work failed: a part of the path is a file, not a directory \(ENOTDIR\)/,
  },
  {
    name: "a full work directory (64 KiB tmpfs; ulimit -f when not root) names the file, DR_WORK_DIR and the free bytes; target unchanged",
    setup: async ({ dir }) => {
      const small = join(dir, "small");
      await fs.mkdir(small);
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small], { stdio: "ignore" });
      } catch {
        return { DR_WORK_DIR: small, [FILE_LIMIT]: "128" };
      }
      mounted.push(small);
      return { DR_WORK_DIR: small };
    },
    args: ["--replace"],
    code: 1,
    unchanged: true,
    message: /writing \S+\/mysql-dr-restore-\w+\/\S+ in the work directory DR_WORK_DIR=\S+small failed: (no space left on the device \(ENOSPC\)|file too large for this process's limit \(ulimit -f\) \(EFBIG\)), [\d.]+ \w+ \(\d+ bytes\) free there — free space there or point DR_WORK_DIR at a larger disk/,
    check: async (run) => assert.ok(run.result?.notes?.includes("the target's databases were not changed"), JSON.stringify(run.result?.notes)),
  },
  {
    name: "a target that already holds the database, without --replace, is refused (exit 2) and unchanged",
    args: [],
    code: 2,
    unchanged: true,
    message: /refusing to overwrite the target: database `shop` exists .*Re-run with --replace/,
  },
];

/** tmpfs mounts made by rows, unmounted in after(). */
const mounted: string[] = [];

describe("restore: bad inputs, one row each (real MariaDB and Azurite)", function () {
  this.timeout(180_000);
  let dr: DrFixture;
  let ctx: Context;
  let copies = 0;

  before(async () => {
    dr = await DrFixture.start();
    await dr.onPrimary(async (c) => {
      await createSchema(c, "shop");
      await writeBatch(c, "shop", 20, "before-backup");
    });
    // The single-stream format: these rows damage its one dump blob; tests/backup/chunked-restore.test.ts damages chunks.
    const agent = dr.startAgent("base", "shop", { DR_DUMP_FORMAT: "single-stream" });
    try {
      await dr.waitFullBackup("base");
      await dr.onPrimary((c) => writeBatch(c, "shop", 30, "after-backup"));
      // Seal the backup's file, so the chain holds a sealed file to damage and a live one after it.
      await dr.onPrimary((c) => c.query("FLUSH BINARY LOGS"));
      await dr.onPrimary(async (c) => {
        // About 200 KiB of binlog: more than the 64 KiB work directory of the disk-full row.
        for (let i = 0; i < 50; i++) await c.query("INSERT INTO shop.items (name, body) VALUES (?, ?)", [`big-${i}`, "y".repeat(4_000)]);
      });
      await dr.waitCaughtUp("base");
    } finally {
      await agent.stop();
    }
    await dr.onTarget(async (c) => {
      await createSchema(c, "shop");
      await writeBatch(c, "shop", 7, "target-only");
    });
    const container = dr.azurite.adminClient().getContainerClient(CONTAINER);
    const manifests: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${BASE}full/` })) if (blob.name.endsWith("/manifest.json")) manifests.push(blob.name);
    assert.equal(manifests.length, 1, "one full backup");
    const manifest = JSON.parse((await container.getBlobClient(manifests[0]).downloadToBuffer()).toString("utf8")) as FullBackupManifest;
    ctx = {
      dr,
      container,
      manifest,
      dir: dr.work,
      copy: async () => {
        const prefix = `copy${String(++copies).padStart(2, "0")}/`;
        for await (const blob of container.listBlobsFlat({ prefix: BASE })) {
          const name = `${prefix}${blob.name.slice(BASE.length)}`;
          let bytes = await container.getBlobClient(blob.name).downloadToBuffer();
          if (name.endsWith("/manifest.json")) {
            const copied = JSON.parse(bytes.toString("utf8")) as FullBackupManifest;
            copied.dump.blob = `${prefix}${copied.dump.blob.slice(BASE.length)}`;
            bytes = Buffer.from(JSON.stringify(copied));
          }
          if (blob.properties.blobType === "AppendBlob") {
            const append = container.getAppendBlobClient(name);
            await append.create();
            if (bytes.length > 0) await append.appendBlock(bytes, bytes.length);
          } else {
            await container.getBlockBlobClient(name).uploadData(bytes);
          }
        }
        return prefix;
      },
    };
  });

  after(async () => {
    for (const path of mounted) execFileSync("umount", [path]);
    await dr?.destroy();
  });

  rows.forEach((row, index) => {
    it(`${String(index + 1).padStart(2, "0")}. ${row.name}`, async () => {
      const dir = join(dr.work, `row-${index + 1}`);
      await fs.mkdir(dir, { recursive: true });
      const rowCtx = { ...ctx, dir };
      const env: Record<string, string> = restoreEnvironment(dr.target.rootEndpoint, dr.restoreBlob(BASE), join(dir, "work"));
      for (const [key, value] of Object.entries((await row.setup?.(rowCtx)) ?? {})) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
      const args = row.args.map((arg) => (arg === "@backup" ? ctx.manifest.backupId : arg));
      const before = row.unchanged ? await dr.onTarget(targetState) : undefined;
      const run = await runCli(env, [...(row.text ? [] : ["--json"]), ...args]);
      const printed = row.text ? run.stdout + run.stderr : [run.result?.error ?? "", ...(run.result?.notes ?? [])].join("\n");
      const message = typeof row.message === "function" ? row.message(rowCtx) : row.message;
      assert.equal(run.code, row.code, `exit code; stdout: ${run.stdout}\nstderr: ${run.stderr}`);
      assert.match(printed, message, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
      if (!row.text) assert.ok(run.result, `--json prints a result on stdout even on failure: ${run.stdout}`);
      if (before) {
        assert.deepEqual(await dr.onTarget(targetState), before, "the target's databases are byte for byte what they were");
        const [staging] = await dr.onTarget((c) => c.query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_\\_dr\\_restore\\_%'"));
        assert.deepEqual(staging, [], "no staging database left behind");
      }
      await row.check?.(run, rowCtx);
    });
  });
});

/** A storage service refusal as the Azure SDK raises it (RestError with the service's error code). */
function storageError(statusCode: number, code: string): Error {
  return Object.assign(new Error("Server failed to authenticate the request."), { name: "RestError", statusCode, code, details: { errorCode: code } });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.9:3306`), { code });
}

const BLOB = { containerUrl: "https://acct.blob.core.windows.net/mysql-backups", sas: "sp=rl&se=2026-12-01T00%3A00%3A00Z&sig=abc", prefix: "" };
const TARGET: MysqlEndpoint = { host: "db.example", port: 3306, user: "restorer", tls: { mode: "VERIFY_IDENTITY", caFile: "/ca.pem" }, setting: "DR_TARGET" };
const SOURCE: MysqlEndpoint = { ...TARGET, user: "dr_agent", setting: "DR_MYSQL" };

/** Causes the local Azurite and MariaDB cannot produce (DNS, routing, real Azure's codes), one row each. */
const explained: Array<{ name: string; explain: () => Error | undefined; message: RegExp }> = [
  {
    name: "403 AuthenticationFailed names DR_BLOB_SAS and its expiry",
    explain: () => explainBlobError(storageError(403, "AuthenticationFailed"), BLOB),
    message: /refused the SAS in DR_BLOB_SAS \(403 AuthenticationFailed\): it may have expired \(se=2026-12-01T00:00:00Z\), been revoked, or its account key rotated — issue a new one/,
  },
  {
    name: "403 AuthorizationPermissionMismatch names the permissions the restore needs",
    explain: () => explainBlobError(storageError(403, "AuthorizationPermissionMismatch"), BLOB),
    message: /DR_BLOB_SAS lacks a permission .*sp=rl\) — the restore needs sp=rl/,
  },
  {
    name: "403 AuthorizationSourceIPMismatch names the IP range",
    explain: () => explainBlobError(storageError(403, "AuthorizationSourceIPMismatch"), BLOB),
    message: /does not admit this machine's IP address/,
  },
  {
    name: "blob host not found (ENOTFOUND) names DR_BLOB_CONTAINER_URL",
    explain: () => explainBlobError(Object.assign(socketError("ENOTFOUND"), { name: "RestError" }), BLOB),
    message: /cannot reach the backup container https:\/\/acct\.blob\.core\.windows\.net\/mysql-backups \(DR_BLOB_CONTAINER_URL\): host name not found in DNS \(ENOTFOUND\)/,
  },
  {
    name: "target timing out (ETIMEDOUT) names the target and the firewall",
    explain: () => explainMysqlError(socketError("ETIMEDOUT"), TARGET),
    message: /cannot reach the target MySQL at db\.example:3306 \(DR_TARGET_HOST\/DR_TARGET_PORT\): connection timed out \(ETIMEDOUT\) — check the host, the firewall/,
  },
  {
    name: "source unreachable (EHOSTUNREACH) names the source and DR_MYSQL_HOST",
    explain: () => explainMysqlError(socketError("EHOSTUNREACH"), SOURCE),
    message: /cannot reach the source MySQL at db\.example:3306 \(DR_MYSQL_HOST\/DR_MYSQL_PORT\): no route to the host \(EHOSTUNREACH\)/,
  },
  {
    name: "ER_DBACCESS_DENIED_ERROR names the user",
    explain: () => explainMysqlError(Object.assign(new Error("Access denied for user 'restorer'@'%' to database 'shop'"), { code: "ER_DBACCESS_DENIED_ERROR" }), TARGET),
    message: /the target MySQL at db\.example:3306 denied user 'restorer' access \(ER_DBACCESS_DENIED_ERROR: Access denied .* to database 'shop'\)/,
  },
];

describe("restore: causes named for errors the local servers cannot produce", () => {
  explained.forEach((row, index) => {
    it(`${String(index + 1).padStart(2, "0")}. ${row.name}`, () => {
      const error = row.explain();
      assert.ok(error, "explained");
      assert.match(error.message, row.message);
    });
  });

  it(`${String(explained.length + 1).padStart(2, "0")}. the agent's source connection (connect()) names DR_MYSQL_HOST/DR_MYSQL_PORT and keeps the code`, async () => {
    const port = await freePort();
    const endpoint: MysqlEndpoint = { host: "127.0.0.1", port, user: "dr_agent", tls: { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" }, setting: "DR_MYSQL" };
    await assert.rejects(connect(endpoint), (error: Error & { code?: string }) => {
      assert.match(error.message, new RegExp(`^cannot reach the source MySQL at 127\\.0\\.0\\.1:${port} \\(DR_MYSQL_HOST/DR_MYSQL_PORT\\): connection refused \\(ECONNREFUSED\\)`));
      assert.equal(error.code, "ECONNREFUSED");
      return true;
    });
  });
});
