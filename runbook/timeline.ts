import * as fs from "fs";
import * as path from "path";

/** One timestamped entry of an incident's record. */
export interface TimelineEntry {
    readonly at: string;
    /** Seconds since the command started. */
    readonly elapsedSeconds: number;
    readonly step: string;
    readonly status: "start" | "done" | "skipped" | "failed" | "info";
    readonly detail?: string;
}

/**
 * The record of what a command did and when: printed as it happens, and saved as JSON so the
 * real RTO of an incident can be read afterwards.
 */
export class Timeline {
    private readonly entries: TimelineEntry[] = [];
    private readonly startedAt: number;

    constructor(
        readonly command: string,
        private readonly print: (line: string) => void,
        private readonly now: () => number = Date.now,
    ) {
        this.startedAt = this.now();
    }

    /** Records and prints one entry. */
    log(step: string, status: TimelineEntry["status"], detail?: string): void {
        const time = this.now();
        const entry: TimelineEntry = {
            at: new Date(time).toISOString(),
            elapsedSeconds: Math.round((time - this.startedAt) / 100) / 10,
            step,
            status,
            detail,
        };
        this.entries.push(entry);
        this.print(`${entry.at.slice(11, 23)} +${entry.elapsedSeconds.toFixed(1).padStart(6)}s  ${status.padEnd(7)} ${step}${detail ? `: ${detail}` : ""}`);
    }

    /** Runs `action` as a step: start, then done or failed (rethrowing). */
    async step<T>(step: string, action: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
        this.log(step, "start");
        try {
            const result = await action();
            this.log(step, "done", describe?.(result));
            return result;
        } catch (error) {
            this.log(step, "failed", (error as Error).message);
            throw error;
        }
    }

    /** Everything recorded so far. */
    get records(): readonly TimelineEntry[] {
        return this.entries;
    }

    /** Writes the record to `<dir>/<command>-<stack>-<start time>.json` and returns the path. */
    save(dir: string, stack: string): string {
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${this.command.replace(/\s+/g, "-")}-${stack}-${new Date(this.startedAt).toISOString().replace(/[:.]/g, "-")}.json`);
        fs.writeFileSync(file, JSON.stringify({ command: this.command, stack, startedAt: new Date(this.startedAt).toISOString(), entries: this.entries }, null, 2));
        return file;
    }
}
