import { strict as assert } from "node:assert";
import { mkdtempSync, promises as fs, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAgentConfig } from "../../backup/config/agent-config";
import { ConfigError } from "../../backup/config/config-error";
import { parseDuration } from "../../backup/config/durations";
import { loadEnvWithFile, parseEnvFile } from "../../backup/config/env-file";
import { loadRestoreConfig } from "../../backup/config/restore-config";
import { createLogger } from "../../backup/lib/log";

const AGENT_SAS = "sv=2025-01-05&sp=caw&sr=c&sig=c2VjcmV0LWFnZW50LXNpZw%3D%3D";
const RESTORE_SAS = "sv=2025-01-05&sp=rl&sr=c&sig=c2VjcmV0LXJlc3RvcmUtc2ln";

// Config loading only checks the file holds a PEM certificate; this one is the RDS global bundle's shape.
const CA_DIR = mkdtempSync(join(tmpdir(), "config-test-ca-"));
const CA_FILE = join(CA_DIR, "global-bundle.pem");
writeFileSync(CA_FILE, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
const NOT_PEM = join(CA_DIR, "not-pem.txt");
writeFileSync(NOT_PEM, "hello\n");

const VALID_AGENT = {
  DR_MYSQL_HOST: "db.internal",
  DR_MYSQL_USER: "dr_agent",
  DR_MYSQL_PASSWORD: "s3cret-pass",
  DR_MYSQL_SSL_CA: CA_FILE,
  DR_DATABASES: "petclinic",
  DR_BLOB_CONTAINER_URL: "https://acct.blob.core.windows.net/mysql-backups",
  DR_BLOB_SAS: AGENT_SAS,
};

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected the configuration to be rejected");
}

