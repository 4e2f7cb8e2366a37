/** EventBridge `source` of CloudWatch alarm events. */
export const ALARM_EVENT_SOURCE = "aws.cloudwatch";
/** EventBridge `detail-type` of CloudWatch alarm state changes. */
export const ALARM_EVENT_DETAIL_TYPE = "CloudWatch Alarm State Change";

/** The parts of a CloudWatch "Alarm State Change" event this function reads. */
export interface AlarmStateChangeEvent {
    readonly id?: string;
    readonly source?: string;
    readonly "detail-type"?: string;
    readonly account?: string;
    readonly region?: string;
    readonly time?: string;
    readonly detail?: {
        readonly alarmName?: string;
        readonly state?: { readonly value?: string; readonly reason?: string; readonly timestamp?: string };
        readonly previousState?: { readonly value?: string };
    };
}

/** What the triggering alarm said, kept for the logs and the notification. */
export interface AlarmFacts {
    readonly alarmName: string;
    readonly reason?: string;
    /** When the alarm entered ALARM (the state's timestamp, else the event's time). */
    readonly since?: string;
    readonly eventId?: string;
    /** Region the alarm lives in (us-east-1 for Route 53 health checks). */
    readonly alarmRegion?: string;
}

/** Whether an event asks for a failover, and if not, why. */
export type EventDecision =
    | { readonly act: true; readonly alarm: AlarmFacts }
    | { readonly act: false; readonly reason: string };

/**
 * Decides whether `event` is the primary health alarm entering ALARM. Anything else (other
 * sources, other alarms, OK, INSUFFICIENT_DATA, malformed input) is ignored with a reason.
 */
export function decide(event: unknown, alarmName: string): EventDecision {
    if (typeof event !== "object" || event === null || Array.isArray(event)) {
        return { act: false, reason: "the input is not an EventBridge event object" };
    }
    const e = event as AlarmStateChangeEvent;
    if (e.source !== ALARM_EVENT_SOURCE || e["detail-type"] !== ALARM_EVENT_DETAIL_TYPE) {
        return {
            act: false,
            reason: `the event is ${JSON.stringify(e["detail-type"] ?? null)} from ${JSON.stringify(e.source ?? null)}, ` +
                `not "${ALARM_EVENT_DETAIL_TYPE}" from "${ALARM_EVENT_SOURCE}"`,
        };
    }
    const name = e.detail?.alarmName;
    if (name !== alarmName) {
        return { act: false, reason: `alarm ${JSON.stringify(name ?? null)} is not the primary health alarm ${JSON.stringify(alarmName)}` };
    }
    const state = e.detail?.state?.value;
    if (state !== "ALARM") {
        return { act: false, reason: `alarm "${alarmName}" changed to ${JSON.stringify(state ?? null)}; only ALARM triggers a failover` };
    }
    return {
        act: true,
        alarm: {
            alarmName,
            reason: e.detail?.state?.reason,
            since: e.detail?.state?.timestamp ?? e.time,
            eventId: e.id,
            alarmRegion: e.region,
        },
    };
}
