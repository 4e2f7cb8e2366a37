import * as assert from "assert";
import { drBackupsImmutable } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";

const container = resource("azure-native:storage:BlobContainer", "drbackups-container", { accountName: "drbackups1", containerName: "mysql-backups", publicAccess: "None" });
const worm = resource("azure-native:storage:BlobContainerImmutabilityPolicy", "drbackups-worm", {
    accountName: "drbackups1", containerName: "mysql-backups", immutabilityPeriodSinceCreationInDays: 7, allowProtectedAppendWritesAll: true,
});
const tools = resource("azure-native:storage:BlobContainer", "maintenance-tools", { accountName: "drsite", containerName: "dr-tools" });

describe("policy dr-backups-immutable", () => {
    it("accepts a backup container that is write-once for 7 days, and ignores other containers", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [container, worm, tools]), []);
    });

    it("reports a backup container without an immutability policy", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [container, changed(worm, { accountName: "otheraccount" })]), [
            "drbackups-container: backup container mysql-backups has no immutability policy: anyone holding the account key can delete or overwrite its backups",
        ]);
    });

    it("reports a retention shorter than required", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [container, changed(worm, { immutabilityPeriodSinceCreationInDays: 3 })]), [
            "drbackups-container: backup container mysql-backups is write-once for 3 day(s); at least 7 are required",
        ]);
        assert.deepStrictEqual(await findings(drBackupsImmutable, [container, worm], { minImmutabilityDays: 30 }), [
            "drbackups-container: backup container mysql-backups is write-once for 7 day(s); at least 30 are required",
        ]);
    });

    it("skips while a policy's container is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drBackupsImmutable, [container, changed(worm, { accountName: UNKNOWN_STRING })]), []);
    });
});
