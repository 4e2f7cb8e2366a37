import { spawn } from "node:child_process";

/** Runs a bash pipeline (with pipefail) and returns its wall time in seconds; throws with stderr on failure. */
export function timedShell(script: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", script], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2_000)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve((Date.now() - started) / 1000) : reject(new Error(`exit ${code}: ${script.slice(0, 120)}...\n${stderr}`))));
  });
}

/** Quotes a value for bash. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}
