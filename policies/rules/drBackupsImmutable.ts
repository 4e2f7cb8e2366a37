import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readKnown, UNKNOWN, Unknown } from "../lib/known";
import { stackResourcesOfType } from "../lib/typed";
import { BlobContainerProps, T } from "../lib/types";
import { accountOf, AccountScoped, AZ, sameAccount, versionLevelDays } from "./deployability/azureStorageAccounts";

/** Config of {@link drBackupsImmutable}. */
export interface ImmutabilityConfig {
    /** Fewest days each backup blob must stay write-once. */
    minImmutabilityDays: number;
    /** Names of the Azure blob containers that receive database backups. */
    backupContainers: string[];
}

/**
 * Days the container's backups stay write-once and what makes them so: the account's
 * version-level default policy, else a container-level policy of the container (which the
 * deployability group reports for its own problems); `undefined` when nothing protects them.
 */
function retentionOf(container: PolicyResource, accounts: PolicyResource[], containerPolicies: PolicyResource[]): { days: number; source: string } | undefined | Unknown {
    const account = accountOf(container, accounts);
    if (account === UNKNOWN) {
        return UNKNOWN;
    }
    const accountDays = account === undefined ? undefined : versionLevelDays(account);
    if (accountDays === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof accountDays === "number") {
        return { days: accountDays, source: "version-level" };
    }
    const name = (container.props as BlobContainerProps).containerName;
    for (const policy of containerPolicies) {
        const same = sameAccount(container, policy, accounts);
        const policyContainer = readKnown(() => (policy.props as AccountScoped).containerName);
        const days = readKnown(() => policy.props.immutabilityPeriodSinceCreationInDays as number | undefined);
        if (same === UNKNOWN || policyContainer === UNKNOWN || days === UNKNOWN) {
            return UNKNOWN;
        }
        if (same && policyContainer === name) {
            return { days: days ?? 0, source: "container-level" };
        }
    }
    return undefined;
}

/**
 * Seed 003: object backups are immutable. Each backup container's blob versions are write-once
 * for at least the configured days: by its storage account's version-level immutability (a
 * default time-based retention every version inherits), or else by a container-level policy.
 * Then neither a leaked SAS nor, once the policy is locked, a stolen key can delete the backups a
 * recovery depends on. What is unknown at preview is judged at update.
 */
export const drBackupsImmutable: StackValidationPolicy = {
    name: "dr-backups-immutable",
    description: "Every Azure backup container's blob versions are write-once (WORM) for at least the configured number of days, by the account's version-level default immutability policy.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create the backup storage account with immutableStorageWithVersioning { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays >= minImmutabilityDays, state: \"Unlocked\" (later \"Locked\"), allowProtectedAppendWrites: true } } (components/azure/backupStorage.ts); protected appends keep the live binlog append blob growing.",
    configSchema: {
        properties: {
            minImmutabilityDays: { type: "integer", minimum: 1, default: 7, description: "Fewest days each backup stays write-once." },
            backupContainers: {
                type: "array",
                items: { type: "string", minLength: 3 },
                uniqueItems: true,
                default: ["mysql-backups"],
                description: "Blob containers that receive database backups.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { minImmutabilityDays, backupContainers } = args.getConfig<ImmutabilityConfig>();
        const containers = stackResourcesOfType(args.resources, T.blobContainer).filter(container => {
            const name = readKnown(() => (container.props as BlobContainerProps).containerName);
            return typeof name === "string" && backupContainers.includes(name);
        });
        if (containers.length === 0) {
            args.notApplicable("The stack declares no backup container");
        }
        const accounts = stackResourcesOfType(args.resources, AZ.storageAccount);
        const containerPolicies = stackResourcesOfType(args.resources, AZ.containerImmutabilityPolicy);
        for (const container of containers) {
            const name = (container.props as BlobContainerProps).containerName;
            const retention = retentionOf(container, accounts, containerPolicies);
            if (retention === UNKNOWN) {
                continue;
            }
            if (retention === undefined) {
                reportViolation(`backup container ${name} is not write-once: its storage account has no version-level immutability with a default policy (immutableStorageWithVersioning), so anyone holding the account key can delete its backups`, container.urn);
            } else if (retention.days < minImmutabilityDays) {
                reportViolation(`backup container ${name} is write-once for ${retention.days} day(s) (${retention.source}); at least ${minImmutabilityDays} are required`, container.urn);
            }
        }
    },
};
