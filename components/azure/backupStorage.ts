import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** SAS permissions of the backup agent: add, create, write. It can neither read, list nor delete. */
export const WRITER_SAS_PERMISSIONS = "acw";
/** SAS permissions of the restore tool: read and list, nothing that changes a blob. */
export const READER_SAS_PERMISSIONS = "rl";
/** Days deleted blobs and containers stay recoverable. */
export const SOFT_DELETE_DAYS = 14;

export interface BackupStorageArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    /** Redundancy, e.g. `Standard_ZRS`. */
    readonly skuName: string;
    readonly containerName: string;
    /** Days each blob stays write-once (container-level time-based retention). */
    readonly immutabilityDays: number;
    /** Days after which block blobs (dumps) move to the cool tier. */
    readonly coolAfterDays: number;
    /** Days after which backup blobs and their old versions are deleted. */
    readonly deleteAfterDays: number;
    /** Public IPs allowed through the firewall (the AWS NAT gateways the agent leaves through). */
    readonly allowedIps: pulumi.Input<string>[];
    /** Subnets allowed through the firewall (service endpoints), e.g. the app VMs' subnet. */
    readonly allowedSubnetIds: pulumi.Input<string>[];
    /** When SAS tokens issued for this container expire (ISO 8601). */
    readonly sasExpiry: string;
    /** Mark the account and container `protect`. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** Problems with backup storage args, one string each. */
export function validateBackupStorageArgs(args: BackupStorageArgs): string[] {
    const problems: string[] = [];
    if (args.deleteAfterDays < args.immutabilityDays) {
        problems.push(`deleteAfterDays ${args.deleteAfterDays} is shorter than immutabilityDays ${args.immutabilityDays}`);
    }
    if (args.deleteAfterDays <= args.coolAfterDays) {
        problems.push(`deleteAfterDays ${args.deleteAfterDays} must come after coolAfterDays ${args.coolAfterDays}`);
    }
    if (Number.isNaN(Date.parse(args.sasExpiry))) {
        problems.push(`sasExpiry "${args.sasExpiry}" is not a date`);
    }
    return problems;
}

/**
 * Where MySQL backups land: a StorageV2 account that takes HTTPS with TLS 1.2 only, allows no
 * public blob access and admits only listed IPs and subnets; a private container whose blobs are
 * write-once for a retention period (new blocks may still be appended, so live binlogs keep
 * growing); versioning and soft delete; lifecycle rules that cool and then expire backups.
 *
 * Shared-key access stays on because the agent in AWS authenticates with a service SAS, which is
 * signed with the account key; the key itself never leaves Azure and Pulumi's encrypted state.
 */
export class BackupStorage extends pulumi.ComponentResource {
    readonly accountName: pulumi.Output<string>;
    readonly containerName: pulumi.Output<string>;
    /** `https://<account>.blob.core.windows.net/<container>` */
    readonly containerUrl: pulumi.Output<string>;
    /** SAS for the agent: add, create, write. Secret. */
    readonly writerSas: pulumi.Output<string>;
    /** SAS for the restore tool: read, list. Secret. */
    readonly readerSas: pulumi.Output<string>;

    constructor(name: string, args: BackupStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("BackupStorage", name, validateBackupStorageArgs(args));
        super("dr:azure:BackupStorage", name, {}, opts);
        const rg = args.resourceGroupName;
        const parent = { parent: this };
        const protect = args.protect ?? true;

        // Storage account names allow lower-case letters and digits only; Pulumi appends a random suffix.
        const account = new storage.StorageAccount(name.replace(/[^a-z0-9]/g, ""), {
            resourceGroupName: rg,
            location: args.location,
            kind: "StorageV2",
            sku: { name: args.skuName },
            accessTier: "Hot",
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: true,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            publicNetworkAccess: "Enabled",
            networkRuleSet: {
                defaultAction: "Deny",
                bypass: "AzureServices",
                ipRules: args.allowedIps.map(ip => ({ iPAddressOrRange: ip, action: "Allow" as const })),
                virtualNetworkRules: args.allowedSubnetIds.map(id => ({ virtualNetworkResourceId: id, action: "Allow" as const })),
            },
            encryption: {
                keySource: "Microsoft.Storage",
                requireInfrastructureEncryption: true,
                services: { blob: { enabled: true, keyType: "Account" } },
            },
            tags: childTags(name, args.tags),
        }, { parent: this, protect });

        const blobService = new storage.BlobServiceProperties(`${name}-blob-service`, {
            resourceGroupName: rg,
            accountName: account.name,
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
            containerDeleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
        }, parent);

        const container = new storage.BlobContainer(`${name}-container`, {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: args.containerName,
            publicAccess: "None",
        }, { parent: this, protect, dependsOn: [blobService] });

        new storage.BlobContainerImmutabilityPolicy(`${name}-worm`, {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: container.name,
            immutabilityPolicyName: "default",
            immutabilityPeriodSinceCreationInDays: args.immutabilityDays,
            // The agent appends to the live binlog's append blob and stages blocks of streamed dumps.
            allowProtectedAppendWritesAll: true,
        }, parent);

        new storage.ManagementPolicy(`${name}-lifecycle`, {
            resourceGroupName: rg,
            accountName: account.name,
            managementPolicyName: "default",
            policy: {
                rules: [
                    {
                        name: "cool-then-expire-dumps",
                        type: "Lifecycle",
                        enabled: true,
                        definition: {
                            filters: { blobTypes: ["blockBlob"], prefixMatch: [`${args.containerName}/`] },
                            actions: {
                                baseBlob: {
                                    tierToCool: { daysAfterModificationGreaterThan: args.coolAfterDays },
                                    delete: { daysAfterModificationGreaterThan: args.deleteAfterDays },
                                },
                                version: { delete: { daysAfterCreationGreaterThan: args.deleteAfterDays } },
                            },
                        },
                    },
                    {
                        // Lifecycle rules cannot re-tier append blobs, only delete them.
                        name: "expire-binlogs",
                        type: "Lifecycle",
                        enabled: true,
                        definition: {
                            filters: { blobTypes: ["appendBlob"], prefixMatch: [`${args.containerName}/`] },
                            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: args.deleteAfterDays } } },
                        },
                    },
                ],
            },
        }, { parent: this, dependsOn: [container] });

        const sas = (permissions: string) => pulumi.secret(storage.listStorageAccountServiceSASOutput({
            resourceGroupName: rg,
            accountName: account.name,
            canonicalizedResource: pulumi.interpolate`/blob/${account.name}/${container.name}`,
            resource: "c",
            permissions,
            protocols: "https",
            sharedAccessExpiryTime: args.sasExpiry,
        }, parent).serviceSasToken);

        this.accountName = account.name;
        this.containerName = container.name;
        this.containerUrl = pulumi.interpolate`https://${account.name}.blob.core.windows.net/${container.name}`;
        this.writerSas = sas(WRITER_SAS_PERMISSIONS);
        this.readerSas = sas(READER_SAS_PERMISSIONS);
        this.registerOutputs({ accountName: this.accountName, containerUrl: this.containerUrl });
    }
}
