import { DescribeNodegroupCommand, EKSClient, Nodegroup, UpdateNodegroupConfigCommand } from "@aws-sdk/client-eks";
import { StepResult } from "./steps";

/** Identifies the node group to grow and its size after failover. */
export interface ScaleTarget {
    readonly clusterName: string;
    readonly nodegroupName: string;
    readonly failoverNodeCount: number;
}

/**
 * Raises the node group's desired size to the failover count, keeping its minimum and raising
 * its maximum only when the count exceeds it. Skips when the group is already that large (a
 * second call, or one after a manual scale-out) or when EKS is already updating it.
 */
export async function scaleNodegroup(eks: EKSClient, target: ScaleTarget): Promise<StepResult> {
    const group = await describe(eks, target);
    const skip = reasonToSkip(group, target);
    if (skip !== undefined) {
        return { outcome: "skipped", detail: skip };
    }
    const { minSize, maxSize, desiredSize } = sizes(group, target);
    const newMax = Math.max(maxSize, target.failoverNodeCount);
    try {
        await eks.send(new UpdateNodegroupConfigCommand({
            clusterName: target.clusterName,
            nodegroupName: target.nodegroupName,
            scalingConfig: { minSize, maxSize: newMax, desiredSize: target.failoverNodeCount },
        }));
    } catch (error) {
        // EKS accepts one update at a time; if another run's update won the race, that is enough.
        if ((error as { name?: string }).name === "ResourceInUseException") {
            const again = reasonToSkip(await describe(eks, target), target);
            if (again !== undefined) {
                return { outcome: "skipped", detail: `${again} (EKS refused a concurrent update)` };
            }
        }
        throw error;
    }
    return {
        outcome: "done",
        detail: `node group "${target.nodegroupName}" of "${target.clusterName}": desired ${desiredSize} -> ${target.failoverNodeCount}, ` +
            `min ${minSize}, max ${maxSize === newMax ? `${maxSize}` : `${maxSize} -> ${newMax}`}`,
    };
}

async function describe(eks: EKSClient, target: ScaleTarget): Promise<Nodegroup> {
    const response = await eks.send(new DescribeNodegroupCommand({ clusterName: target.clusterName, nodegroupName: target.nodegroupName }));
    if (response.nodegroup === undefined) {
        throw new Error(`EKS returned no node group "${target.nodegroupName}" in cluster "${target.clusterName}"`);
    }
    return response.nodegroup;
}

function sizes(group: Nodegroup, target: ScaleTarget): { minSize: number; maxSize: number; desiredSize: number } {
    const { minSize, maxSize, desiredSize } = group.scalingConfig ?? {};
    if (minSize === undefined || maxSize === undefined || desiredSize === undefined) {
        throw new Error(`node group "${target.nodegroupName}" has no complete scaling configuration`);
    }
    return { minSize, maxSize, desiredSize };
}

function reasonToSkip(group: Nodegroup, target: ScaleTarget): string | undefined {
    const { desiredSize } = sizes(group, target);
    if (desiredSize >= target.failoverNodeCount) {
        return `node group "${target.nodegroupName}" already wants ${desiredSize} nodes (failover size ${target.failoverNodeCount})`;
    }
    if (group.status === "UPDATING") {
        return `node group "${target.nodegroupName}" is UPDATING: an update is in progress (desired ${desiredSize})`;
    }
    return undefined;
}
