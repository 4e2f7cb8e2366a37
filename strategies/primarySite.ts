import * as pulumi from "@pulumi/pulumi";
import {
    ContainerRegistry, DatabaseCredentials, EncryptionKey, GlobalTables, KubernetesCluster, MysqlDatabase,
    Network, ReplicatedBuckets,
} from "../components/aws";
import { buildSiteCompute } from "./siteParts";
import { DrConfig } from "../config/types";
import { siteTags } from "./tags";

/** A region that receives copies of the primary's data, with the key its copies are encrypted with. */
export interface DataReplica {
    readonly region: string;
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** Everything the primary region runs. */
export interface PrimarySite {
    readonly region: string;
    readonly network: Network;
    readonly cluster: KubernetesCluster;
    readonly dataKey: EncryptionKey;
    readonly credentials: DatabaseCredentials;
    readonly database: MysqlDatabase;
    readonly tables: GlobalTables;
    readonly buckets: ReplicatedBuckets;
    readonly registry: ContainerRegistry;
}

/**
 * The primary region, the same for every strategy: network, cluster, MySQL, tables, buckets and
 * registry. With `replica`, tables, buckets, credentials and images are also copied to that region.
 */
export function buildPrimarySite(config: DrConfig, accountId: pulumi.Output<string>, replica?: DataReplica): PrimarySite {
    const site = config.primary;
    const region = site.region;
    const tags = siteTags(config, "primary");
    const replicas = replica ? [replica] : [];

    const nodes = config.kubernetes.primaryNodeCount;
    const { network, cluster } = buildSiteCompute("primary", site, config, accountId, { desired: nodes, floor: nodes }, tags);
    const dataKey = new EncryptionKey("primary-data", {
        region,
        accountId,
        description: "Primary data: database, tables, buckets, credentials",
        protect: config.protectData,
        tags,
    });
    const credentials = new DatabaseCredentials("database", {
        region,
        username: config.database.username,
        databaseName: config.database.databaseName,
        kmsKeyArn: dataKey.arn,
        replicas,
        tags,
    });
    const database = new MysqlDatabase("primary", {
        role: "primary",
        region,
        vpcId: network.vpcId,
        subnetIds: network.dataSubnetIds,
        allowedCidrs: network.privateSubnetCidrs,
        instanceClass: config.database.instanceClass,
        engineVersion: config.database.engineVersion,
        kmsKeyArn: dataKey.arn,
        backupRetentionDays: config.database.backupRetentionDays,
        multiAz: true,
        databaseName: config.database.databaseName,
        username: credentials.username,
        password: credentials.password,
        allocatedStorageGb: config.database.allocatedStorageGb,
        maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
        protect: config.protectData,
        tags,
    });
    const tables = new GlobalTables("tables", {
        region,
        tables: config.tables,
        kmsKeyArn: dataKey.arn,
        replicas,
        protect: config.protectData,
        tags,
    });
    const buckets = new ReplicatedBuckets("buckets", {
        region,
        accountId,
        names: config.buckets,
        kmsKeyArn: dataKey.arn,
        replica,
        replicationTimeControl: config.bucketReplicationTimeControl,
        noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays,
        accessLogRetentionDays: config.accessLogRetentionDays,
        protect: config.protectData,
        tags,
    });
    const registry = new ContainerRegistry("registry", {
        region,
        accountId,
        repositoryNames: config.services.map(service => `${config.repositoryPrefix}-${service}`),
        immutableTags: config.immutableImageTags,
        replicaRegions: replicas.map(r => r.region),
        tags,
    });
    return { region, network, cluster, dataKey, credentials, database, tables, buckets, registry };
}
