/** Fields of one log record; serialised as JSON. */
export type LogFields = Record<string, unknown>;

/** Writes one JSON object per line, so CloudWatch Logs Insights can query every field. */
export interface Logger {
    info(event: string, fields?: LogFields): void;
    error(event: string, fields?: LogFields): void;
}

// stdout rather than console.log: the Lambda runtime prefixes console lines with text, which
// would stop Logs Insights from reading them as JSON.
const writeStdout = (line: string): void => {
    process.stdout.write(`${line}\n`);
};

/**
 * Creates a logger that writes `{"time", "level", "event", ...fields}` lines to `write`
 * (stdout by default), stamped with `now` (milliseconds since the epoch).
 */
export function createLogger(write: (line: string) => void = writeStdout, now: () => number = Date.now): Logger {
    const emit = (level: "info" | "error", event: string, fields: LogFields = {}) =>
        write(JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields }));
    return {
        info: (event, fields) => emit("info", event, fields),
        error: (event, fields) => emit("error", event, fields),
    };
}

/** The name and message of anything thrown, for logs and notifications. */
export function describeError(error: unknown): { name: string; message: string } {
    if (error instanceof Error) {
        return { name: error.name, message: error.message };
    }
    return { name: "NonError", message: String(error) };
}
