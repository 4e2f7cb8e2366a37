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
/** Longest time-based retention Azure accepts: 146,000 days (400 years). */
export const MAX_IMMUTABILITY_DAYS = 146_000;

export interface BackupStorageArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    /** Redundancy, e.g. `Standard_ZRS`. */
    readonly skuName: string;
    readonly containerName: string;
    /**
     * Days each blob version stays write-once: the account's default version-level retention,
     * inherited by every version when it is written. A change is an in-place update of the
     * account and applies to versions written afterwards; versions keep the retention they got.
     */
    readonly immutabilityDays: number;
    /**
     * Lock the account's default retention policy. Default false (unlocked). Irreversible: once
     * locked, the days can only be increased, the policy can neither be disabled nor deleted, and
     * every version written afterwards gets a locked policy that nobody can shorten or remove.
     * Azure creates the policy unlocked only, so set it on an update of an existing account.
     */
    readonly immutabilityLocked?: boolean;
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
    if (!Number.isInteger(args.immutabilityDays) || args.immutabilityDays < 1 || args.immutabilityDays > MAX_IMMUTABILITY_DAYS) {
        problems.push(`immutabilityDays ${args.immutabilityDays} must be a whole number of days from 1 to ${MAX_IMMUTABILITY_DAYS}`);
    }
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
 * The lifecycle rules of the backup container: dumps (block blobs) cool after `coolAfterDays`;
 * every blob, dumps and binlog segments (append blobs) alike, is deleted `deleteAfterDays` after
 * its last write, and so is every previous version (a deleted current version becomes one) once
 * it is that old. Lifecycle can re-tier block blobs only, and it deletes a current version only
 * after the blob's previous versions are gone, hence a version rule beside every base-blob rule.
 */
export function backupLifecycleRules(containerName: string, coolAfterDays: number, deleteAfterDays: number): storage.ManagementPolicyArgs["policy"] {
    const expire = (blobType: "blockBlob" | "appendBlob", coolAfter?: number) => ({
        filters: { blobTypes: [blobType], prefixMatch: [`${containerName}/`] },
        actions: {
            baseBlob: {
                ...(coolAfter === undefined ? {} : { tierToCool: { daysAfterModificationGreaterThan: coolAfter } }),
                delete: { daysAfterModificationGreaterThan: deleteAfterDays },
            },
            version: { delete: { daysAfterCreationGreaterThan: deleteAfterDays } },
        },
    });
    return {
        rules: [
            { name: "cool-then-expire-dumps", type: "Lifecycle", enabled: true, definition: expire("blockBlob", coolAfterDays) },
            { name: "expire-binlogs", type: "Lifecycle", enabled: true, definition: expire("appendBlob") },
        ],
    };
}

/**
 * Where MySQL backups land: a StorageV2 account that takes HTTPS with TLS 1.2 only, allows no
 * public blob access and admits only listed IPs and subnets; a private container; versioning and
 * soft delete; lifecycle rules that cool and then expire backups and their old versions.
 *
 * Write-once is version-level immutability (WORM) enabled on the account at creation, with a
 * default time-based retention of `immutabilityDays` that every blob version inherits: no version
 * can be deleted before then, an overwrite only adds a version, and protected appends let the
 * agent keep appending to the live binlog segment. Lifecycle deletes what is past retention (a
 * container-level policy would stop it from deleting anything). Against whom it holds:
 * - the agent's SAS (`acw`, leaked or not) and the restorer's (`rl`) can delete nothing;
 * - unlocked (default): whoever holds the account key or can list it (Contributor, Storage
 *   Account Contributor, Owner) can remove a version's unlocked policy and then delete it, or
 *   lower the default for new blobs; soft delete still keeps deleted versions 14 days;
 * - locked (`immutabilityLocked`): nobody, Owner included, can shorten or remove a locked
 *   version's retention, nor delete the container or account while it holds one.
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
            // Only at account creation; it turns versioning on. The policy is created unlocked and
            // can be locked by a later update; its days change in place (no ETag, unlike a
            // container-level policy).
            immutableStorageWithVersioning: {
                enabled: true,
                immutabilityPolicy: {
                    immutabilityPeriodSinceCreationInDays: args.immutabilityDays,
                    state: args.immutabilityLocked ? "Locked" : "Unlocked",
                    // The agent appends to the live binlog segment (Append Block) under retention.
                    allowProtectedAppendWrites: true,
                },
            },
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

        new storage.ManagementPolicy(`${name}-lifecycle`, {
            resourceGroupName: rg,
            accountName: account.name,
            managementPolicyName: "default",
            policy: backupLifecycleRules(args.containerName, args.coolAfterDays, args.deleteAfterDays),
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