describe("agent and restore configuration", () => {
  after(() => fs.rm(CA_DIR, { recursive: true, force: true }));

  it("resolves defaults for a minimal valid agent config", () => {
    const config = loadAgentConfig(VALID_AGENT);
    assert.equal(config.source.port, 3306);
    assert.equal(config.fullBackupIntervalMs, 24 * 3_600_000);
    assert.equal(config.shipIntervalMs, 200);
    assert.equal(config.segmentMaxBlocks, 40_000);
    assert.equal(config.stateDir, "/var/lib/mysql-dr");
    assert.equal(config.blob.prefix, "");
    assert.equal(config.cloudWatch, undefined);
    assert.deepEqual(config.source.tls, { mode: "VERIFY_IDENTITY", caFile: CA_FILE });
  });

  it("reports every problem at once, naming each key", () => {
    const problems = problemsOf(() =>
      loadAgentConfig({ DR_DATABASES: "shop,mysql", DR_BLOB_CONTAINER_URL: "ftp://x/y?sig=1", DR_SHIP_INTERVAL: "5s", DR_MYSQL_PORT: "70000" }),
    );
    assert.deepEqual(problems, [
      "DR_DATABASES: mysql is a system schema and cannot be restored onto another server",
      "DR_MYSQL_HOST is required",
      "DR_MYSQL_PORT must be an integer from 1 to 65535, got \"70000\"",
      "DR_MYSQL_USER is required",
      "DR_MYSQL_SSL_CA is required: the PEM file of the CA that signed the server's certificate (RDS: global-bundle.pem; Azure MySQL: DigiCert Global Root G2 + Microsoft RSA Root CA 2017)",
      "DR_BLOB_CONTAINER_URL must be an http(s) URL",
      "DR_BLOB_CONTAINER_URL must not contain a query string; put the SAS in DR_BLOB_SAS",
      "DR_BLOB_SAS (or DR_BLOB_SAS_FILE) is required",
      "DR_SHIP_INTERVAL must be at most 1s (binlogs are shipped at least every second)",
    ]);
  });

  it("refuses an agent SAS that could read, list or delete backups", () => {
    const problems = problemsOf(() => loadAgentConfig({ ...VALID_AGENT, DR_BLOB_SAS: "sp=racwdl&sig=abc" }));
    assert.deepEqual(problems, ["DR_BLOB_SAS grants rld, which this role must not have (sp=racwdl); issue a narrower SAS"]);
  });

  it("refuses a restore SAS that could write, and one that cannot list", () => {
    const target = { DR_TARGET_HOST: "dr.mysql.database.azure.com", DR_TARGET_USER: "root", DR_TARGET_SSL_CA: CA_FILE, DR_BLOB_CONTAINER_URL: "https://a.blob.core.windows.net/c" };
    assert.deepEqual(problemsOf(() => loadRestoreConfig({ ...target, DR_BLOB_SAS: "sp=rwl&sig=abc" }, "/tmp/w")), [
      "DR_BLOB_SAS grants w, which this role must not have (sp=rwl); issue a narrower SAS",
    ]);
    assert.deepEqual(problemsOf(() => loadRestoreConfig({ ...target, DR_BLOB_SAS: "sp=r&sig=abc" }, "/tmp/w")), [
      "DR_BLOB_SAS lacks permission(s) l (sp=r; this role needs rl)",
    ]);
    assert.equal(loadRestoreConfig({ ...target, DR_BLOB_SAS: RESTORE_SAS }, "/tmp/w").workDir, "/tmp/w");
  });

  it("reads secrets from *_FILE, refuses both forms at once, and lets the environment override the file", async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), "config-test-"));
    try {
      await fs.writeFile(join(dir, "sas"), `${AGENT_SAS}\n`);
      await fs.writeFile(join(dir, "agent.env"), `# comment\nDR_MYSQL_HOST=from-file\nDR_MYSQL_SSL_CA=${CA_FILE}\nDR_DATABASES="petclinic"\nDR_BLOB_SAS_FILE=${join(dir, "sas")}\n`);
      const values = loadEnvWithFile({ DR_MYSQL_HOST: "from-env", DR_MYSQL_USER: "u", DR_BLOB_CONTAINER_URL: VALID_AGENT.DR_BLOB_CONTAINER_URL }, join(dir, "agent.env"));
      const config = loadAgentConfig(values);
      assert.equal(config.source.host, "from-env");
      assert.equal(config.blob.sas, AGENT_SAS);
      assert.deepEqual(config.databases, ["petclinic"]);
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...values, DR_BLOB_SAS: AGENT_SAS })), ["DR_BLOB_SAS and DR_BLOB_SAS_FILE are both set; set one"]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  describe("TLS settings", () => {
    const RESTORE = { DR_TARGET_HOST: "dr.mysql.database.azure.com", DR_TARGET_USER: "admin", DR_BLOB_CONTAINER_URL: "https://a.blob.core.windows.net/c", DR_BLOB_SAS: RESTORE_SAS };

    it("verifies identity by default and carries the CA file, for the agent and the restore tool", () => {
      assert.deepEqual(loadAgentConfig(VALID_AGENT).source.tls, { mode: "VERIFY_IDENTITY", caFile: CA_FILE });
      assert.deepEqual(loadRestoreConfig({ ...RESTORE, DR_TARGET_SSL_CA: CA_FILE }, "/tmp/w").target.tls, { mode: "VERIFY_IDENTITY", caFile: CA_FILE });
    });

    it("requires a CA file: no default trust, no downgrade", () => {
      assert.deepEqual(problemsOf(() => loadRestoreConfig(RESTORE, "/tmp/w")), [
        "DR_TARGET_SSL_CA is required: the PEM file of the CA that signed the server's certificate (RDS: global-bundle.pem; Azure MySQL: DigiCert Global Root G2 + Microsoft RSA Root CA 2017)",
      ]);
    });

    it("names a CA file that is missing or holds no certificate", () => {
      const missing = join(CA_DIR, "absent.pem");
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...VALID_AGENT, DR_MYSQL_SSL_CA: missing })), [`DR_MYSQL_SSL_CA: cannot read ${missing} (ENOENT)`]);
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...VALID_AGENT, DR_MYSQL_SSL_CA: NOT_PEM })), [`DR_MYSQL_SSL_CA: ${NOT_PEM} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`]);
    });

    it("refuses modes that do not verify, and an IP address it cannot verify", () => {
      for (const mode of ["DISABLED", "REQUIRED", "VERIFY_CA", "PREFERRED"]) {
        assert.deepEqual(problemsOf(() => loadAgentConfig({ ...VALID_AGENT, DR_MYSQL_SSL_MODE: mode })), [
          `DR_MYSQL_SSL_MODE must be one of VERIFY_IDENTITY, INSECURE_PLAINTEXT_LOOPBACK_ONLY, got "${mode}"`,
        ]);
      }
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...VALID_AGENT, DR_MYSQL_HOST: "10.0.1.25" })), [
        "DR_MYSQL_HOST is an IP address (10.0.1.25); VERIFY_IDENTITY needs the DNS name the server's certificate carries (RDS: the instance endpoint; Azure: <server>.mysql.database.azure.com)",
      ]);
    });

    it("allows plaintext only when named, only to loopback, and never with a CA file", () => {
      const plaintext = { ...VALID_AGENT, DR_MYSQL_SSL_CA: undefined, DR_MYSQL_SSL_MODE: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" };
      for (const host of ["127.0.0.1", "localhost", "::1", "[::1]", "127.3.2.1"]) {
        assert.deepEqual(loadAgentConfig({ ...plaintext, DR_MYSQL_HOST: host }).source.tls, { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" }, host);
      }
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...plaintext, DR_MYSQL_HOST: "db.internal" })), [
        "DR_MYSQL_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY is refused for db.internal: plaintext is allowed only to a loopback host",
      ]);
      assert.deepEqual(problemsOf(() => loadRestoreConfig({ ...RESTORE, DR_TARGET_SSL_MODE: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" }, "/tmp/w")), [
        "DR_TARGET_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY is refused for dr.mysql.database.azure.com: plaintext is allowed only to a loopback host",
      ]);
      assert.deepEqual(problemsOf(() => loadAgentConfig({ ...plaintext, DR_MYSQL_HOST: "127.0.0.1", DR_MYSQL_SSL_CA: CA_FILE })), [
        "DR_MYSQL_SSL_CA is set but DR_MYSQL_SSL_MODE=INSECURE_PLAINTEXT_LOOPBACK_ONLY would not use it; remove one",
      ]);
    });
  });

  it("parses env files like systemd's EnvironmentFile and rejects malformed lines", () => {
    assert.deepEqual(parseEnvFile("A=1\n\n# c\nexport B='two words'\nC=\"x=y\"\n"), { A: "1", B: "two words", C: "x=y" });
    assert.throws(() => parseEnvFile("A=1\nnot a pair\n", "agent.env"), /agent.env line 2: expected KEY=VALUE/);
  });

  it("parses durations and rejects nonsense", () => {
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("5m"), 300_000);
    assert.equal(parseDuration("2"), 2_000);
    assert.throws(() => parseDuration("soon"), /not a duration/);
  });

  it("never logs a loaded password or SAS signature", () => {
    loadAgentConfig(VALID_AGENT);
    const lines: string[] = [];
    const log = createLogger("text", (line) => lines.push(line));
    log.info("connecting", { url: `https://acct.blob.core.windows.net/c?${AGENT_SAS}`, note: "password is s3cret-pass" });
    log.error(`AccountKey=abcdef== failed for ${VALID_AGENT.DR_BLOB_CONTAINER_URL}?sp=w&sig=zzz`);
    const text = lines.join("");
    assert.ok(!text.includes("s3cret-pass"));
    assert.ok(!text.includes("c2VjcmV0LWFnZW50LXNpZw"));
    assert.ok(!text.includes("abcdef=="));
    assert.ok(!text.includes("sig=zzz"));
    assert.match(text, /sig=\*\*\*/);
  });
});
