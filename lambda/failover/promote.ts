import { DBInstance, DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from "@aws-sdk/client-rds";
import { StepResult } from "./steps";

/**
 * Instance statuses that mean RDS is already changing the instance (a promotion shows as
 * `modifying`, then `rebooting` and `backing-up`). Promoting then would fail or repeat work.
 */
export const RDS_BUSY_STATUSES: ReadonlySet<string> = new Set([
    "backing-up", "creating", "maintenance", "modifying", "rebooting", "renaming", "resetting-master-credentials",
    "starting", "upgrading", "moving-to-vpc", "converting-to-vpc",
    "configuring-enhanced-monitoring", "configuring-iam-database-auth", "configuring-log-exports",
]);

/** Identifies the replica to promote. */
export interface PromoteTarget {
    readonly replicaId: string;
    readonly replicaRegion: string;
}

/**
 * Promotes the read replica to a standalone, writable primary, unless it already is one or RDS
 * is already changing it. Safe to repeat: a second call (or one after a manual promotion)
 * changes nothing.
 */
export async function promoteReplica(rds: RDSClient, target: PromoteTarget): Promise<StepResult> {
    const instance = await describe(rds, target.replicaId);
    const skip = reasonToSkip(instance, target.replicaId);
    if (skip !== undefined) {
        return { outcome: "skipped", detail: skip };
    }
    try {
        await rds.send(new PromoteReadReplicaCommand({
            DBInstanceIdentifier: target.replicaId,
            // Keep the retention Pulumi gave the replica; RDS would otherwise default to 1 day.
            ...(instance.BackupRetentionPeriod !== undefined && instance.BackupRetentionPeriod > 0
                ? { BackupRetentionPeriod: instance.BackupRetentionPeriod }
                : {}),
        }));
    } catch (error) {
        // Two invocations can pass the describe together; the loser sees the winner's promotion.
        if ((error as { name?: string }).name === "InvalidDBInstanceStateFault") {
            const again = reasonToSkip(await describe(rds, target.replicaId), target.replicaId);
            if (again !== undefined) {
                return { outcome: "skipped", detail: `${again} (RDS refused a second promotion)` };
            }
        }
        throw error;
    }
    return {
        outcome: "done",
        detail: `promotion of "${target.replicaId}" in ${target.replicaRegion} started ` +
            `(it replicated from ${instance.ReadReplicaSourceDBInstanceIdentifier}); RDS takes about 5-10 minutes`,
    };
}

async function describe(rds: RDSClient, replicaId: string): Promise<DBInstance> {
    const response = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: replicaId }));
    const instance = response.DBInstances?.[0];
    if (instance === undefined) {
        throw new Error(`RDS returned no DB instance "${replicaId}"`);
    }
    return instance;
}

function reasonToSkip(instance: DBInstance, replicaId: string): string | undefined {
    if (!instance.ReadReplicaSourceDBInstanceIdentifier) {
        return `"${replicaId}" is already a standalone primary (it has no replication source)`;
    }
    const status = instance.DBInstanceStatus ?? "unknown";
    if (RDS_BUSY_STATUSES.has(status)) {
        return `"${replicaId}" is ${status}: a promotion or modification is in progress`;
    }
    return undefined;
}
