import * as assert from "assert";
import { drBackupsImmutable } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";

/** The backup account as the program declares it: version-level WORM with a 7-day default, named by the provider. */
const account = resource("azure-native:storage:StorageAccount", "drbackups", {
    kind: "StorageV2",
    immutableStorageWithVersioning: { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 7, state: "Unlocked", allowProtectedAppendWrites: true } },
}, { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/drbackups1", outputs: { name: "drbackups1" } });
const container = resource("azure-native:storage:BlobContainer", "drbackups-container", { accountName: "drbackups1", containerName: "mysql-backups", publicAccess: "None" });
const tools = resource("azure-native:storage:BlobContainer", "maintenance-tools", { accountName: "drsite", containerName: "dr-tools" });
const worm = (days: number) => ({ enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: days, state: "Unlocked", allowProtectedAppendWrites: true } });
const withWorm = (value: unknown) => ({ ...account, outputs: { ...account.outputs, immutableStorageWithVersioning: value } });
/** The old design: a container-level policy on an account without version-level WORM. */
const plainAccount = { ...account, inputs: { kind: "StorageV2" }, outputs: { name: "drbackups1" } };
const containerPolicy = resource("azure-native:storage:BlobContainerImmutabilityPolicy", "drbackups-worm", {
    accountName: "drbackups1", containerName: "mysql-backups", immutabilityPeriodSinceCreationInDays: 7, allowProtectedAppendWritesAll: true,
});

describe("policy dr-backups-immutable", () => {
    it("accepts a backup container whose account keeps every version write-once for 7 days, and ignores other containers", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [withWorm(worm(7)), container, tools]), []);
    });

    it("still counts a container-level policy as write-once (its other problems are the deployability group's)", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [plainAccount, container, containerPolicy]), []);
    });

    it("reports a backup container whose account has no version-level default policy, or a disabled one", async () => {
        const message = "drbackups-container: backup container mysql-backups is not write-once: its storage account has no version-level immutability with a default policy (immutableStorageWithVersioning), so anyone holding the account key can delete its backups";
        assert.deepStrictEqual(await findings(drBackupsImmutable, [plainAccount, container]), [message]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [withWorm({ enabled: true }), container]), [message]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [withWorm({ ...worm(7), immutabilityPolicy: { ...worm(7).immutabilityPolicy, state: "Disabled" } }), container]), [message]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [plainAccount, container, changed(containerPolicy, { accountName: "otheraccount" })]), [message]);
    });

    it("reports a retention shorter than required", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [withWorm(worm(3)), container]), [
            "drbackups-container: backup container mysql-backups is write-once for 3 day(s) (version-level); at least 7 are required",
        ]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [withWorm(worm(7)), container], { minImmutabilityDays: 30 }), [
            "drbackups-container: backup container mysql-backups is write-once for 7 day(s) (version-level); at least 30 are required",
        ]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [plainAccount, container, changed(containerPolicy, { immutabilityPeriodSinceCreationInDays: 3 })]), [
            "drbackups-container: backup container mysql-backups is write-once for 3 day(s) (container-level); at least 7 are required",
        ]);
    });

    it("skips while the container's account is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [plainAccount, changed(container, { accountName: UNKNOWN_STRING })]), []);
    });
});
