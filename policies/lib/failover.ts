import { PolicyResource } from "@pulumi/policy";
import { isKnownString, readKnown, UNKNOWN, Unknown } from "./known";
import { identitiesBy, referencedBy } from "./references";
import { RecordProps, T } from "./types";

/** A Route 53 record's failover role: PRIMARY, SECONDARY, none, or unknown at preview. */
export function failoverRole(record: PolicyResource): string | undefined | Unknown {
    return readKnown(() => {
        const policies = (record.props as RecordProps).failoverRoutingPolicies ?? [];
        return policies.length > 0 ? policies[0].type?.toUpperCase() : undefined;
    });
}

/** The stack's failover records that are PRIMARY. */
export function primaryRecords(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter(resource => resource.type === T.record && failoverRole(resource) === "PRIMARY");
}

/** A record's name as Route 53 compares names: lower case, without the trailing dot. */
export function recordName(record: PolicyResource): string | Unknown | undefined {
    const name = readKnown(() => (record.props as RecordProps).name);
    return isKnownString(name) ? name.toLowerCase().replace(/\.$/, "") : name === UNKNOWN ? UNKNOWN : undefined;
}

/**
 * The stack's health check a record uses: found by the engine's dependency on `healthCheckId`
 * or by id. `undefined` when the record names none or one outside the stack; {@link UNKNOWN} when
 * that cannot be told at preview.
 */
export function healthCheckOf(record: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined | Unknown {
    const checks = resources.filter(resource => resource.type === T.healthCheck);
    const found = referencedBy(record, "healthCheckId", checks, identitiesBy());
    return found === UNKNOWN ? UNKNOWN : found[0];
}
