import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { newEpochState } from "../../backup/agent/epoch";
import { toolsProblem } from "../../backup/agent/tools-check";
import { LagMonitor } from "../../backup/agent/lag-monitor";
import { MysqlEndpoint } from "../../backup/config/shared";
import { Mysql84Double } from "../../backup/harness/mysql84-double";
import { BinlogPosition, connect, currentBinlogPosition, listServerBinlogs } from "../../backup/lib/mysql-connection";
import { ER_PARSE_ERROR, dialectFor, toolsMismatch } from "../../backup/lib/mysql-dialect";

const USER = "dr_agent";
const PASSWORD = "agent-secret-84";

/** A CA and a server certificate for localhost, made per run with the openssl CLI. */
function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=mysql84-double test CA"]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext"]);
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return { ca: read("ca.pem"), key: read("server.key"), cert: read("server.pem") };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { errno?: number; sqlState?: string; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errno?: number; sqlState?: string };
  }
  assert.fail("expected a rejection");
}

describe("MySQL dialects", () => {
  it("uses SHOW BINARY LOG STATUS on MySQL 8.2 and later, SHOW MASTER STATUS on MariaDB and MySQL 8.0", () => {
    const cases: Array<[string, "mysql" | "mariadb", string]> = [
      ["8.4.3", "mysql", "SHOW BINARY LOG STATUS"],
      ["8.4.0-log", "mysql", "SHOW BINARY LOG STATUS"],
      ["8.2.0", "mysql", "SHOW BINARY LOG STATUS"],
      ["9.1.0", "mysql", "SHOW BINARY LOG STATUS"],
      ["8.1.0", "mysql", "SHOW MASTER STATUS"],
      ["8.0.39", "mysql", "SHOW MASTER STATUS"],
      ["10.11.6-MariaDB-log", "mariadb", "SHOW MASTER STATUS"],
      ["11.4.2-MariaDB-ubu2404", "mariadb", "SHOW MASTER STATUS"],
    ];
    for (const [version, flavor, statement] of cases) {
      const dialect = dialectFor(version);
      assert.deepEqual([dialect.flavor, dialect.binlogStatusStatement], [flavor, statement], version);
    }
  });

  it("accepts only client tools that can back up the server: same family, and MySQL tools 8.2+ for MySQL 8.2+", () => {
    const mysql84 = "mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)";
    const mysql80 = "mysqldump  Ver 8.0.39 for Linux on x86_64 (MySQL Community Server - GPL)";
    const mariadb = "mariadb-dump  Ver 10.19 Distrib 10.11.18-MariaDB, for debian-linux-gnu (x86_64)";
    assert.equal(toolsMismatch(dialectFor("8.4.3"), { flavor: "mysql", dumpVersion: mysql84 }), undefined);
    assert.equal(toolsMismatch(dialectFor("8.0.39"), { flavor: "mysql", dumpVersion: mysql80 }), undefined);
    assert.equal(toolsMismatch(dialectFor("10.11.6-MariaDB"), { flavor: "mariadb", dumpVersion: mariadb }), undefined);
    assert.match(toolsMismatch(dialectFor("8.4.3"), { flavor: "mysql", dumpVersion: mysql80 }) ?? "", /MySQL 8.2 and later need mysqldump\/mysqlbinlog 8.2 or later/);
    assert.match(toolsMismatch(dialectFor("8.4.3"), { flavor: "mariadb", dumpVersion: mariadb }) ?? "", /the source is MySQL 8.4.3 but the client tools are MariaDB's; install MySQL's .*DR_MYSQL_FLAVOR=mysql/);
    assert.match(toolsMismatch(dialectFor("10.11.6-MariaDB"), { flavor: "mysql", dumpVersion: mysql84 }) ?? "", /DR_MYSQL_FLAVOR=mariadb/);
  });

  it("refuses a version it cannot read instead of guessing", () => {
    assert.throws(() => dialectFor("unknown"), /cannot tell the server's SQL dialect from its version "unknown"/);
  });
});

describe("the agent against a MySQL 8.4 server (protocol-level double)", function () {
  this.timeout(30_000);
  let dir: string;
  let certificates: { ca: string; key: string; cert: string };
  let double: Mysql84Double;
  let endpoint: MysqlEndpoint;

  /** A direct mysql2 connection with the CA verified, independent of how the agent's connect() is configured. */
  const verified = () => mysql.createConnection({ host: "localhost", port: double.port, user: USER, password: PASSWORD, ssl: { ca: certificates.ca, rejectUnauthorized: true } });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mysql84-double-"));
    certificates = makeCertificates(dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    // As RDS with this program's parameter group (require_secure_transport=1): TLS or nothing.
    double = await Mysql84Double.start({ user: USER, password: PASSWORD, tls: { key: certificates.key, cert: certificates.cert }, requireSecureTransport: true });
    double.binlogs = [
      { name: "binlog.000007", size: 5_120 },
      { name: "binlog.000008", size: 1_307 },
    ];
    endpoint = { host: "localhost", port: double.port, user: USER, password: PASSWORD, tls: { mode: "VERIFY_IDENTITY", caFile: join(dir, "ca.pem") } };
  });

  afterEach(async () => {
    await double.close();
  });

  it("answers as 8.4 over verified TLS with caching_sha2_password (full, then fast authentication)", async () => {
    for (let i = 0; i < 2; i++) {
      const connection = await verified();
      try {
        const [rows] = await connection.query("SELECT VERSION() AS version");
        assert.deepEqual(rows, [{ version: "8.4.3" }]);
        const [status] = await connection.query("SHOW BINARY LOG STATUS");
        assert.deepEqual(status, [{ File: "binlog.000008", Position: 1307, Binlog_Do_DB: "", Binlog_Ignore_DB: "", Executed_Gtid_Set: "" }]);
      } finally {
        await connection.end();
      }
    }
    assert.deepEqual(double.sessions, [{ user: USER, tls: true, auth: "full" }, { user: USER, tls: true, auth: "fast" }]);
  });

  it("answers the statements 8.4 removed with MySQL's parse error, as a real 8.4 server does", async () => {
    const connection = await verified();
    try {
      for (const [statement, near] of [
        ["SHOW MASTER STATUS", "MASTER STATUS"],
        ["SHOW SLAVE STATUS", "SLAVE STATUS"],
        ["RESET MASTER", "MASTER"],
        ["SHOW MASTER LOGS", "MASTER LOGS"],
      ]) {
        const error = await rejection(connection.query(statement));
        assert.equal(error.errno, ER_PARSE_ERROR, statement);
        assert.equal(error.sqlState, "42000", statement);
        assert.equal(error.message, `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line 1`);
      }
    } finally {
      await connection.end();
    }
  });

  it("refuses a wrong password and, with require_secure_transport, a connection without TLS", async () => {
    const wrong = await rejection(mysql.createConnection({ host: "localhost", port: double.port, user: USER, password: "wrong", ssl: { ca: certificates.ca } }));
    assert.equal(wrong.errno, 1045);
    const plain = await rejection(mysql.createConnection({ host: "localhost", port: double.port, user: USER, password: PASSWORD }));
    assert.equal(plain.errno, 3159);
    assert.match(plain.message, /insecure transport are prohibited while --require_secure_transport=ON/);
  });

  it("without TLS, caching_sha2_password still authenticates by RSA key exchange (the server never sees the password in clear)", async () => {
    await double.close();
    double = await Mysql84Double.start({ user: USER, password: PASSWORD, tls: { key: certificates.key, cert: certificates.cert } });
    const connection = await mysql.createConnection({ host: "localhost", port: double.port, user: USER, password: PASSWORD });
    try {
      assert.deepEqual(await currentBinlogPosition(connection), { file: "binlog.000001", position: 158 });
    } finally {
      await connection.end();
    }
    assert.deepEqual(double.sessions, [{ user: USER, tls: false, auth: "full" }]);
  });

  it("refuses MariaDB's client tools for a MySQL 8.4 source before any backup, and accepts MySQL 8.4's", async () => {
    const mariadbTools = { flavor: "mariadb" as const, dumpVersion: "mariadb-dump  Ver 10.19 Distrib 10.11.18-MariaDB, for debian-linux-gnu (x86_64)" };
    assert.match(String(await toolsProblem(endpoint, mariadbTools)), /the source is MySQL 8\.4\.\d+ but the client tools are MariaDB's/);
    const mysqlTools = { flavor: "mysql" as const, dumpVersion: "mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)" };
    assert.equal(await toolsProblem(endpoint, mysqlTools), undefined);
  });

  it("starts a binlog chain at the 8.4 server's current file, reading it with SHOW BINARY LOG STATUS", async () => {
    const state = await newEpochState(endpoint);
    assert.equal(state.epochStartFile, "binlog.000008");
    assert.deepEqual(state.cursor.file, "binlog.000008");
    assert.ok(double.statements.includes("SHOW BINARY LOG STATUS"), double.statements.join("; "));
    assert.ok(!double.statements.some((sql) => /MASTER/i.test(sql)), double.statements.join("; "));
  });

  it("lists the 8.4 server's binlogs (the reader's start-file check)", async () => {
    const connection = await connect(endpoint);
    try {
      assert.deepEqual(await listServerBinlogs(connection), ["binlog.000007", "binlog.000008"]);
    } finally {
      await connection.end();
    }
  });

  it("measures lag against the 8.4 server: behind while the source is ahead, caught up once shipped, behind again after writes", async () => {
    let shipped: BinlogPosition = { file: "binlog.000008", position: 100 };
    const monitor = new LagMonitor(endpoint, () => shipped);
    try {
      await monitor.poll();
      let status = monitor.status();
      assert.equal(status.lastError, undefined);
      assert.equal(status.sourceReachable, true);
      assert.deepEqual(status.sourcePosition, { file: "binlog.000008", position: 1307 });
      assert.equal(status.caughtUpAt, undefined);
      assert.equal(monitor.sourceAheadOf(shipped), true);

      shipped = { file: "binlog.000008", position: 1307 };
      await monitor.poll();
      status = monitor.status();
      assert.ok(status.caughtUpAt, "caught up once the shipped position reaches the source's");
      assert.equal(monitor.sourceAheadOf(shipped), false);

      double.rotate();
      double.advance(42);
      await monitor.poll();
      assert.deepEqual(monitor.status().sourcePosition, { file: "binlog.000009", position: 200 });
      assert.equal(monitor.sourceAheadOf(shipped), true);
    } finally {
      await monitor.close();
    }
    const polls = double.statements.filter((sql) => sql === "SHOW BINARY LOG STATUS").length;
    assert.equal(polls, 3);
    assert.equal(double.statements.filter((sql) => /^SELECT VERSION\(\)/.test(sql)).length, 1, "the version is asked once per connection");
  });

  it("refuses SHOW MASTER STATUS on the agent's own verified connection (the statement the agent sent before it chose by version)", async () => {
    const connection = await connect(endpoint);
    try {
      const error = await rejection(connection.query("SHOW MASTER STATUS"));
      assert.equal(error.errno, ER_PARSE_ERROR);
    } finally {
      await connection.end();
    }
  });
});
