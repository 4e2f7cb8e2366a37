import { ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BlobSettings, EndpointTls, MysqlEndpoint } from "../config/shared";

const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * How to start the CLI: the bundled `dist/mysql-dr.js` when MYSQL_DR_CLI points at it (to test
 * the artifact that ships), otherwise the TypeScript sources through ts-node.
 */
export function cliCommand(): { command: string; args: string[] } {
  const bundle = process.env.MYSQL_DR_CLI;
  if (bundle) return { command: process.execPath, args: [resolve(bundle)] };
  const register = require.resolve("ts-node/register/transpile-only");
  return { command: process.execPath, args: ["-r", register, join(REPO_ROOT, "backup", "cli.ts")] };
}

/** `<prefix>_SSL_MODE` and `<prefix>_SSL_CA` for an endpoint's TLS settings. */
export function tlsEnvironment(prefix: string, tls: EndpointTls): Record<string, string> {
  return tls.mode === "VERIFY_IDENTITY" ? { [`${prefix}_SSL_MODE`]: tls.mode, [`${prefix}_SSL_CA`]: tls.caFile } : { [`${prefix}_SSL_MODE`]: tls.mode };
}

/** Environment for the agent from typed settings. */
export function agentEnvironment(source: MysqlEndpoint, blob: BlobSettings, databases: string[], stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DR_MYSQL_HOST: source.host,
    DR_MYSQL_PORT: String(source.port),
    DR_MYSQL_USER: source.user,
    ...(source.password ? { DR_MYSQL_PASSWORD: source.password } : {}),
    ...tlsEnvironment("DR_MYSQL", source.tls),
    DR_DATABASES: databases.join(","),
    DR_BLOB_CONTAINER_URL: blob.containerUrl,
    DR_BLOB_SAS: blob.sas,
    DR_BLOB_PREFIX: blob.prefix,
    DR_STATE_DIR: stateDir,
    ...extra,
  };
}

/** Environment for the restore tool from typed settings. */
export function restoreEnvironment(target: MysqlEndpoint, blob: BlobSettings, workDir: string): Record<string, string> {
  return {
    DR_TARGET_HOST: target.host,
    DR_TARGET_PORT: String(target.port),
    DR_TARGET_USER: target.user,
    ...(target.password ? { DR_TARGET_PASSWORD: target.password } : {}),
    ...tlsEnvironment("DR_TARGET", target.tls),
    DR_BLOB_CONTAINER_URL: blob.containerUrl,
    DR_BLOB_SAS: blob.sas,
    DR_BLOB_PREFIX: blob.prefix,
    DR_WORK_DIR: workDir,
  };
}

function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("DR_")) env[key] = value;
  return { ...env, ...extra };
}

/** A running agent process with its captured log. */
export class AgentProcess {
  private log = "";
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stderr?.on("data", (chunk: Buffer) => (this.log += chunk.toString("utf8")));
    child.stdout?.on("data", (chunk: Buffer) => (this.log += chunk.toString("utf8")));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static start(env: Record<string, string>): AgentProcess {
    const { command, args } = cliCommand();
    return new AgentProcess(spawn(command, [...args, "agent"], { env: cleanEnvironment(env), stdio: ["ignore", "pipe", "pipe"] }));
  }

  /** Everything the agent printed so far. */
  output(): string {
    return this.log;
  }

  /** Sends a signal without waiting. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILL and wait: the agent dies with no chance to clean up. */
  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM and wait for a clean exit; SIGKILL after 30 s (then the exit code is null). */
  async stop(): Promise<number | null> {
    if (this.running) this.child.kill("SIGTERM");
    const timer = setTimeout(() => {
      this.log += "\n[harness] agent did not stop within 30 s of SIGTERM; killed\n";
      this.child.kill("SIGKILL");
    }, 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

/** Reads `<stateDir>/status.json`, or undefined when the agent has not written it yet. */
export function readAgentStatus(stateDir: string): import("../agent/status").AgentStatus | undefined {
  const path = join(stateDir, "status.json");
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** Polls `condition` until it returns a value, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, condition: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The outcome of one restore CLI run. */
export interface RestoreRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  result?: import("../restore/restore").RestoreResult;
}

/** How to run the restore CLI: `--json` (the default) and a file-size limit in 512-byte blocks (`ulimit -f`: writes past it fail with EFBIG). */
export interface RestoreCliOptions {
  json?: boolean;
  fileLimitBlocks?: number;
}

/** Runs `mysql-dr restore [--json] [args]` to completion. */
export function runRestoreCli(env: Record<string, string>, extraArgs: string[] = [], options: RestoreCliOptions = {}): Promise<RestoreRun> {
  const { command, args } = cliCommand();
  const started = Date.now();
  const argv = [...args, "restore", ...(options.json === false ? [] : ["--json"]), ...extraArgs];
  const spawnOptions = { env: cleanEnvironment(env), stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
  const child = options.fileLimitBlocks
    ? spawn("/bin/sh", ["-c", `ulimit -f ${options.fileLimitBlocks} && exec "$@"`, "sh", command, ...argv], spawnOptions)
    : spawn(command, argv, spawnOptions);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve) => {
    child.once("close", (code) => {
      let result;
      try {
        result = JSON.parse(stdout);
      } catch {
        result = undefined;
      }
      resolve({ code, stdout, stderr, wallSeconds: (Date.now() - started) / 1000, result });
    });
  });
}
