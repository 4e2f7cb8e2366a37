import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BackupInstance, BACKUP_METRIC_NAMESPACE, BACKUP_PATHS, publicZone } from "../components/aws";
import { azureMysqlAdminPassword, AzureMysqlServer, AzureNetwork, BackupStorage, EmergencyIdentity, MaintenanceFront, MaintenanceSite, SecretVault, VAULT_SECRETS } from "../components/azure";
import { childTags } from "../components/tags";
import { DrConfig } from "../config/types";
import { backupToolAsset } from "./artifacts";
import { buildFailoverDns } from "./dns";
import { buildEmergencySite, PilotLightBase } from "./emergencySite";
import { recoveryObjectives } from "./objectives";
import { CommonOutputs, primaryOutputs } from "./outputs";
import { buildPrimarySite } from "./primarySite";
import { buildSiteEdge } from "./siteEdge";
import { siteTags } from "./tags";
import { primarySiteForWorkloads, workloadSites, WorkloadSitesOutput } from "./workloadSites";

/** Outputs of the pilot-light stack. */
export interface PilotLightOutputs extends CommonOutputs {
    appUrl: string;
    /** Seoul's load balancer: DNS name and the host Route 53 probes there. */
    primaryEntryPoint: { dnsName: pulumi.Output<string>; checkedHost: string };
    /** What the workloads project reads (lib/workloadSite.ts): only `primary` here. */
    workloadSites: WorkloadSitesOutput;
    dnsZoneId: pulumi.Output<string>;
    dnsNameServers: pulumi.Output<string[]>;
    primaryHealthCheckId: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
    /** Where Route 53 sends users when Seoul is down: the maintenance front (Front Door), in normal times and in an emergency. */
    secondaryTarget: pulumi.Output<string>;
    azureLocation: string;
    azureResourceGroup: pulumi.Output<string>;
    backupContainerUrl: pulumi.Output<string>;
    backupInstanceId: pulumi.Output<string>;
    /** The image the backup instance runs; pin it as `backupInstanceAmi` before an outage. */
    backupInstanceAmi: pulumi.Output<string>;
    /** The maintenance front's endpoint host (`*.azurefd.net`), which serves `maintenanceUrl`. */
    maintenancePageHost: pulumi.Output<string>;
    /** `https://app.<domain>` as Front Door serves it while Seoul is down, with its managed certificate. */
    maintenanceUrl: string;
    /** The static website behind the front (HTTPS only). */
    maintenanceWebsiteHost: pulumi.Output<string>;
    /** Where the front sends users: `maintenance` (the static website) or `gateway` (with `emergency`). */
    maintenanceFrontServing: string;
    /** The Front Door profile and custom domain names, for the certificate's twice-yearly revalidation (README). */
    maintenanceFrontProfile: pulumi.Output<string>;
    maintenanceFrontDomain: pulumi.Output<string>;
    /** Present only with `emergency`. */
    emergencyMysqlHost?: pulumi.Output<string>;
    emergencyGatewayHost?: pulumi.Output<string>;
    emergencyGatewayIp?: pulumi.Output<string>;
    /** `maintenance` or `app`, with `emergency`. */
    emergencyServing?: string;
    /** The VMs' generated admin private key (secret), when no `azureSshPublicKey` was given. */
    emergencyAdminPrivateKey?: pulumi.Output<string>;
}

/**
 * Seoul primary plus Azure pilot light (seed 001). Normal times: the backup agent in Seoul streams
 * binlogs and dumps into immutable Azure storage, a maintenance page waits outside AWS, the VNet
 * and vault are ready. `emergency` adds MySQL (restored from the backups), VMs and a gateway.
 */
