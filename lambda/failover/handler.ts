import { ClientFactory, defaultClients } from "./clients";
import { FailoverConfig, parseFailoverEnv } from "./config";
import { AlarmFacts, decide } from "./event";
import { createLogger, describeError, Logger } from "./log";
import { disabledNotice, failoverNotice, Notice, wouldHave } from "./message";
import { publishNotice } from "./notify";
import { promoteReplica } from "./promote";
import { scaleNodegroup } from "./scale";
import { runStep, StepReport } from "./steps";

/** What one invocation did: ignored the event, only notified (disabled), or ran the failover. */
export interface FailoverResult {
    readonly action: "ignored" | "notified" | "failed-over";
    /** Why the event was ignored; set only for `ignored`. */
    readonly reason?: string;
    readonly steps: readonly StepReport[];
}

/** Everything the handler takes from its surroundings; tests replace any of it. */
export interface HandlerDeps {
    /** Environment to read the configuration from, at each invocation. Default `process.env`. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Default: SDK v3 clients for the configured regions. */
    readonly clients: ClientFactory;
    /** Default: JSON lines on stdout. */
    readonly logger: Logger;
    /** Milliseconds since the epoch, for step timings. Default `Date.now`. */
    readonly now: () => number;
}

/**
 * Builds the failover handler. Any dependency left out takes its production default, so
 * `createHandler()` is exactly the exported {@link handler}.
 */
export function createHandler(deps: Partial<HandlerDeps> = {}): (event: unknown) => Promise<FailoverResult> {
    return async event => {
        const now = deps.now ?? Date.now;
        const started = now();
        const log = deps.logger ?? createLogger(undefined, now);
        const clients = deps.clients ?? defaultClients;
        let config: FailoverConfig;
        try {
            config = parseFailoverEnv(deps.env ?? process.env);
        } catch (error) {
            log.error("invalid-environment", { error: describeError(error) });
            throw error;
        }

        const decision = decide(event, config.alarmName);
        if (!decision.act) {
            log.info("ignored", { reason: decision.reason });
            return { action: "ignored", reason: decision.reason, steps: [] };
        }
        log.info("alarm", { alarm: decision.alarm, enabled: config.enabled });
        const run: Run = { config, alarm: decision.alarm, clients, log, now, started };
        return config.enabled ? failOver(run) : notifyOnly(run);
    };
}

/**
 * The Lambda entry point: an EventBridge "CloudWatch Alarm State Change" event in, the primary's
 * health alarm entering ALARM triggers the failover (see README.md). Throws when the environment
 * is invalid or any step failed, so the invocation is marked failed.
 */
export const handler = createHandler();

/** One invocation that acts on an alarm. */
interface Run {
    readonly config: FailoverConfig;
    readonly alarm: AlarmFacts;
    readonly clients: ClientFactory;
    readonly log: Logger;
    readonly now: () => number;
    readonly started: number;
}

async function notifyOnly(run: Run): Promise<FailoverResult> {
    run.log.info("disabled", { detail: "ENABLE_AUTO_FAILOVER is not \"true\": nothing is changed, people are told", wouldHave: wouldHave(run.config) });
    const steps = [await notify(run, disabledNotice(run.config, run.alarm))];
    finish(run, "notified", steps);
    return { action: "notified", steps };
}

async function failOver(run: Run): Promise<FailoverResult> {
    const { config, clients, log, now } = run;
    // Independent steps: a failed promotion must not stop the nodes growing, and vice versa.
    const promoted = await runStep("promote-replica", log, now, () => promoteReplica(clients.rds(config.replicaRegion), config));
    const scaled = await runStep("scale-nodegroup", log, now, () => scaleNodegroup(clients.eks(config.clusterRegion), config));
    const steps = [promoted, scaled, await notify(run, failoverNotice(config, run.alarm, [promoted, scaled]))];
    finish(run, "failed-over", steps);
    return { action: "failed-over", steps };
}

function notify(run: Run, notice: Notice): Promise<StepReport> {
    const { config, clients } = run;
    return runStep("notify", run.log, run.now, () => publishNotice(clients.sns(config.topicRegion), config.topicArn, notice));
}

/** Logs the outcome, then rethrows: the one error as it was, several as an AggregateError. */
function finish(run: Run, action: FailoverResult["action"], steps: readonly StepReport[]): void {
    const failed = steps.filter(s => s.outcome === "failed");
    run.log[failed.length > 0 ? "error" : "info"]("finished", {
        action,
        outcome: failed.length > 0 ? "failed" : "succeeded",
        steps: steps.map(s => ({ step: s.step, outcome: s.outcome })),
        durationMs: run.now() - run.started,
    });
    if (failed.length === 1) {
        throw failed[0].error;
    }
    if (failed.length > 1) {
        throw new AggregateError(
            failed.map(s => s.error),
            `${failed.length} failover steps failed: ${failed.map(s => `${s.step} (${s.detail})`).join("; ")}`,
        );
    }
}
