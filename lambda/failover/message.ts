import { FailoverConfig } from "./config";
import { AlarmFacts } from "./event";
import { HealthVerdict, ROUTE53_HEALTHY_PERCENT } from "./healthCheck";
import { StepReport } from "./steps";

/** An SNS message: a fixed ASCII subject (SNS allows under 100 characters) and a plain-text body. */
export interface Notice {
    readonly subject: string;
    readonly message: string;
}

/** Subjects of the notices, fixed so mail filters and pagers can match them. */
export const SUBJECTS = {
    done: "DR: automatic failover ran - reconcile the stack",
    failed: "DR: automatic failover FAILED - act now",
    disabled: "DR: primary is down - failover needs a human decision",
    notConfirmed: "DR: primary alarm fired but Route 53 reports it healthy - no failover",
} as const;

/** The notice sent after the failover steps ran: what each did, and how to reconcile the stack. */
export function failoverNotice(config: FailoverConfig, alarm: AlarmFacts, verdict: HealthVerdict, reports: readonly StepReport[]): Notice {
    const failed = reports.some(r => r.outcome === "failed");
    const lines = [
        alarmLine(alarm),
        `Route 53 confirms the primary is down (health check ${config.healthCheckId}): ${verdict.detail}.`,
        `Automatic failover (ENABLE_AUTO_FAILOVER=true) ran in ${config.replicaRegion}:`,
        ...reports.map(r => `  - ${r.step}: ${r.outcome}. ${r.detail}`),
        "",
    ];
    if (failed) {
        lines.push(
            "At least one step FAILED. The invocation is marked failed and Lambda may retry it (every step is",
            "safe to repeat), but do not wait: finish the failover with the runbook command below.",
        );
    } else {
        lines.push("Reconcile the stack now, so the next `pulumi up` agrees with what was done:");
    }
    lines.push(...reconcileLines(config), ...eventLines(alarm));
    return { subject: failed ? SUBJECTS.failed : SUBJECTS.done, message: lines.join("\n") };
}

/** The notice sent when automatic failover is off: nothing changed, a human must decide. */
export function disabledNotice(config: FailoverConfig, alarm: AlarmFacts): Notice {
    const lines = [
        alarmLine(alarm),
        "Automatic failover is off (ENABLE_AUTO_FAILOVER is not \"true\"), so nothing was changed. It would have:",
        ...wouldHave(config).map(action => `  - ${action}`),
        "",
        "A human must decide whether to fail over. To do it:",
        ...reconcileLines(config),
        ...eventLines(alarm),
    ];
    return { subject: SUBJECTS.disabled, message: lines.join("\n") };
}

/**
 * The notice sent when the alarm fired but Route 53's checkers do not confirm the outage: nothing
 * changed, since promoting while DNS still sends users to the primary would split the writes.
 */
export function notConfirmedNotice(config: FailoverConfig, alarm: AlarmFacts, verdict: HealthVerdict): Notice {
    const lines = [
        alarmLine(alarm),
        "The alarm fired but Route 53 reports the primary healthy; not failing over.",
        `Route 53 health check ${config.healthCheckId}: ${verdict.detail}.`,
        `A failover needs at least ${100 - ROUTE53_HEALTHY_PERCENT}% of the checkers to report Failure: Route 53 keeps routing to`,
        `the primary while more than ${ROUTE53_HEALTHY_PERCENT}% report it healthy. Nothing was changed.`,
        "",
        "This alarm will not trigger another attempt until it returns to OK and fires again.",
        "If the primary is in fact down, fail over by hand:",
        ...reconcileLines(config),
        ...eventLines(alarm),
    ];
    return { subject: SUBJECTS.notConfirmed, message: lines.join("\n") };
}

/** The notice sent when a check before any change failed (the lock, Route 53): nothing changed. */
export function precheckFailedNotice(config: FailoverConfig, alarm: AlarmFacts, what: string, error: string): Notice {
    const lines = [
        alarmLine(alarm),
        `Automatic failover did not start: it could not ${what}: ${error}`,
        "Nothing was changed. Lambda retries the invocation (after 1 and then 2 more minutes), but do not",
        "wait: check the primary and, if it is down, fail over with:",
        ...reconcileLines(config),
        ...eventLines(alarm),
    ];
    return { subject: SUBJECTS.failed, message: lines.join("\n") };
}

/** What an enabled run would change, in words; also logged when the function is disabled. */
export function wouldHave(config: FailoverConfig): string[] {
    return [
        `promote the read replica "${config.replicaId}" in ${config.replicaRegion}`,
        `scale node group "${config.nodegroupName}" of EKS cluster "${config.clusterName}" (${config.clusterRegion}) to ${config.failoverNodeCount} nodes`,
    ];
}

function alarmLine(alarm: AlarmFacts): string {
    return `The primary health alarm "${alarm.alarmName}" is in ALARM since ${alarm.since ?? "an unknown time"}` +
        `${alarm.reason ? `: ${alarm.reason}` : "."}`;
}

function reconcileLines(config: FailoverConfig): string[] {
    return [
        `    npm run dr -- failover --stack ${config.stackName}`,
        "  (it runs `pulumi config set failover true` on the stack and `pulumi up`, which promotes and",
        "  scales whatever is not done yet and changes nothing that already is).",
    ];
}

function eventLines(alarm: AlarmFacts): string[] {
    return alarm.eventId ? ["", `EventBridge event: ${alarm.eventId}`] : [];
}
