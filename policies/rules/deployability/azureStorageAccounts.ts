import { PolicyResource } from "@pulumi/policy";
import { isKnownString, readKnown, UNKNOWN, Unknown } from "../../lib/known";
import { identitiesBy, referencedBy } from "../../lib/references";

/** The azure-native storage types the immutability and lifecycle rules read (azure-native 3). */
export const AZ = {
    storageAccount: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    blobContainer: "azure-native:storage:BlobContainer",
    containerImmutabilityPolicy: "azure-native:storage:BlobContainerImmutabilityPolicy",
    managementPolicy: "azure-native:storage:ManagementPolicy",
} as const;

/** `immutableStorageWithVersioning` of a StorageAccount: account-level version-level WORM. */
export interface VersionLevelWorm {
    enabled?: boolean;
    immutabilityPolicy?: {
        immutabilityPeriodSinceCreationInDays?: number;
        state?: string;
        allowProtectedAppendWrites?: boolean;
    };
}

/** A lifecycle action condition: age in days. */
export interface LifecycleCondition {
    daysAfterModificationGreaterThan?: number;
    daysAfterCreationGreaterThan?: number;
    daysAfterLastAccessTimeGreaterThan?: number;
}

/** One rule of a ManagementPolicy's `policy.rules`. */
export interface LifecycleRule {
    name?: string;
    enabled?: boolean;
    definition?: {
        filters?: { blobTypes?: string[]; prefixMatch?: string[] };
        actions?: {
            baseBlob?: { delete?: LifecycleCondition };
            version?: { delete?: LifecycleCondition };
            snapshot?: { delete?: LifecycleCondition };
        };
    };
}

/** What a side resource (policy, blob service, container) says about its storage account. */
export interface AccountScoped {
    accountName?: string;
    containerName?: string;
}

const accountIdentities = identitiesBy("accountName", "name");

/**
 * The StorageAccount among `accounts` that `resource` (a side resource with `accountName`) belongs
 * to: by the engine's property dependencies, else by name. `undefined` when the account is not
 * declared by the stack; {@link UNKNOWN} when that cannot be decided at preview.
 */
export function accountOf(resource: PolicyResource, accounts: PolicyResource[]): PolicyResource | undefined | Unknown {
    const found = referencedBy(resource, "accountName", accounts, accountIdentities);
    return found === UNKNOWN ? UNKNOWN : found[0];
}

/**
 * Whether two side resources are on the same storage account: the same account resource when the
 * stack declares it, else the same known `accountName`; {@link UNKNOWN} when a name is unknown.
 */
export function sameAccount(a: PolicyResource, b: PolicyResource, accounts: PolicyResource[]): boolean | Unknown {
    const accountA = accountOf(a, accounts);
    const accountB = accountOf(b, accounts);
    if (typeof accountA === "object" && typeof accountB === "object") {
        return accountA.urn === accountB.urn;
    }
    const nameA = readKnown(() => (a.props as AccountScoped).accountName);
    const nameB = readKnown(() => (b.props as AccountScoped).accountName);
    if (nameA === UNKNOWN || nameB === UNKNOWN) {
        return UNKNOWN;
    }
    return isKnownString(nameA) && nameA === nameB;
}

/**
 * The account's default version-level retention in days when version-level WORM is enabled with a
 * policy in force (Unlocked or Locked); `undefined` when there is none; {@link UNKNOWN} at preview.
 */
export function versionLevelDays(account: PolicyResource): number | undefined | Unknown {
    const worm = readKnown(() => account.props.immutableStorageWithVersioning as VersionLevelWorm | undefined);
    if (worm === UNKNOWN) {
        return UNKNOWN;
    }
    if (worm?.enabled !== true || worm.immutabilityPolicy === undefined || worm.immutabilityPolicy.state === "Disabled") {
        return undefined;
    }
    return worm.immutabilityPolicy.immutabilityPeriodSinceCreationInDays;
}

/** Whether version-level WORM is enabled on the account (it turns blob versioning on). */
export function versionLevelWormEnabled(account: PolicyResource): boolean | Unknown {
    const enabled = readKnown(() => (account.props.immutableStorageWithVersioning as VersionLevelWorm | undefined)?.enabled);
    return enabled === UNKNOWN ? UNKNOWN : enabled === true;
}

/** Whether lifecycle `prefixes` (absent: every blob of the account) reach blobs of `container`. */
export function prefixesReach(prefixes: string[] | undefined, container: string): boolean {
    if (prefixes === undefined || prefixes.length === 0) {
        return true;
    }
    return prefixes.some(prefix => `${container}/`.startsWith(prefix) || prefix.startsWith(`${container}/`));
}
