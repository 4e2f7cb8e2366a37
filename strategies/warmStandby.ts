import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { EncryptionKey, FailoverAutomation, publicZone } from "../components/aws";
import { lambdaArchive } from "../lib/bundle";
import { aliasTo, buildFailoverDns } from "./dns";
import { DrConfig } from "../config/types";
import { recoveryObjectives } from "./objectives";
import { CommonOutputs, primaryOutputs } from "./outputs";
import { buildPrimarySite } from "./primarySite";
import { buildStandbySite } from "./standbySite";
import { buildSiteEdge, inRegion } from "./siteEdge";
import { siteTags } from "./tags";
import { primarySiteForWorkloads, workloadSites, WorkloadSitesOutput } from "./workloadSites";

/** Source of the automatic failover function, bundled at deploy time. */
export const FAILOVER_FUNCTION_ENTRY = path.resolve(__dirname, "..", "lambda", "failover", "handler.ts");

/** Outputs of the warm-standby stack. */
export interface WarmStandbyOutputs extends CommonOutputs {
    standbyRegion: string;
    standbyVpcId: pulumi.Output<string>;
    standbyClusterName: pulumi.Output<string>;
    standbyKubeconfig: pulumi.Output<string>;
    standbyNodeGroupName: pulumi.Output<string>;
    standbyDatabaseEndpoint: pulumi.Output<string>;
    /** `replica` in normal times, `promoted` after failover. */
    standbyDatabaseRole: string;
    standbyRepositories: Record<string, pulumi.Output<string>>;
    appUrl: string;
    /** Each site's load balancer: DNS name and the host Route 53 probes there. */
    primaryEntryPoint: { dnsName: pulumi.Output<string>; checkedHost: string };
    standbyEntryPoint: { dnsName: pulumi.Output<string>; checkedHost: string };
    /** What the workloads project reads per site (lib/workloadSite.ts). */
    workloadSites: WorkloadSitesOutput;
    dnsZoneId: pulumi.Output<string>;
    dnsNameServers: pulumi.Output<string[]>;
    primaryHealthCheckId: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
    /** The alarm-driven failover function, and whether it may act (ENABLE_AUTO_FAILOVER). */
    autoFailoverFunction: pulumi.Output<string>;
    autoFailoverEnabled: boolean;
}

/**
 * Seoul primary plus Tokyo warm standby (seed 000): data replicated continuously (RDS read
 * replica, DynamoDB global tables, S3 CRR, ECR replication), a smaller standby cluster, and
 * Route 53 failover on the primary's health.
 */
