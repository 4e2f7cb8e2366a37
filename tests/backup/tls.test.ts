import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { MysqlEndpoint } from "../../backup/config/shared";
import { MariaDbInstance } from "../../backup/harness/mariadb-instance";
import { TestPki, createTestPki, issueServerCertificate } from "../../backup/harness/test-pki";
import { connect } from "../../backup/lib/mysql-connection";
import { MysqlTools, toolConnection, toolTlsArgs } from "../../backup/lib/mysql-tools";

const MARIADB_TOOLS = { flavor: "mariadb" } as Pick<MysqlTools, "flavor">;

/** Runs the MariaDB client with the tool arguments the agent and restore use; returns exit code and output. */
function runClient(endpoint: MysqlEndpoint, sql: string): { status: number | null; stdout: string; stderr: string } {
  const connection = toolConnection(endpoint, MARIADB_TOOLS);
  try {
    const result = spawnSync("mariadb", [...connection.args, "--batch", "--skip-column-names", "-e", sql], { encoding: "utf8", timeout: 20_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    connection.dispose();
  }
}

describe("verified TLS to a server that requires it (require_secure_transport=ON)", function () {
  this.timeout(120_000);
  let work: string;
  let server: MariaDbInstance;
  let renamed: MariaDbInstance;
  let otherCa: TestPki;

  before(async () => {
    work = await fs.mkdtemp(join(tmpdir(), "mysql-dr-tls-"));
    otherCa = await createTestPki(join(work, "other-ca"));
    [server, renamed] = await Promise.all([MariaDbInstance.start({ binlog: false, parentDir: work }), MariaDbInstance.start({ binlog: false, parentDir: work })]);
    // The same trusted CA, a certificate for another name: swapped in and loaded with FLUSH SSL.
    const elsewhere = await issueServerCertificate(join(renamed.dir, "tls"), ["DNS:db.elsewhere.example"], "elsewhere");
    await fs.copyFile(elsewhere.certFile, renamed.pki.certFile);
    await fs.copyFile(elsewhere.keyFile, renamed.pki.keyFile);
    const root = await renamed.rootConnection();
    try {
      await root.query("FLUSH SSL");
    } finally {
      await root.end();
    }
  });

  after(async () => {
    await Promise.all([server?.destroy(), renamed?.destroy()]);
    await fs.rm(work, { recursive: true, force: true });
  });

  it("the server refuses a plaintext connection that the same user makes over TLS", async () => {
    // MariaDB 10.11 answers a plaintext login under require_secure_transport with 1045, not MySQL's 3159.
    const plaintext: MysqlEndpoint = { ...server.rootEndpoint, tls: { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" } };
    await assert.rejects(connect(plaintext), (error: NodeJS.ErrnoException & { errno?: number }) => {
      assert.equal(error.errno, 1045);
      assert.match(error.message, /^MySQL at localhost:\d+ refused user 'root': Access denied for user 'root'@'127\.0\.0\.1'.* \(ER_ACCESS_DENIED_ERROR\) — .*or the server requires TLS/);
      return true;
    });
    // mysql2 with no ssl option at all, as this code connected before: refused the same way.
    await assert.rejects(mysql.createConnection({ host: "localhost", port: server.port, user: "root" }), /Access denied for user 'root'/);
    const overTls = await connect(server.rootEndpoint);
    await overTls.end();
  });

  it("connects with the right CA, encrypted and verified", async () => {
    assert.deepEqual(server.rootEndpoint.tls, { mode: "VERIFY_IDENTITY", caFile: server.pki.caFile });
    const connection = await connect(server.rootEndpoint);
    try {
      const [rows] = await connection.query("SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')");
      const status = Object.fromEntries((rows as Array<{ Variable_name: string; Value: string }>).map((row) => [row.Variable_name, row.Value]));
      assert.match(status.Ssl_version, /^TLSv1\.[23]$/);
      assert.notEqual(status.Ssl_cipher, "");
    } finally {
      await connection.end();
    }
  });

  it("refuses a server whose certificate is not signed by the configured CA, naming the CA file", async () => {
    const endpoint: MysqlEndpoint = { ...server.rootEndpoint, tls: { mode: "VERIFY_IDENTITY", caFile: otherCa.caFile } };
    await assert.rejects(connect(endpoint), (error: NodeJS.ErrnoException) => {
      assert.ok(error.message.startsWith(`TLS verification of localhost:${server.port} failed: `), error.message);
      assert.ok(error.message.includes(`must chain to a CA in ${otherCa.caFile}`), error.message);
      assert.equal(error.code, "HANDSHAKE_SSL_ERROR");
      assert.match(error.message, /failed: self-signed certificate in certificate chain/);
      return true;
    });
  });

  it("refuses a missing CA file before connecting, naming it", async () => {
    const missing = join(work, "no-such-ca.pem");
    await assert.rejects(connect({ ...server.rootEndpoint, tls: { mode: "VERIFY_IDENTITY", caFile: missing } }), new RegExp(`cannot read the TLS CA file ${missing} \\(ENOENT\\)`));
  });

  it("refuses a certificate from the trusted CA that names another host", async () => {
    await assert.rejects(connect(renamed.rootEndpoint), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, "HANDSHAKE_SSL_ERROR");
      assert.match(error.message, /^TLS verification of localhost:\d+ failed: Hostname\/IP does not match certificate's altnames: Host: localhost\. is not in the cert's altnames: DNS:db\.elsewhere\.example/);
      assert.ok(error.message.includes(renamed.pki.caFile));
      return true;
    });
  });

  it("refuses VERIFY_IDENTITY to an IP address (mysql2 would check such a certificate against \"localhost\")", async () => {
    await assert.rejects(connect({ ...server.rootEndpoint, host: "127.0.0.1" }), /cannot verify the identity of 127\.0\.0\.1: VERIFY_IDENTITY needs the DNS name/);
  });

  it("refuses the plaintext mode for a non-loopback host even if a caller builds the endpoint by hand", async () => {
    await assert.rejects(connect({ host: "db.example.com", port: 3306, user: "u", tls: { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" } }), /refusing a plaintext connection to db\.example\.com/);
    assert.throws(() => toolTlsArgs({ host: "10.0.0.5", port: 3306, user: "u", tls: { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" } }, "mysql"), /refusing a plaintext connection to 10\.0\.0\.5/);
  });

  describe("client tools", () => {
    it("pass the verify options for each tool family", () => {
      const endpoint: MysqlEndpoint = { host: "db.example.com", port: 3306, user: "u", tls: { mode: "VERIFY_IDENTITY", caFile: "/etc/mysql-dr/ca.pem" } };
      assert.deepEqual(toolTlsArgs(endpoint, "mysql"), ["--ssl-mode=VERIFY_IDENTITY", "--ssl-ca=/etc/mysql-dr/ca.pem"]);
      assert.deepEqual(toolTlsArgs(endpoint, "mariadb"), ["--ssl", "--ssl-verify-server-cert", "--ssl-ca=/etc/mysql-dr/ca.pem"]);
      const connection = toolConnection({ ...endpoint, password: "pw" }, { flavor: "mysql" });
      try {
        assert.ok(connection.args[0].startsWith("--defaults-extra-file="));
        assert.deepEqual(connection.args.slice(-2), ["--ssl-mode=VERIFY_IDENTITY", "--ssl-ca=/etc/mysql-dr/ca.pem"]);
      } finally {
        connection.dispose();
      }
    });

    it("the MariaDB client connects over TLS with the right CA", () => {
      const result = runClient(server.rootEndpoint, "SHOW SESSION STATUS LIKE 'Ssl_version'");
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Ssl_version\tTLSv1\.[23]$/m);
    });

    it("the MariaDB client refuses the wrong CA and a certificate for another name", () => {
      const wrongCa = runClient({ ...server.rootEndpoint, tls: { mode: "VERIFY_IDENTITY", caFile: otherCa.caFile } }, "SELECT 1");
      assert.notEqual(wrongCa.status, 0);
      assert.match(wrongCa.stderr, /certificate verify failed|self[- ]signed|unable to get local issuer/i);
      const wrongName = runClient(renamed.rootEndpoint, "SELECT 1");
      assert.notEqual(wrongName.status, 0);
      assert.match(wrongName.stderr, /Validation of SSL server certificate failed|does not match/i);
    });

    it("the MariaDB client without TLS options is refused by the server", () => {
      const result = spawnSync("mariadb", ["--no-defaults", "--skip-ssl", "--protocol=TCP", "-hlocalhost", `-P${server.port}`, "-uroot", "-e", "SELECT 1"], { encoding: "utf8" });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /ERROR 1045 \(28000\): Access denied for user 'root'@'127\.0\.0\.1'/);
    });
  });
});
