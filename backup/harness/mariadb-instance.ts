import { ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Connection } from "mysql2/promise";
import { EndpointTls, MysqlEndpoint } from "../config/shared";
import { connect } from "../lib/mysql-connection";
import { freePort } from "./ports";
import { TestPki, createTestPki } from "./test-pki";

const execFileAsync = promisify(execFile);

/** Options for a throwaway MariaDB server. */
export interface MariaDbOptions {
  /** Turn on ROW binlogs with sync_binlog=1 (a primary); off for a restore target. */
  binlog: boolean;
  serverId?: number;
  /** Extra mariadbd options, e.g. `--innodb-buffer-pool-size=512M`. */
  extraArgs?: string[];
  /** Parent directory for the data dir (default: the OS temp dir). */
  parentDir?: string;
  /** Server certificate and CA to serve; default: a new CA and a certificate for 127.0.0.1/localhost in the data dir. */
  pki?: TestPki;
  /**
   * Serve plaintext too (no require_secure_transport) and hand out plaintext loopback endpoints:
   * only to measure what TLS costs (bench --plaintext). Default false: TLS required, as RDS and Azure do.
   */
  plaintext?: boolean;
  /**
   * The host name clients (and the harness) use; the certificate must name it. Default `localhost`
   * (a DNS name, as RDS and Azure endpoints are: VERIFY_IDENTITY refuses IP addresses).
   */
  clientHost?: string;
}

const MARIADBD_CANDIDATES = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"];

/**
 * A real MariaDB server in a temp dir, listening on 127.0.0.1 only, started and removed by the
 * code that needs it (tests, drill, bench). Like RDS and Azure MySQL it requires TLS
 * (`require_secure_transport=ON`) with a certificate from a CA made for this run; its endpoints
 * carry that CA with VERIFY_IDENTITY. Root has no password; a least-privilege `dr_agent`
 * user (password `agent-secret`) mirrors what production grants the backup agent.
 */
export class MariaDbInstance {
  static readonly AGENT_USER = "dr_agent";
  static readonly AGENT_PASSWORD = "agent-secret";

  private process?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(readonly dir: string, readonly port: number, readonly pki: TestPki, private readonly options: MariaDbOptions) {}

  /** Creates the data dir, starts the server and waits until it accepts queries. */
  static async start(options: MariaDbOptions): Promise<MariaDbInstance> {
    const dir = await fs.mkdtemp(join(options.parentDir ?? tmpdir(), "mysql-dr-mariadb-"));
    const pki = options.pki ?? (await createTestPki(join(dir, "tls")));
    const instance = new MariaDbInstance(dir, await freePort(), pki, options);
    await fs.mkdir(join(dir, "tmp"));
    // A private tmpdir: bootstraps running in parallel collide on temp-table names in a shared /tmp.
    await execFileAsync(
      "mariadb-install-db",
      ["--no-defaults", `--datadir=${join(dir, "data")}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"],
      { env: { ...process.env, TMPDIR: join(dir, "tmp") } },
    ).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT" ? new Error("mariadb-install-db not found; install MariaDB with: apt-get install -y mariadb-server") : error;
    });
    await instance.launch();
    const root = await instance.rootConnection();
    try {
      await root.query(`CREATE USER '${MariaDbInstance.AGENT_USER}'@'127.0.0.1' IDENTIFIED BY '${MariaDbInstance.AGENT_PASSWORD}'`);
      await root.query(
        `GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MariaDbInstance.AGENT_USER}'@'127.0.0.1'`,
      );
    } finally {
      await root.end();
    }
    return instance;
  }

  /** Starts (or restarts) mariadbd on the same data dir and port. */
  async launch(): Promise<void> {
    const binary = MARIADBD_CANDIDATES.find((candidate) => existsSync(candidate));
    if (!binary) throw new Error("mariadbd not found; install it with: apt-get install -y mariadb-server");
    const args = [
      "--no-defaults",
      `--datadir=${join(this.dir, "data")}`,
      `--socket=${join(this.dir, "mysqld.sock")}`,
      `--pid-file=${join(this.dir, "mysqld.pid")}`,
      `--tmpdir=${join(this.dir, "tmp")}`,
      `--port=${this.port}`,
      "--bind-address=127.0.0.1",
      "--user=root",
      "--skip-name-resolve",
      "--innodb-buffer-pool-size=256M",
      "--innodb-log-file-size=256M",
      "--max-connections=200",
      `--ssl-ca=${this.pki.caFile}`,
      `--ssl-cert=${this.pki.certFile}`,
      `--ssl-key=${this.pki.keyFile}`,
      `--require-secure-transport=${this.options.plaintext ? "OFF" : "ON"}`,
      `--log-error=${join(this.dir, "error.log")}`,
      ...(this.options.binlog
        ? [`--log-bin=${join(this.dir, "data", "mysql-bin")}`, `--server-id=${this.options.serverId ?? 1}`, "--binlog-format=ROW", "--sync-binlog=1"]
        : ["--skip-log-bin", `--server-id=${this.options.serverId ?? 2}`]),
      ...(this.options.extraArgs ?? []),
    ];
    const child = spawn(binary, args, { stdio: "ignore" });
    this.process = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const connection = await this.rootConnection();
        await connection.end();
        // A server that died at once while another one answers on the same port must not pass as started.
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mariadbd exited (${child.exitCode ?? child.signalCode})`);
        return;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) {
          const log = await fs.readFile(join(this.dir, "error.log"), "utf8").catch(() => "");
          throw new Error(`mariadbd did not start: ${(error as Error).message}\n${log.slice(-2_000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** How clients reach this server: VERIFY_IDENTITY against this run's CA (plaintext only when started so). */
  get tls(): EndpointTls {
    return this.options.plaintext ? { mode: "INSECURE_PLAINTEXT_LOOPBACK_ONLY" } : { mode: "VERIFY_IDENTITY", caFile: this.pki.caFile };
  }

  private get clientHost(): string {
    return this.options.clientHost ?? "localhost";
  }

  /** Root endpoint (no password). */
  get rootEndpoint(): MysqlEndpoint {
    return { host: this.clientHost, port: this.port, user: "root", tls: this.tls };
  }

  /** The least-privilege agent endpoint. */
  get agentEndpoint(): MysqlEndpoint {
    return { host: this.clientHost, port: this.port, user: MariaDbInstance.AGENT_USER, password: MariaDbInstance.AGENT_PASSWORD, tls: this.tls };
  }

  rootConnection(database?: string): Promise<Connection> {
    return connect(this.rootEndpoint, database);
  }

  /** The server's process id (for kill -9 drills). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** SIGKILL: the crash a region loss looks like to the database. */
  async kill(): Promise<void> {
    this.process?.kill("SIGKILL");
    await this.exited;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 20 s). */
  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process?.kill("SIGKILL"), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the server and deletes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