export function buildWarmStandby(config: DrConfig, accountId: pulumi.Output<string>): WarmStandbyOutputs {
    const standbyConfig = config.standby;
    const dnsConfig = config.dns;
    if (!standbyConfig || !dnsConfig) {
        throw new Error("warm-standby needs a standby site and DNS settings; config validation should have said so");
    }
    const standbyKey = new EncryptionKey("standby-data", {
        region: standbyConfig.region,
        accountId,
        description: "Standby data: replica database, table replicas, replicated buckets and credentials",
        protect: config.protectData,
        tags: siteTags(config, "standby"),
    });
    const primary = buildPrimarySite(config, accountId, { region: standbyConfig.region, kmsKeyArn: standbyKey.arn });
    const standby = buildStandbySite(config, accountId, standbyKey, primary.database.arn);
    const primaryBuckets = Object.values(primary.buckets.buckets).map(pair => pair.primary);
    const standbyBuckets = Object.values(primary.buckets.buckets).flatMap(pair => pair.standby ? [pair.standby] : []);
    const primaryEdge = buildSiteEdge("primary", config, dnsConfig, primary, {
        secretArn: primary.credentials.secretArn,
        kmsKeyArn: primary.dataKey.arn,
        bucketArns: primaryBuckets.map(bucket => bucket.arn),
        tableArns: Object.values(primary.tables.tableArns),
    }, siteTags(config, "primary"));
    const standbySecretArn = inRegion(primary.credentials.secretArn, standby.region);
    const standbyEdge = buildSiteEdge("standby", config, dnsConfig, standby, {
        secretArn: standbySecretArn,
        kmsKeyArn: standbyKey.arn,
        bucketArns: standbyBuckets.map(bucket => bucket.arn),
        tableArns: Object.values(primary.tables.tableArns).map(arn => inRegion(arn, standby.region)),
    }, siteTags(config, "standby"));

    const zone = publicZone("failover-zone", dnsConfig.domainName, dnsConfig.hostedZoneId, siteTags(config, "global"));
    const dns = buildFailoverDns(config, dnsConfig, zone, accountId, primaryEdge.entry,
        { target: aliasTo(standbyEdge.entry), checkedHost: standbyEdge.entry.checkedHost });

    const automation = new FailoverAutomation("auto-failover", {
        region: standby.region,
        accountId,
        code: lambdaArchive(FAILOVER_FUNCTION_ENTRY),
        enabled: config.enableAutoFailover,
        stackName: pulumi.getStack(),
        replica: { identifier: standby.database.identifier, arn: standby.database.arn },
        nodeGroup: { clusterName: standby.cluster.clusterName, name: standby.cluster.nodeGroupName, arn: standby.cluster.nodeGroupArn },
        failoverNodeCount: config.kubernetes.failoverNodeCount,
        alarm: { name: dns.primaryAlarmName, arn: dns.primaryAlarmArn },
        healthCheckId: dns.primaryHealthCheckId,
        topic: { arn: dns.alarmTopicArn, kmsKeyArn: dns.alarmTopicKeyArn },
        protect: config.protectData,
        tags: siteTags(config, "standby"),
    });

    const standbyBucketNames = Object.fromEntries(Object.entries(primary.buckets.buckets)
        .flatMap(([name, pair]) => pair.standby ? [[name, pair.standby.bucketName]] : []));
    const sites = workloadSites(config, dnsConfig, {
        primary: primarySiteForWorkloads(primary, primaryEdge),
        standby: {
            role: config.failover ? "active" : "standby",
            region: standby.region,
            network: standby.network,
            cluster: standby.cluster,
            edge: standbyEdge,
            database: standby.database,
            readOnly: !config.failover,
            secretArn: standbySecretArn,
            buckets: standbyBucketNames,
            tables: primary.tables.tableNames,
            repositoryUrls: primary.registry.replicaRepositoryUrls[standby.region],
        },
    }, accountId);

    const activeRegion = config.failover ? standby.region : primary.region;
    return {
        ...primaryOutputs(config, primary, activeRegion, recoveryObjectives("warm-standby", dns.detectionSeconds)),
        standbyRegion: standby.region,
        standbyVpcId: standby.network.vpcId,
        standbyClusterName: standby.cluster.clusterName,
        standbyKubeconfig: standby.cluster.kubeconfig,
        standbyNodeGroupName: standby.cluster.nodeGroupName,
        standbyDatabaseEndpoint: standby.database.endpoint,
        standbyDatabaseRole: standby.database.role,
        standbyRepositories: primary.registry.replicaRepositoryUrls[standby.region],
        appUrl: `https://${dns.fqdn}`,
        primaryEntryPoint: { dnsName: primaryEdge.entry.dnsName, checkedHost: primaryEdge.entry.checkedHost },
        standbyEntryPoint: { dnsName: standbyEdge.entry.dnsName, checkedHost: standbyEdge.entry.checkedHost },
        workloadSites: sites,
        dnsZoneId: zone.zoneId,
        dnsNameServers: zone.nameServers,
        primaryHealthCheckId: dns.primaryHealthCheckId,
        alarmTopicArn: dns.alarmTopicArn,
        autoFailoverFunction: automation.functionName,
        autoFailoverEnabled: config.enableAutoFailover,
    };
}
