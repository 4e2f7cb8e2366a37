import * as pulumi from "@pulumi/pulumi";
import { ServiceWorkloads, SiteRole } from "../components/k8s/serviceWorkloads";
import { DrConfig } from "../config/types";
import { PrimarySite } from "./primarySite";
import { StandbySite } from "./standbySite";

/** `portforge-team` -> `PORTFORGE_TEAM`: a logical name as an environment variable suffix. */
export function envSuffix(name: string): string {
    return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

function registryHost(accountId: pulumi.Input<string>, region: string): pulumi.Output<string> {
    return pulumi.interpolate`${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/** Settings both sites share in shape: database, tables, buckets, registry. */
function siteSettings(
    config: DrConfig,
    database: { address: pulumi.Output<string> },
    readOnly: boolean,
    buckets: Record<string, pulumi.Output<string>>,
    primary: PrimarySite,
    registry: pulumi.Output<string>,
): Record<string, pulumi.Input<string>> {
    const bucketNames = Object.keys(buckets);
    return {
        DB_HOST: database.address,
        DB_PORT: "3306",
        DB_NAME: config.database.databaseName,
        DB_READ_ONLY: String(readOnly),
        // The password stays in Secrets Manager (replicated to the standby region); pods read it there.
        DB_SECRET_ARN: primary.credentials.secretArn,
        ...(bucketNames.length > 0 ? { S3_BUCKET: buckets[bucketNames[0]] } : {}),
        ...Object.fromEntries(bucketNames.map(name => [`S3_BUCKET_${envSuffix(name)}`, buckets[name]])),
        ...Object.fromEntries(Object.entries(primary.tables.tableNames).map(([name, physical]) => [`DYNAMODB_TABLE_${envSuffix(name)}`, physical])),
        ECR_REGISTRY: registry,
    };
}

function images(config: DrConfig, repositoryUrls: Record<string, pulumi.Output<string>>): { name: string; image: pulumi.Output<string> }[] {
    return config.services.map(service => ({
        name: service,
        image: pulumi.interpolate`${repositoryUrls[`${config.repositoryPrefix}-${service}`]}:${config.workloads.imageTag}`,
    }));
}

/**
 * The application on the primary cluster. Its settings never depend on `failover`: during an
 * outage nothing in Seoul should need an update that Seoul cannot answer.
 */
export function buildPrimaryWorkloads(config: DrConfig, primary: PrimarySite, accountId: pulumi.Output<string>): ServiceWorkloads {
    const buckets = Object.fromEntries(Object.entries(primary.buckets.buckets).map(([name, pair]) => [name, pair.primary.bucketName]));
    return new ServiceWorkloads("primary-app", {
        kubeconfig: primary.cluster.kubeconfig,
        clusterName: primary.cluster.clusterName,
        namespace: config.workloads.namespace,
        services: images(config, primary.registry.repositoryUrls),
        replicas: config.workloads.replicas,
        role: "primary",
        region: primary.region,
        settings: siteSettings(config, primary.database, false, buckets, primary, registryHost(accountId, primary.region)),
    });
}

/**
 * The application on the standby cluster: minimal pods reading the replica while waiting; full
 * size, `active`, writing to the promoted database after failover. The Tokyo buckets and registry
 * are always its own.
 */
export function buildStandbyWorkloads(config: DrConfig, primary: PrimarySite, standby: StandbySite, accountId: pulumi.Output<string>): ServiceWorkloads {
    const role: SiteRole = config.failover ? "active" : "standby";
    const buckets = Object.fromEntries(Object.entries(primary.buckets.buckets)
        .filter(([, pair]) => pair.standby !== undefined)
        .map(([name, pair]) => [name, pair.standby!.bucketName]));
    return new ServiceWorkloads("standby-app", {
        kubeconfig: standby.cluster.kubeconfig,
        clusterName: standby.cluster.clusterName,
        namespace: config.workloads.namespace,
        services: images(config, primary.registry.replicaRepositoryUrls[standby.region]),
        replicas: config.failover ? config.workloads.replicas : config.workloads.standbyReplicas,
        role,
        region: standby.region,
        settings: siteSettings(config, standby.database, !config.failover, buckets, primary, registryHost(accountId, standby.region)),
    });
}
