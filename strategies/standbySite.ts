import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey, KubernetesCluster, MysqlDatabase, Network } from "../components/aws";
import { buildSiteCompute } from "./siteParts";
import { DrConfig } from "../config/types";
import { siteTags } from "./tags";

/** What the warm standby region runs besides the copies the primary's components place there. */
export interface StandbySite {
    readonly region: string;
    readonly network: Network;
    readonly cluster: KubernetesCluster;
    readonly database: MysqlDatabase;
}

/**
 * The warm standby: a smaller cluster and a cross-region read replica. With `failover` the replica
 * is promoted and the node group grows to `failoverNodeCount`; nothing is replaced.
 */
export function buildStandbySite(
    config: DrConfig,
    accountId: pulumi.Output<string>,
    dataKey: EncryptionKey,
    sourceDbArn: pulumi.Output<string>,
): StandbySite {
    const site = config.standby;
    if (!site) {
        throw new Error(`strategy ${config.strategy} has no standby region`);
    }
    const region = site.region;
    const tags = siteTags(config, "standby");
    const nodes = config.kubernetes;

    const { network, cluster } = buildSiteCompute("standby", site, config, accountId, {
        desired: config.failover ? nodes.failoverNodeCount : nodes.standbyNodeCount,
        floor: nodes.standbyNodeCount,
    }, tags);
    const database = new MysqlDatabase("standby", {
        role: "replica",
        region,
        vpcId: network.vpcId,
        subnetIds: network.dataSubnetIds,
        allowedCidrs: network.privateSubnetCidrs,
        instanceClass: config.database.standbyInstanceClass,
        engineVersion: config.database.engineVersion,
        kmsKeyArn: dataKey.arn,
        backupRetentionDays: config.database.backupRetentionDays,
        sourceDbArn,
        promoted: config.failover,
        maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
        protect: config.protectData,
        tags,
    });
    return { region, network, cluster, database };
}
