import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { recordName } from "../../lib/failover";
import { isKnownString, readKnown, UNKNOWN } from "../../lib/known";
import { stackResourcesOfType } from "../../lib/typed";
import { RecordProps, T } from "../../lib/types";

/**
 * What makes two records the same record set to Route 53: zone, name (lower case, no trailing dot)
 * and type (upper case). `undefined` when the record has a `setIdentifier` (weighted, failover,
 * latency... records share a name by design), or when a part is unknown at preview or unset.
 */
export function recordSetKey(record: PolicyResource): string | undefined {
    const props = record.props as RecordProps;
    const setIdentifier = readKnown(() => props.setIdentifier);
    if (setIdentifier === UNKNOWN || isKnownString(setIdentifier)) {
        return undefined;
    }
    const zone = readKnown(() => props.zoneId);
    const name = recordName(record);
    const type = readKnown(() => props.type);
    if (!isKnownString(zone) || !isKnownString(name) || !isKnownString(type)) {
        return undefined;
    }
    return JSON.stringify([zone, name, type.toUpperCase()]);
}

/**
 * No two Route 53 records of the stack are the same record set (zone, name, type, no
 * `setIdentifier`) unless every one of them sets `allowOverwrite: true`. Without it the provider
 * creates a record with CREATE, and Route 53 refuses the second ("Tried to create resource record
 * set ... but it already exists"); the mock runtime never notices. The program's ACM validation
 * records share a name across sites by design (ACM gives every certificate of a name in an
 * account the same record) and set `allowOverwrite`. A record whose zone, name, type,
 * `setIdentifier` or `allowOverwrite` is unknown at preview is judged at update.
 */
export const awsRoute53RecordUnique: StackValidationPolicy = {
    name: "aws-route53-record-unique",
    description: "No two Route 53 records with the same zone, name and type and no setIdentifier, unless all of them set allowOverwrite: true (Route 53 refuses to create a record set that exists; allowOverwrite is false by default: https://www.pulumi.com/registry/packages/aws/api-docs/route53/record/).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Give one of the records another name or type; or, for records that are meant to be the same (ACM DNS validation records shared by two certificates of one name), set allowOverwrite: true on every one of them; or make them a routing policy set with a setIdentifier each.",
    validateStack: (args, reportViolation) => {
        const records = stackResourcesOfType(args.resources, T.record);
        if (records.length === 0) {
            args.notApplicable("The stack declares no Route 53 record");
        }
        const sets = new Map<string, PolicyResource[]>();
        for (const record of records) {
            const key = recordSetKey(record);
            if (key !== undefined) {
                sets.set(key, [...(sets.get(key) ?? []), record]);
            }
        }
        for (const [key, same] of sets) {
            if (same.length < 2) {
                continue;
            }
            const overwrite = same.map(record => readKnown(() => (record.props as RecordProps).allowOverwrite));
            if (overwrite.includes(UNKNOWN) || overwrite.every(value => value === true)) {
                continue;
            }
            const [zone, name, type] = JSON.parse(key) as string[];
            const [first, ...others] = same;
            for (const other of others) {
                reportViolation(`Route 53 records ${first.name} and ${other.name} are the same record set (${name} ${type} in zone ${zone}, no setIdentifier): Route 53 refuses to create the second one as already existing. Rename one, or set allowOverwrite: true on both if they are meant to be one record`, other.urn);
            }
        }
    },
};
