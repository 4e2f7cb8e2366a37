import { StackValidationPolicy } from "@pulumi/policy";
import { readKnown, UNKNOWN } from "../lib/known";
import { stackResourcesOfType } from "../lib/typed";
import { BlobContainerProps, T } from "../lib/types";

/** Config of {@link drBackupsImmutable}. */
export interface ImmutabilityConfig {
    /** Fewest days each backup blob must stay write-once. */
    minImmutabilityDays: number;
    /** Names of the Azure blob containers that receive database backups. */
    backupContainers: string[];
}

/**
 * Seed 003: object backups are immutable. Each backup container has a time-based retention
 * (WORM) policy of at least the configured days, so neither ransomware nor a stolen key can
 * delete or rewrite the backups a recovery depends on.
 */
export const drBackupsImmutable: StackValidationPolicy = {
    name: "dr-backups-immutable",
    description: "Every Azure backup container has a write-once (WORM) immutability policy of at least the configured number of days.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Declare a BlobContainerImmutabilityPolicy for the container with immutabilityPeriodSinceCreationInDays >= minImmutabilityDays (allowProtectedAppendWritesAll keeps append blobs growing).",
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
        const policies = stackResourcesOfType(args.resources, T.immutabilityPolicy).map(policy => readKnown(() => ({
            account: policy.props.accountName as string | undefined,
            container: policy.props.containerName as string | undefined,
            days: policy.props.immutabilityPeriodSinceCreationInDays as number | undefined,
        })));
        if (policies.some(policy => policy === UNKNOWN)) {
            return;
        }
        for (const container of containers) {
            const props = container.props as BlobContainerProps;
            const account = readKnown(() => props.accountName);
            if (account === UNKNOWN) {
                continue;
            }
            const own = policies.find(policy => policy !== UNKNOWN && policy.container === props.containerName && policy.account === account);
            if (own === undefined || own === UNKNOWN) {
                reportViolation(`backup container ${props.containerName} has no immutability policy: anyone holding the account key can delete or overwrite its backups`, container.urn);
            } else if ((own.days ?? 0) < minImmutabilityDays) {
                reportViolation(`backup container ${props.containerName} is write-once for ${own.days ?? 0} day(s); at least ${minImmutabilityDays} are required`, container.urn);
            }
        }
    },
};
