import * as assert from "assert";
import { EvaluatedResource } from "../../../../policies/evaluate";
import { azureStorageLifecycleReachable } from "../../../../policies/rules";
import { findings, resource, UNKNOWN_NUMBER } from "../../harness";

const ACCOUNT_NAME = "drbackups1a2b";

function account(worm?: unknown): EvaluatedResource {
    const outputs = { name: ACCOUNT_NAME, kind: "StorageV2", ...(worm === undefined ? {} : { immutableStorageWithVersioning: worm }) };
    return resource("azure-native:storage:StorageAccount", "drbackups", { kind: "StorageV2" }, { id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${ACCOUNT_NAME}`, outputs });
}

const vlw = (days: number) => ({ enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: days, state: "Unlocked", allowProtectedAppendWrites: true } });
const blobService = (versioning: boolean) => resource("azure-native:storage:BlobServiceProperties", "drbackups-blob-service", { accountName: ACCOUNT_NAME, blobServicesName: "default", isVersioningEnabled: versioning });

function rule(name: string, blobType: string, actions: Record<string, unknown>): Record<string, unknown> {
    return { name, type: "Lifecycle", enabled: true, definition: { filters: { blobTypes: [blobType], prefixMatch: ["mysql-backups/"] }, actions } };
}

const expireDumps = rule("cool-then-expire-dumps", "blockBlob", {
    baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 7 }, delete: { daysAfterModificationGreaterThan: 37 } },
    version: { delete: { daysAfterCreationGreaterThan: 37 } },
});
const expireBinlogs = rule("expire-binlogs", "appendBlob", {
    baseBlob: { delete: { daysAfterModificationGreaterThan: 37 } },
    version: { delete: { daysAfterCreationGreaterThan: 37 } },
});
const lifecycle = (...rules: Record<string, unknown>[]) => resource("azure-native:storage:ManagementPolicy", "drbackups-lifecycle", { accountName: ACCOUNT_NAME, managementPolicyName: "default", policy: { rules } });
const containerPolicy = resource("azure-native:storage:BlobContainerImmutabilityPolicy", "drbackups-worm", {
    accountName: ACCOUNT_NAME, containerName: "mysql-backups", immutabilityPolicyName: "default", immutabilityPeriodSinceCreationInDays: 7, allowProtectedAppendWritesAll: true,
});

/** The program before issue 10: a container-level policy, lifecycle deletes, no version action for append blobs. */
const oldBinlogs = rule("expire-binlogs", "appendBlob", { baseBlob: { delete: { daysAfterModificationGreaterThan: 37 } } });

describe("policy azure-storage-lifecycle-reachable", () => {
    it("accepts version-level WORM with rules that delete base blobs and versions of both types after the retention", async () => {
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(vlw(7)), blobService(true), lifecycle(expireDumps, expireBinlogs)]), []);
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(vlw(37)), lifecycle(expireDumps, expireBinlogs)]), [], "a delete on the last retention day is allowed");
    });

    it("reports the old design: lifecycle deletes in a container with a container-level policy, and no version delete for append blobs", async () => {
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(), blobService(true), containerPolicy, lifecycle(expireDumps, oldBinlogs)]), [
            "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule cool-then-expire-dumps deletes blockBlob in container mysql-backups, which has a container-level immutability policy (BlobContainerImmutabilityPolicy drbackups-worm): Azure's lifecycle delete does not run on blobs in an immutable container, so nothing would ever be deleted. Make the account's version-level default policy (immutableStorageWithVersioning) the retention instead",
            "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule expire-binlogs deletes appendBlob in container mysql-backups, which has a container-level immutability policy (BlobContainerImmutabilityPolicy drbackups-worm): Azure's lifecycle delete does not run on blobs in an immutable container, so nothing would ever be deleted. Make the account's version-level default policy (immutableStorageWithVersioning) the retention instead",
            "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule expire-binlogs deletes current versions of appendBlob but not previous versions, on an account with blob versioning: a deleted current version becomes a previous version that is kept (and billed) forever, and lifecycle deletes no current version while previous ones exist. Add actions.version.delete",
        ]);
    });

    it("reports a missing version delete wherever versioning is on, through version-level WORM alone too", async () => {
        const message = "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule expire-binlogs deletes current versions of appendBlob but not previous versions, on an account with blob versioning: a deleted current version becomes a previous version that is kept (and billed) forever, and lifecycle deletes no current version while previous ones exist. Add actions.version.delete";
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(vlw(7)), lifecycle(expireDumps, oldBinlogs)]), [message]);
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(), blobService(false), lifecycle(expireDumps, oldBinlogs)]), [], "without versioning there are no previous versions");
    });

    it("reports a delete before the account's version-level retention ends", async () => {
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(vlw(60)), lifecycle(expireBinlogs)]), [
            "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule expire-binlogs deletes baseBlob appendBlob after 37 day(s), before the account's 60-day version-level retention ends: Azure refuses the delete until each version's retention expires, so the rule promises a deletion that cannot happen. Delete after at least 60 days",
            "drbackups-lifecycle: ManagementPolicy drbackups-lifecycle rule expire-binlogs deletes version appendBlob after 37 day(s), before the account's 60-day version-level retention ends: Azure refuses the delete until each version's retention expires, so the rule promises a deletion that cannot happen. Delete after at least 60 days",
        ]);
    });

    it("ignores a container-level policy on a container the rules do not reach, and rules that delete nothing", async () => {
        const otherContainer = { ...containerPolicy, inputs: { ...containerPolicy.inputs, containerName: "audit" } };
        const coolOnly = rule("cool", "blockBlob", { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 7 } } });
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(vlw(7)), otherContainer, lifecycle(expireDumps, expireBinlogs)]), []);
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(), blobService(true), containerPolicy, lifecycle(coolOnly)]), []);
    });

    it("skips a policy whose rules are unknown at preview", async () => {
        const unknownDays = rule("expire-binlogs", "appendBlob", { baseBlob: { delete: { daysAfterModificationGreaterThan: UNKNOWN_NUMBER } } });
        assert.deepStrictEqual(await findings(azureStorageLifecycleReachable, [account(), blobService(true), containerPolicy, lifecycle(unknownDays)]), []);
    });
});
