import { readFileSync } from "node:fs";

/**
 * Parses a KEY=VALUE file in the subset of systemd's EnvironmentFile syntax this project uses:
 * blank lines and lines starting with `#` are ignored; values may be wrapped in single or double
 * quotes. The same file can therefore be given to systemd and to `--config`.
 */
export function parseEnvFile(text: string, source = "config file"): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`${source} line ${index + 1}: expected KEY=VALUE`);
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) value = value.slice(1, -1);
    values[match[1]] = value;
  });
  return values;
}

/** Reads an env-format config file; keys already in `env` win, so the environment can override the file. */
export function loadEnvWithFile(env: NodeJS.ProcessEnv, file: string | undefined): Record<string, string | undefined> {
  if (!file) return { ...env };
  return { ...parseEnvFile(readFileSync(file, "utf8"), file), ...env };
}
