import * as pulumi from "@pulumi/pulumi";
import { EntryPoint, KubernetesCluster, Network, WorkloadIdentity } from "../components/aws";
import { DnsConfig, DrConfig } from "../config/types";

/** What a site's pods may touch: its own copies, in its own region. */
export interface SiteData {
    /** This region's copy of the database secret. */
    readonly secretArn: pulumi.Input<string>;
    /** This region's data key. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly bucketArns: pulumi.Input<string>[];
    /** This region's table ARNs (a replica's regional ARN in the standby region). */
    readonly tableArns: pulumi.Input<string>[];
}

/** A site's entry point and the IAM identities of the pods behind it. */
export interface SiteEdge {
    readonly entry: EntryPoint;
    readonly identity: WorkloadIdentity;
}

/**
 * The load balancer users reach a site through, and the IRSA roles its pods and its load
 * balancer controller run as. Names are the site's role, so they never depend on config.
 */
export function buildSiteEdge(
    site: "primary" | "standby",
    config: DrConfig,
    dns: DnsConfig,
    compute: { network: Network; cluster: KubernetesCluster },
    data: SiteData,
    tags: Record<string, string>,
): SiteEdge {
    const entry = new EntryPoint(site, {
        region: compute.network.region,
        site,
        vpcId: compute.network.vpcId,
        vpcCidr: compute.network.cidr,
        publicSubnetIds: compute.network.publicSubnetIds,
        clusterSecurityGroupId: compute.cluster.clusterSecurityGroupId,
        services: config.services,
        entryService: config.entryService,
        hostedZoneId: dns.hostedZoneId,
        domainName: dns.domainName,
        recordName: dns.recordName,
        deletionProtection: config.protectData,
        tags,
    });
    const identity = new WorkloadIdentity(site, {
        oidcProviderArn: compute.cluster.oidcProviderArn,
        oidcIssuerUrl: compute.cluster.oidcIssuerUrl,
        namespace: config.workloads.namespace,
        serviceAccountName: config.workloads.serviceAccountName,
        secretArn: data.secretArn,
        kmsKeyArn: data.kmsKeyArn,
        bucketArns: data.bucketArns,
        tableArns: data.tableArns,
        targetGroupArns: Object.values(entry.targetGroupArns),
        tags,
    });
    return { entry, identity };
}

/**
 * The ARN of a resource's copy in `region`: Secrets Manager replicas and DynamoDB global table
 * replicas keep the primary's ARN with only the region changed
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html).
 */
export function inRegion(arn: pulumi.Input<string>, region: string): pulumi.Output<string> {
    return pulumi.output(arn).apply(value => {
        const parts = value.split(":");
        if (parts.length < 6 || parts[0] !== "arn") {
            throw new Error(`${value} is not an ARN`);
        }
        parts[3] = region;
        return parts.join(":");
    });
}
