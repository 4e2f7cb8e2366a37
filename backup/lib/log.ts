import { redact } from "./secrets";

/** Log line format: human-readable text or one JSON object per line. */
export type LogFormat = "text" | "json";

/** Fields attached to a log line. */
export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** A leveled logger that writes redacted lines to stderr (stdout is kept for `--json` results). */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Creates a logger writing to `write` (stderr by default) in the given format. */
export function createLogger(format: LogFormat, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string, message: string, fields: LogFields = {}) => {
    const time = new Date().toISOString();
    const line =
      format === "json"
        ? JSON.stringify({ time, level, message, ...fields })
        : `${time} ${level.toUpperCase().padEnd(5)} ${message}${Object.entries(fields)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => ` ${key}=${typeof value === "string" && /\s/.test(value) ? JSON.stringify(value) : value}`)
            .join("")}`;
    write(`${redact(line)}\n`);
  };
  return {
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
  };
}

/** A logger that drops everything (for library callers that want silence). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
