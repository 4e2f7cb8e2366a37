import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster, LOAD_BALANCER_CONTROLLER, Network } from "../components/aws";
import { DnsConfig, DrConfig } from "../config/types";
import { WorkloadSite, WorkloadSiteName, WorkloadSiteRole } from "../lib/workloadSite";
import { PrimarySite } from "./primarySite";
import { SiteEdge } from "./siteEdge";

/** `portforge-team` -> `PORTFORGE_TEAM`: a logical name as an environment variable suffix. */
export function envSuffix(name: string): string {
    return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** {@link WorkloadSite} as the program builds it: the same shape, values still Outputs. */
export type WorkloadSiteOutput = pulumi.Output<WorkloadSite>;

/** The stack output `workloadSites`: the pilot light has only `primary`. */
export type WorkloadSitesOutput = Partial<Record<WorkloadSiteName, WorkloadSiteOutput>>;

/** Everything one AWS site hands the workloads project. */
export interface SiteForWorkloads {
    readonly role: WorkloadSiteRole;
    readonly region: string;
    readonly network: Network;
    readonly cluster: KubernetesCluster;
    readonly edge: SiteEdge;
    readonly database: { readonly address: pulumi.Output<string> };
    /** Pods write nowhere while the site waits on a read replica. */
    readonly readOnly: boolean;
    /** This region's copy of the database secret. */
    readonly secretArn: pulumi.Input<string>;
    /** Physical bucket names in this region, by logical name. */
    readonly buckets: Record<string, pulumi.Input<string>>;
    /** Physical table names (the same in every region of a global table), by logical name. */
    readonly tables: Record<string, pulumi.Input<string>>;
    /** Repository URLs in this region, by repository name (`<prefix>-<service>`). */
    readonly repositoryUrls: Record<string, pulumi.Input<string>>;
}

/** The primary site as the workloads project sees it, the same in every strategy. */
export function primarySiteForWorkloads(primary: PrimarySite, edge: SiteEdge): SiteForWorkloads {
    return {
        role: "primary",
        region: primary.region,
        network: primary.network,
        cluster: primary.cluster,
        edge,
        database: primary.database,
        readOnly: false,
        secretArn: primary.credentials.secretArn,
        buckets: Object.fromEntries(Object.entries(primary.buckets.buckets).map(([name, pair]) => [name, pair.primary.bucketName])),
        tables: primary.tables.tableNames,
        repositoryUrls: primary.registry.repositoryUrls,
    };
}

/**
 * The environment every service reads on a site: database (this region's endpoint and secret
 * copy), buckets, tables, registry and region. Nothing here points at another region, so a
 * site keeps working while the other is unreachable.
 */
export function siteSettings(config: DrConfig, site: SiteForWorkloads, accountId: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    const bucketNames = Object.keys(site.buckets);
    return {
        DB_HOST: site.database.address,
        DB_PORT: "3306",
        DB_NAME: config.database.databaseName,
        DB_READ_ONLY: String(site.readOnly),
        // The password stays in Secrets Manager; pods read this region's copy with their IRSA role.
        DB_SECRET_ARN: site.secretArn,
        ...(bucketNames.length > 0 ? { S3_BUCKET: site.buckets[bucketNames[0]] } : {}),
        ...Object.fromEntries(bucketNames.map(name => [`S3_BUCKET_${envSuffix(name)}`, site.buckets[name]])),
        ...Object.fromEntries(Object.entries(site.tables).map(([name, physical]) => [`DYNAMODB_TABLE_${envSuffix(name)}`, physical])),
        ECR_REGISTRY: pulumi.interpolate`${accountId}.dkr.ecr.${site.region}.amazonaws.com`,
        AWS_REGION: site.region,
    };
}

/** One site's entry in the `workloadSites` output. */
export function workloadSite(config: DrConfig, dns: DnsConfig, site: SiteForWorkloads, accountId: pulumi.Input<string>): WorkloadSiteOutput {
    const repositories = Object.fromEntries(config.services.map(service =>
        [service, site.repositoryUrls[`${config.repositoryPrefix}-${service}`]]));
    return pulumi.output({
        role: site.role,
        region: site.region,
        failover: config.failover,
        cluster: {
            name: site.cluster.clusterName,
            endpoint: site.cluster.endpoint,
            certificateAuthority: site.cluster.certificateAuthority,
        },
        namespace: config.workloads.namespace,
        serviceAccountName: config.workloads.serviceAccountName,
        workloadRoleArn: site.edge.identity.appRoleArn,
        loadBalancerController: {
            roleArn: site.edge.identity.controllerRoleArn,
            serviceAccountName: LOAD_BALANCER_CONTROLLER.serviceAccountName,
            namespace: LOAD_BALANCER_CONTROLLER.namespace,
            vpcId: site.network.vpcId,
        },
        entryPoint: {
            targetGroupArns: site.edge.entry.targetGroupArns,
            dnsName: site.edge.entry.dnsName,
            checkedHost: site.edge.entry.checkedHost,
            healthCheckPath: dns.healthCheckPath,
        },
        repositories,
        settings: siteSettings(config, site, accountId),
    }) as WorkloadSiteOutput;
}

/** The `workloadSites` stack output from the program's AWS sites. */
export function workloadSites(
    config: DrConfig,
    dns: DnsConfig,
    sites: Partial<Record<WorkloadSiteName, SiteForWorkloads>>,
    accountId: pulumi.Input<string>,
): WorkloadSitesOutput {
    return Object.fromEntries(Object.entries(sites).map(([name, site]) => [name, workloadSite(config, dns, site!, accountId)]));
}
