import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { failoverRole, primaryRecords, recordName } from "../lib/failover";
import { isKnownString, readKnown, UNKNOWN } from "../lib/known";
import { RecordProps, T } from "../lib/types";

/** Every PRIMARY failover record has a health check and a SECONDARY partner. */
export const drFailoverRecordHasHealthCheck: StackValidationPolicy = {
    name: "dr-failover-record-has-health-check",
    description: "Every PRIMARY Route 53 failover record has a health check and a SECONDARY record with the same name and type to fail over to.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set healthCheckId on the PRIMARY record (or evaluateTargetHealth on its alias), and declare a SECONDARY failover record with the same zone, name and type pointing at the standby.",
    validateStack: (args, reportViolation) => {
        const failoverRecords = args.resources.filter(r => r.type === T.record && failoverRole(r) !== undefined);
        if (failoverRecords.length === 0) {
            args.notApplicable("The stack declares no Route 53 failover record");
        }
        for (const primary of primaryRecords(args.resources)) {
            const props = primary.props as RecordProps;
            const label = `PRIMARY failover record ${describe(primary)}`;
            const healthCheckId = readKnown(() => props.healthCheckId);
            const evaluatesTarget = readKnown(() => props.aliases?.[0]?.evaluateTargetHealth);
            if (healthCheckId !== UNKNOWN && !isKnownString(healthCheckId) && evaluatesTarget !== true && evaluatesTarget !== UNKNOWN) {
                reportViolation(`${label} has no health check: Route 53 would keep answering with the failed primary. Set healthCheckId, or evaluateTargetHealth on its alias`, primary.urn);
            }
            const partner = hasSecondary(primary, failoverRecords);
            if (partner === false) {
                reportViolation(`${label} has no SECONDARY record with the same zone, name and type: there is nothing to fail over to`, primary.urn);
            }
        }
    },
};

/** `app.example.com (CNAME)`, with what is unknown said so. */
function describe(record: PolicyResource): string {
    const name = recordName(record);
    const type = readKnown(() => (record.props as RecordProps).type);
    return `${name === UNKNOWN || name === undefined ? record.name : name} (${typeof type === "string" ? type : "type unknown"})`;
}

/** true / false, or undefined when a name, zone or type involved is unknown at preview. */
function hasSecondary(primary: PolicyResource, records: PolicyResource[]): boolean | undefined {
    const key = (record: PolicyResource) => {
        const zone = readKnown(() => (record.props as RecordProps).zoneId);
        const type = readKnown(() => (record.props as RecordProps).type);
        const name = recordName(record);
        return [zone, name, type].some(part => part === UNKNOWN) ? UNKNOWN : JSON.stringify([zone, name, typeof type === "string" ? type.toUpperCase() : type]);
    };
    const wanted = key(primary);
    if (wanted === UNKNOWN) {
        return undefined;
    }
    let undecided = false;
    for (const record of records) {
        const role = failoverRole(record);
        const candidate = key(record);
        if (role === UNKNOWN || candidate === UNKNOWN) {
            undecided = true;
        } else if (role === "SECONDARY" && candidate === wanted) {
            return true;
        }
    }
    return undecided ? undefined : false;
}
