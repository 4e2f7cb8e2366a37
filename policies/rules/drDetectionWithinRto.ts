import { StackValidationPolicy } from "@pulumi/policy";
import { healthCheckOf, primaryRecords, recordName } from "../lib/failover";
import { readKnown, UNKNOWN } from "../lib/known";
import { HealthCheckProps, RecordProps } from "../lib/types";

/** Config of {@link drDetectionWithinRto}. */
export interface DetectionConfig {
    /** Longest acceptable time from the primary failing to clients resolving the standby. */
    maxDetectionSeconds: number;
}

/** Route 53's defaults when a health check leaves them unset. */
export const ROUTE53_DEFAULT_INTERVAL_SECONDS = 30;
export const ROUTE53_DEFAULT_FAILURE_THRESHOLD = 3;
/** Alias records have no TTL of their own; Route 53 answers with the target's, 60 s for load balancers. */
export const ALIAS_TTL_SECONDS = 60;

/**
 * Detection time within the RTO budget: a PRIMARY failover record stops being served after its
 * health check's interval x failure threshold, and resolvers keep the old answer for the TTL.
 */
export const drDetectionWithinRto: StackValidationPolicy = {
    name: "dr-detection-within-rto",
    description: "Failover detection (health-check interval x failure threshold + record TTL) fits the configured budget.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Lower the health check's requestInterval (10 or 30 s) or failureThreshold, or the record's TTL (at most 60 s); or raise maxDetectionSeconds if the RTO allows it.",
    configSchema: {
        properties: {
            maxDetectionSeconds: {
                type: "integer",
                minimum: 10,
                default: 180,
                description: "Budget in seconds; the seeds' 30 s x 3 + 60 s TTL = 150 s fits the default 3 minutes.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { maxDetectionSeconds } = args.getConfig<DetectionConfig>();
        const primaries = primaryRecords(args.resources);
        if (primaries.length === 0) {
            args.notApplicable("The stack declares no PRIMARY failover record");
        }
        for (const record of primaries) {
            const check = healthCheckOf(record, args.resources);
            if (check === UNKNOWN || check === undefined) {
                continue;
            }
            const timing = readKnown(() => {
                const props = check.props as HealthCheckProps;
                const recordProps = record.props as RecordProps;
                const measured = props.type === undefined || ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"].includes(props.type);
                const isAlias = (recordProps.aliases ?? []).length > 0;
                return {
                    measured,
                    interval: props.requestInterval ?? ROUTE53_DEFAULT_INTERVAL_SECONDS,
                    threshold: props.failureThreshold ?? ROUTE53_DEFAULT_FAILURE_THRESHOLD,
                    ttl: isAlias ? ALIAS_TTL_SECONDS : recordProps.ttl,
                };
            });
            if (timing === UNKNOWN || !timing.measured || typeof timing.ttl !== "number") {
                continue;
            }
            const seconds = timing.interval * timing.threshold + timing.ttl;
            if (seconds > maxDetectionSeconds) {
                const name = recordName(record);
                reportViolation(
                    `PRIMARY failover record ${typeof name === "string" ? name : record.name} fails over after up to ${seconds} s ` +
                        `(health check ${check.name}: ${timing.interval} s x ${timing.threshold} failures, then TTL ${timing.ttl} s); the budget is ${maxDetectionSeconds} s`,
                    record.urn,
                );
            }
        }
    },
};
