import { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../../lib/known";
import { resourceOfTypes } from "../../lib/typed";
import { AccountScoped, AZ, VersionLevelWorm } from "./azureStorageAccounts";

/**
 * Blob retention is the storage account's version-level default policy, declared so Azure accepts
 * it and Pulumi can change it: no BlobContainerImmutabilityPolicy (Azure requires the policy's
 * ETag to update or delete it and the azure-native provider sends none, so changing its days or
 * removing it fails with 412; lifecycle cannot delete in its container either), and a default
 * account policy only together with `enabled: true` (Azure refuses the policy otherwise).
 */
export const azureStorageAccountLevelWorm: ResourceValidationPolicy = {
    name: "azure-storage-account-level-worm",
    description: "Azure blob retention uses the account's version-level default policy (immutableStorageWithVersioning enabled), not a BlobContainerImmutabilityPolicy, whose update and delete need an ETag azure-native does not send (https://github.com/pulumi/pulumi-azure-native/issues/2156 ; https://learn.microsoft.com/rest/api/storagerp/blob-containers/delete-immutability-policy).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Remove the BlobContainerImmutabilityPolicy and set the StorageAccount's immutableStorageWithVersioning to { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays, state: \"Unlocked\", allowProtectedAppendWrites } } (only possible when the account is created: a new account for existing data). Its days then change by an ordinary account update.",
    validateResource: resourceOfTypes<AccountScoped & { immutableStorageWithVersioning?: VersionLevelWorm }>([AZ.containerImmutabilityPolicy, AZ.storageAccount], (props, args, reportViolation) => {
        if (args.type === AZ.containerImmutabilityPolicy) {
            const container = readKnown(() => props.containerName);
            reportViolation(`container-level immutability policy on container ${typeof container === "string" ? container : "(unknown)"}: Azure requires its ETag to change or delete it and azure-native sends none, so changing the retention days or removing the policy fails (412), and lifecycle rules cannot delete any blob in the container. Use the account's version-level default policy`);
            return;
        }
        const worm = props.immutableStorageWithVersioning;
        if (worm?.immutabilityPolicy !== undefined && worm.enabled !== true) {
            reportViolation("sets a default immutability policy without immutableStorageWithVersioning.enabled: true: Azure refuses an account-level policy while account-level version-level WORM is off. Set enabled: true (possible only when the account is created)");
        }
    }),
};
