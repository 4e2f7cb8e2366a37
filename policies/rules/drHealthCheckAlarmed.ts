import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { healthCheckOf, primaryRecords } from "../lib/failover";
import { readKnown, UNKNOWN } from "../lib/known";
import { awsRegionOf } from "../lib/regions";
import { T } from "../lib/types";

/** Route 53 publishes health-check metrics in this region only. */
export const ROUTE53_METRICS_REGION = "us-east-1";

interface AlarmProps {
    region?: string;
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, string>;
    alarmActions?: string[];
}

/**
 * The seeds' detection chain: health check, then a CloudWatch alarm, then a notice. Every health
 * check behind a PRIMARY record needs an alarm on its HealthCheckStatus, in us-east-1 (the only
 * region Route 53 publishes the metric to), that notifies someone.
 */
export const drHealthCheckAlarmed: StackValidationPolicy = {
    name: "dr-health-check-alarmed",
    description: "Every health check behind a PRIMARY failover record has a CloudWatch alarm in us-east-1 on its HealthCheckStatus, with alarm actions.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Declare an aws.cloudwatch.MetricAlarm in us-east-1 on AWS/Route53 HealthCheckStatus with the HealthCheckId dimension, and alarmActions pointing at a topic the on-call team subscribes to.",
    validateStack: (args, reportViolation) => {
        const primaries = primaryRecords(args.resources);
        if (primaries.length === 0) {
            args.notApplicable("The stack declares no PRIMARY failover record");
        }
        const alarms = args.resources.filter(resource => resource.type === T.metricAlarm);
        for (const record of primaries) {
            const check = healthCheckOf(record, args.resources);
            if (check === UNKNOWN || check === undefined) {
                continue;
            }
            const watching = alarmsWatching(check, alarms);
            if (watching === UNKNOWN) {
                continue;
            }
            if (watching.length === 0) {
                reportViolation(`health check ${check.name} of PRIMARY record ${record.name} has no CloudWatch alarm on its HealthCheckStatus: nobody is told when the primary fails`, check.urn);
            }
            for (const alarm of watching) {
                const props = alarm.props as AlarmProps;
                const region = awsRegionOf(props, alarm.provider);
                if (region !== UNKNOWN && region !== ROUTE53_METRICS_REGION) {
                    reportViolation(
                        `alarm ${alarm.name} watches health check ${check.name} from ${region ?? "its provider's default region"}, but Route 53 publishes health-check metrics only in ${ROUTE53_METRICS_REGION}: it would never fire`,
                        alarm.urn,
                    );
                }
                const actions = readKnown(() => props.alarmActions?.length ?? 0);
                if (actions === 0) {
                    reportViolation(`alarm ${alarm.name} has no alarmActions: it changes state without telling anyone`, alarm.urn);
                }
            }
        }
    },
};

/** Alarms on AWS/Route53 HealthCheckStatus for this check; UNKNOWN when an alarm's target is unknown. */
function alarmsWatching(check: PolicyResource, alarms: PolicyResource[]): PolicyResource[] | typeof UNKNOWN {
    const checkId = readKnown(() => check.props.id as string | undefined);
    let undecided = false;
    const watching = alarms.filter(alarm => {
        const props = alarm.props as AlarmProps;
        const metric = readKnown(() => [props.namespace, props.metricName]);
        if (metric === UNKNOWN) {
            undecided = true;
            return false;
        }
        if (metric[0] !== "AWS/Route53" || metric[1] !== "HealthCheckStatus") {
            return false;
        }
        const byDependency = (alarm.propertyDependencies?.dimensions ?? []).some(dependency => dependency.urn === check.urn);
        if (byDependency) {
            return true;
        }
        const dimension = readKnown(() => props.dimensions?.HealthCheckId);
        if (dimension === UNKNOWN || checkId === UNKNOWN || checkId === undefined) {
            undecided = true;
            return false;
        }
        return dimension === checkId;
    });
    return watching.length === 0 && undecided ? UNKNOWN : watching;
}
