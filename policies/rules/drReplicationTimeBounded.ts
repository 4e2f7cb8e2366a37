import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../lib/typed";
import { T } from "../lib/types";

interface ReplicationRule {
    id?: string;
    status?: string;
    destination?: { bucket?: string; replicationTime?: { status?: string }; metrics?: { status?: string } };
}

/**
 * S3 cross-region replication has no time bound unless Replication Time Control is on (99.99% of
 * objects within 15 minutes); without it the warm standby's RPO for objects is unbounded.
 */
export const drReplicationTimeBounded: ResourceValidationPolicy = {
    name: "dr-replication-time-bounded",
    description: "Every enabled S3 replication rule uses Replication Time Control (and its metrics), so replication has a time bound.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set destination.replicationTime { status: \"Enabled\", time: { minutes: 15 } } and destination.metrics { status: \"Enabled\", eventThreshold: { minutes: 15 } } on each rule (the program's bucketReplicationTimeControl).",
    validateResource: resourceOfType<{ rules?: ReplicationRule[] }>(T.bucketReplication, (props, _args, reportViolation) => {
        for (const [index, rule] of (props.rules ?? []).entries()) {
            if (rule.status !== "Enabled") {
                continue;
            }
            const label = `replication rule ${rule.id ? JSON.stringify(rule.id) : index + 1}`;
            if (rule.destination?.replicationTime?.status !== "Enabled") {
                reportViolation(`${label} has no Replication Time Control, so S3 gives its replication no time bound`);
            } else if (rule.destination.metrics?.status !== "Enabled") {
                reportViolation(`${label} enables Replication Time Control without replication metrics, which S3 requires with it`);
            }
        }
    }),
};
