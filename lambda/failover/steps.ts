import { describeError, Logger } from "./log";

/** The steps of one failover, in the order they run. */
export type StepName = "promote-replica" | "scale-nodegroup" | "notify";

/** What a step that did not throw reports: it changed something, or found nothing to change. */
export interface StepResult {
    readonly outcome: "done" | "skipped";
    readonly detail: string;
}

/** A finished step as logged and summarised. `error` is set only when the outcome is `failed`. */
export interface StepReport {
    readonly step: StepName;
    readonly outcome: "done" | "skipped" | "failed";
    readonly detail: string;
    readonly startedAt: string;
    readonly durationMs: number;
    readonly error?: unknown;
}

/**
 * Runs one step, times it and logs it as one JSON line. A step that throws is reported as
 * `failed` instead of propagating, so the steps after it (and the notification) still run.
 */
export async function runStep(step: StepName, log: Logger, now: () => number, action: () => Promise<StepResult>): Promise<StepReport> {
    const started = now();
    const startedAt = new Date(started).toISOString();
    try {
        const result = await action();
        const report: StepReport = { step, outcome: result.outcome, detail: result.detail, startedAt, durationMs: now() - started };
        log.info("step", { step, outcome: report.outcome, detail: report.detail, startedAt, durationMs: report.durationMs });
        return report;
    } catch (error) {
        const { name, message } = describeError(error);
        const report: StepReport = { step, outcome: "failed", detail: `${name}: ${message}`, startedAt, durationMs: now() - started, error };
        log.error("step", { step, outcome: "failed", detail: report.detail, startedAt, durationMs: report.durationMs, error: { name, message } });
        return report;
    }
}