export function buildPilotLight(config: DrConfig, accountId: pulumi.Output<string>): PilotLightOutputs {
    const azure = config.azure;
    const backup = config.backup;
    const dnsConfig = config.dns;
    if (!azure || !backup || !dnsConfig) {
        throw new Error("pilot-light needs its Azure, backup and DNS settings; config validation should have said so");
    }
    const tool = backupToolAsset();
    const azureTags = siteTags(config, "standby");
    const fqdn = `${dnsConfig.recordName}.${dnsConfig.domainName}`;

    const primary = buildPrimarySite(config, accountId);
    const primaryEdge = buildSiteEdge("primary", config, dnsConfig, primary, {
        secretArn: primary.credentials.secretArn,
        kmsKeyArn: primary.dataKey.arn,
        bucketArns: Object.values(primary.buckets.buckets).map(pair => pair.primary.arn),
        tableArns: Object.values(primary.tables.tableArns),
    }, siteTags(config, "primary"));
    const zone = publicZone("failover-zone", dnsConfig.domainName, dnsConfig.hostedZoneId, siteTags(config, "global"));

    const client = authorization.getClientConfigOutput();
    // Protected: deleting the group would delete the backups inside it along with everything else.
    const group = new resources.ResourceGroup("pilot-light", { location: azure.location, tags: childTags("pilot-light", azureTags) }, { protect: config.protectData });
    const network = new AzureNetwork("pilot-light", {
        resourceGroupName: group.name,
        location: azure.location,
        cidr: azure.cidr,
        outboundInternet: config.emergency,
        tags: azureTags,
    });
    const backups = new BackupStorage("drbackups", {
        resourceGroupName: group.name,
        location: azure.location,
        skuName: azure.storageSku,
        containerName: backup.containerName,
        immutabilityDays: backup.immutabilityDays,
        immutabilityLocked: backup.immutabilityLocked,
        coolAfterDays: backup.coolAfterDays,
        deleteAfterDays: backup.deleteAfterDays,
        allowedIps: primary.network.natPublicIps,
        allowedSubnetIds: [network.subnetIds.app],
        sasExpiry: backup.sasExpiry,
        protect: config.protectData,
        tags: azureTags,
    });
    const site = new MaintenanceSite("maintenance", {
        resourceGroupName: group.name,
        location: azure.location,
        serviceName: config.tags.service ?? dnsConfig.domainName,
        tools: { "mysql-dr.js": tool },
        sasExpiry: backup.sasExpiry,
        tags: azureTags,
    });
    // Declared in normal times too and always kept in the vault: turning `emergency` off deletes no
    // secret, so the next emergency does not collide with a soft-deleted `mysql-admin-password`.
    const mysqlPassword = pulumi.secret(azureMysqlAdminPassword("emergency-mysql").result);
    const mysql = config.emergency
        ? new AzureMysqlServer("emergency-mysql", {
            resourceGroupName: group.name,
            location: azure.location,
            vnetId: network.vnetId,
            subnetId: network.subnetIds.mysql,
            skuName: azure.mysqlSkuName,
            version: azure.mysqlVersion,
            storageGb: azure.mysqlStorageGb,
            administratorLogin: config.database.username,
            administratorPassword: mysqlPassword,
            databaseName: config.database.databaseName,
            tags: azureTags,
        })
        : undefined;
    const vault = new SecretVault("drvault", {
        resourceGroupName: group.name,
        location: azure.location,
        tenantId: client.tenantId,
        allowedSubnetIds: [network.subnetIds.app],
        secrets: {
            [VAULT_SECRETS.restoreSas]: backups.readerSas,
            [VAULT_SECRETS.toolsSas]: site.toolsSas,
            [VAULT_SECRETS.mysqlPassword]: mysqlPassword,
        },
        tags: azureTags,
    });

    // Declared in normal times: its role assignment needs roleAssignments/write, which must fail on
    // day one if the deployer lacks it, not at T+30; the emergency app VM only runs as it.
    const appIdentity = new EmergencyIdentity("emergency-app-identity", {
        resourceGroupName: group.name,
        location: azure.location,
        vault,
        subscriptionId: client.subscriptionId,
        tags: azureTags,
    });

    const agent = new BackupInstance("backup-agent", {
        region: primary.region,
        vpcId: primary.network.vpcId,
        subnetId: primary.network.privateSubnetIds[0],
        instanceType: backup.instanceType,
        ami: backup.instanceAmi,
        kmsKeyArn: primary.dataKey.arn,
        artifact: tool,
        secretSettings: { DR_MYSQL_PASSWORD: primary.credentials.password, DR_BLOB_SAS: backups.writerSas },
        settings: {
            DR_MYSQL_HOST: primary.database.address,
            DR_MYSQL_SSL_CA: BACKUP_PATHS.rdsCaBundle,
            DR_MYSQL_PORT: "3306",
            DR_MYSQL_USER: primary.credentials.username,
            DR_MYSQL_FLAVOR: "mysql",
            DR_DATABASES: config.database.databaseName,
            DR_BLOB_CONTAINER_URL: backups.containerUrl,
            DR_FULL_BACKUP_INTERVAL: `${backup.fullBackupIntervalHours}h`,
            DR_CLOUDWATCH_NAMESPACE: BACKUP_METRIC_NAMESPACE,
            DR_CLOUDWATCH_REGION: primary.region,
            DR_CLOUDWATCH_STREAM: pulumi.getStack(),
            DR_LOG_FORMAT: "json",
        },
        databaseCidrs: primary.network.dataSubnetCidrs,
        binlogRetentionHours: backup.binlogRetentionHours,
        // It runs in Seoul but exists only for the Azure site's sake: DR cost, not the primary's.
        tags: siteTags(config, "standby"),
    });

    // Always present, so its certificate for app.<domain> is issued on day one; an emergency only changes its route's origin.
    const front = new MaintenanceFront("maintenance-front", {
        resourceGroupName: group.name,
        hostname: fqdn,
        zoneId: zone.zoneId,
        pageHost: site.webHost,
        tags: azureTags,
    });
    const gatewayLabel = new random.RandomString("emergency-gateway-label", { length: 10, special: false, upper: false }).result
        .apply(suffix => `dr-${suffix}`);
    const base: PilotLightBase = { resourceGroupName: group.name, subscriptionId: client.subscriptionId, network, backups, site, vault, appIdentity, gatewayLabel, frontDoorId: front.frontDoorId };
    const emergency = mysql ? buildEmergencySite(azure, base, mysql, azureTags) : undefined;

    front.route(emergency?.gateway.fqdn);
    const secondaryTarget = front.endpointHost;
    // The secondary is not probed: failing over to it is the only choice left when Seoul fails, healthy or not.
    // It is a host outside AWS, so the pair are CNAMEs.
    const dns = buildFailoverDns(config, dnsConfig, zone, accountId, primaryEdge.entry, { target: { kind: "cname", host: secondaryTarget } });
    const sites = workloadSites(config, dnsConfig, { primary: primarySiteForWorkloads(primary, primaryEdge) }, accountId);

    return {
        ...primaryOutputs(config, primary, config.emergency ? azure.location : primary.region, recoveryObjectives("pilot-light", dns.detectionSeconds)),
        appUrl: `https://${dns.fqdn}`,
        primaryEntryPoint: { dnsName: primaryEdge.entry.dnsName, checkedHost: primaryEdge.entry.checkedHost },
        workloadSites: sites,
        dnsZoneId: zone.zoneId,
        dnsNameServers: zone.nameServers,
        primaryHealthCheckId: dns.primaryHealthCheckId,
        alarmTopicArn: dns.alarmTopicArn,
        secondaryTarget,
        azureLocation: azure.location,
        azureResourceGroup: group.name,
        backupContainerUrl: backups.containerUrl,
        backupInstanceId: agent.instanceId,
        backupInstanceAmi: agent.ami,
        maintenancePageHost: front.endpointHost,
        maintenanceUrl: front.url,
        maintenanceWebsiteHost: site.webHost,
        maintenanceFrontServing: front.serving,
        maintenanceFrontProfile: front.profileName,
        maintenanceFrontDomain: front.customDomainName,
        ...(emergency ? {
            emergencyMysqlHost: emergency.mysql.fqdn,
            emergencyGatewayHost: emergency.gateway.fqdn,
            emergencyGatewayIp: emergency.gateway.publicIp,
            emergencyServing: emergency.gateway.serving,
            ...(emergency.generatedAdminKey ? { emergencyAdminPrivateKey: emergency.generatedAdminKey } : {}),
        } : {}),
    };
}
