import * as pulumi from "@pulumi/pulumi";
import { DrConfig } from "../config/types";
import { RecoveryObjectives } from "./objectives";
import { PrimarySite } from "./primarySite";

/** Stack outputs every strategy shares; strategies add their own. Secrets stay secret. */
export interface CommonOutputs {
    strategy: string;
    failover: boolean;
    emergency: boolean;
    /** The region serving users when everything works as configured. */
    activeRegion: string;
    recoveryObjectives: RecoveryObjectives;
    primaryRegion: string;
    primaryVpcId: pulumi.Output<string>;
    primaryClusterName: pulumi.Output<string>;
    primaryKubeconfig: pulumi.Output<string>;
    primaryDatabaseEndpoint: pulumi.Output<string>;
    databaseSecretArn: pulumi.Output<string>;
    /** Physical table names by logical name. */
    tables: Record<string, pulumi.Output<string>>;
    /** Physical bucket names by logical name, per site. */
    buckets: Record<string, { primary: pulumi.Output<string>; standby?: pulumi.Output<string> }>;
    /** Repository URLs by name, in the primary region. */
    repositories: Record<string, pulumi.Output<string>>;
}

/** The outputs that describe the primary site. */
export function primaryOutputs(config: DrConfig, site: PrimarySite, activeRegion: string, objectives: RecoveryObjectives): CommonOutputs {
    return {
        strategy: config.strategy,
        failover: config.failover,
        emergency: config.emergency,
        activeRegion,
        recoveryObjectives: objectives,
        primaryRegion: site.region,
        primaryVpcId: site.network.vpcId,
        primaryClusterName: site.cluster.clusterName,
        primaryKubeconfig: site.cluster.kubeconfig,
        primaryDatabaseEndpoint: site.database.endpoint,
        databaseSecretArn: site.credentials.secretArn,
        tables: site.tables.tableNames,
        buckets: Object.fromEntries(Object.entries(site.buckets.buckets).map(([name, pair]) =>
            [name, { primary: pair.primary.bucketName, standby: pair.standby?.bucketName }])),
        repositories: site.registry.repositoryUrls,
    };
}
