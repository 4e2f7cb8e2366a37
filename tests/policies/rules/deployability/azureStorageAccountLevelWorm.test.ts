import * as assert from "assert";
import { azureStorageAccountLevelWorm } from "../../../../policies/rules";
import { changed, findings, resource } from "../../harness";

const worm = { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 7, state: "Unlocked", allowProtectedAppendWrites: true } };
const account = resource("azure-native:storage:StorageAccount", "drbackups", { kind: "StorageV2", immutableStorageWithVersioning: worm });
const site = resource("azure-native:storage:StorageAccount", "drsite", { kind: "StorageV2" });

describe("policy azure-storage-account-level-worm", () => {
    it("accepts an account with version-level WORM and its default policy, and an account without immutability", async () => {
        assert.deepStrictEqual(await findings(azureStorageAccountLevelWorm, [account, site]), []);
    });

    it("reports a container-level immutability policy: its days cannot be changed nor the policy removed without an ETag", async () => {
        const containerPolicy = resource("azure-native:storage:BlobContainerImmutabilityPolicy", "drbackups-worm", {
            accountName: "drbackups1", containerName: "mysql-backups", immutabilityPolicyName: "default", immutabilityPeriodSinceCreationInDays: 7,
        });
        assert.deepStrictEqual(await findings(azureStorageAccountLevelWorm, [account, containerPolicy]), [
            "drbackups-worm: container-level immutability policy on container mysql-backups: Azure requires its ETag to change or delete it and azure-native sends none, so changing the retention days or removing the policy fails (412), and lifecycle rules cannot delete any blob in the container. Use the account's version-level default policy",
        ]);
    });

    it("reports a default account policy without version-level WORM enabled, which Azure refuses", async () => {
        const message = "drbackups: sets a default immutability policy without immutableStorageWithVersioning.enabled: true: Azure refuses an account-level policy while account-level version-level WORM is off. Set enabled: true (possible only when the account is created)";
        assert.deepStrictEqual(await findings(azureStorageAccountLevelWorm, [changed(account, { immutableStorageWithVersioning: { ...worm, enabled: false } })]), [message]);
        assert.deepStrictEqual(await findings(azureStorageAccountLevelWorm, [changed(account, { immutableStorageWithVersioning: { immutabilityPolicy: worm.immutabilityPolicy } })]), [message]);
    });
});
