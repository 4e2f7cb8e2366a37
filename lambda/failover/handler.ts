import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { ClientFactory, defaultClients, ROUTE53_API_REGION } from "./clients";
import { FailoverConfig, parseFailoverEnv } from "./config";
import { AlarmFacts, decide } from "./event";
import { confirmPrimaryDown, HealthVerdict } from "./healthCheck";
import { acquireLock, HeldLock, LockOutcome, releaseLock } from "./lock";
import { createLogger, describeError, Logger } from "./log";
import { disabledNotice, failoverNotice, Notice, notConfirmedNotice, precheckFailedNotice, wouldHave } from "./message";
import { publishNotice } from "./notify";
import { promoteReplica } from "./promote";
import { scaleNodegroup } from "./scale";
import { runStep, StepReport } from "./steps";

/**
 * What one invocation did: ignored the event; only notified (disabled); found another run holding
 * the lock (`locked`); found Route 53 not confirming the outage (`not-confirmed`); or ran the failover.
 */
export interface FailoverResult {
    readonly action: "ignored" | "notified" | "locked" | "not-confirmed" | "failed-over";
    /** Why nothing was changed; set for `ignored`, `locked` and `not-confirmed`. */
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
    /** Milliseconds since the epoch, for step timings and the lock's expiry. Default `Date.now`. */
    readonly now: () => number;
    /** A token unique to this run, identifying its lock. Default `crypto.randomUUID`. */
    readonly lockOwner: () => string;
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
        const run: Run = { config, alarm: decision.alarm, clients, log, now, started, lockOwner: deps.lockOwner ?? randomUUID };
        return config.enabled ? failOverAlone(run) : notifyOnly(run);
    };
}

/**
 * The Lambda entry point: an EventBridge "CloudWatch Alarm State Change" event in, the primary's
 * health alarm entering ALARM triggers the failover (see README.md): one run at a time (a lock
 * in DynamoDB), and only once Route 53's checkers confirm the primary is down. Throws when the
 * environment is invalid, the lock or Route 53 cannot be read, or any step failed, so the
 * invocation is marked failed and Lambda retries it.
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
    readonly lockOwner: () => string;
}

/** Outcomes logged in the `finished` line; `aborted` is a run that changed nothing and failed. */
type RunAction = FailoverResult["action"] | "aborted";

async function notifyOnly(run: Run): Promise<FailoverResult> {
    run.log.info("disabled", { detail: "ENABLE_AUTO_FAILOVER is not \"true\": nothing is changed, people are told", wouldHave: wouldHave(run.config) });
    const steps = [await notify(run, disabledNotice(run.config, run.alarm))];
    finish(run, "notified", steps);
    return { action: "notified", steps };
}

/** Takes the lock, fails over if Route 53 confirms, and releases the lock however the run ends. */
async function failOverAlone(run: Run): Promise<FailoverResult> {
    const { config, clients, log } = run;
    const dynamodb = clients.dynamodb(config.lockTableRegion);
    let outcome: LockOutcome;
    try {
        outcome = await acquireLock(dynamodb, config, run.lockOwner(), run.now(), run.alarm.eventId);
    } catch (error) {
        return abort(run, `take the failover lock in DynamoDB table "${config.lockTableName}"`, error);
    }
    if (!outcome.acquired) {
        log.info("locked", { reason: outcome.reason, detail: "nothing is changed: the run holding the lock acts and notifies" });
        return { action: "locked", reason: outcome.reason, steps: [] };
    }
    const lock = outcome.lock;
    log.info("lock-taken", { table: config.lockTableName, ownerId: lock.ownerId, expiresAt: lock.expiresAt });
    try {
        return await failOverIfConfirmed(run);
    } finally {
        await release(run, dynamodb, lock);
    }
}

async function failOverIfConfirmed(run: Run): Promise<FailoverResult> {
    const { config, clients, log, now } = run;
    let verdict: HealthVerdict;
    try {
        verdict = await confirmPrimaryDown(clients.route53(ROUTE53_API_REGION), config.healthCheckId);
    } catch (error) {
        return abort(run, `read the status of Route 53 health check ${config.healthCheckId}`, error);
    }
    log.info("route53-status", { healthCheckId: config.healthCheckId, down: verdict.down, detail: verdict.detail, failures: verdict.failures });
    if (!verdict.down) {
        const reason = `Route 53 reports the primary healthy (${verdict.detail}); not failing over`;
        const steps = [await notify(run, notConfirmedNotice(config, run.alarm, verdict))];
        finish(run, "not-confirmed", steps);
        return { action: "not-confirmed", reason, steps };
    }
    // Independent steps: a failed promotion must not stop the nodes growing, and vice versa.
    const promoted = await runStep("promote-replica", log, now, () => promoteReplica(clients.rds(config.replicaRegion), config));
    const scaled = await runStep("scale-nodegroup", log, now, () => scaleNodegroup(clients.eks(config.clusterRegion), config));
    const steps = [promoted, scaled, await notify(run, failoverNotice(config, run.alarm, verdict, [promoted, scaled]))];
    finish(run, "failed-over", steps);
    return { action: "failed-over", steps };
}

/** A check before any change failed: tell people nothing changed, then fail so Lambda retries. */
async function abort(run: Run, what: string, error: unknown): Promise<never> {
    const { name, message } = describeError(error);
    run.log.error("precheck-failed", { detail: `could not ${what}`, error: { name, message } });
    const steps = [await notify(run, precheckFailedNotice(run.config, run.alarm, what, `${name}: ${message}`))];
    logFinished(run, "aborted", true, steps);
    throw error;
}

/** A lock this run cannot release lapses by itself after LOCK_SECONDS, so this never fails the run. */
async function release(run: Run, dynamodb: DynamoDBClient, lock: HeldLock): Promise<void> {
    const { config, log } = run;
    try {
        const result = await releaseLock(dynamodb, config, lock);
        if (result === "released") {
            log.info("lock-released", { table: config.lockTableName, ownerId: lock.ownerId });
        } else {
            log.error("lock-lost", { table: config.lockTableName, ownerId: lock.ownerId, detail: "the lock expired or another run holds it; nothing was deleted" });
        }
    } catch (error) {
        log.error("lock-release-failed", { table: config.lockTableName, ownerId: lock.ownerId, error: describeError(error), detail: `the lock lapses at ${lock.expiresAt} (epoch seconds)` });
    }
}

function notify(run: Run, notice: Notice): Promise<StepReport> {
    const { config, clients } = run;
    return runStep("notify", run.log, run.now, () => publishNotice(clients.sns(config.topicRegion), config.topicArn, notice));
}

/** Logs the outcome, then rethrows: the one error as it was, several as an AggregateError. */
function finish(run: Run, action: RunAction, steps: readonly StepReport[]): void {
    const failed = steps.filter(s => s.outcome === "failed");
    logFinished(run, action, failed.length > 0, steps);
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

function logFinished(run: Run, action: RunAction, failed: boolean, steps: readonly StepReport[]): void {
    run.log[failed ? "error" : "info"]("finished", {
        action,
        outcome: failed ? "failed" : "succeeded",
        steps: steps.map(s => ({ step: s.step, outcome: s.outcome })),
        durationMs: run.now() - run.started,
    });
}
