import * as assert from "assert";
import { drStatefulResourcesProtected } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";
import { EvaluatedResource } from "../../../policies/evaluate";

const rds = resource("aws:rds/instance:Instance", "primary-mysql", { deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "primary-final", backupRetentionPeriod: 7 });
const table = resource("aws:dynamodb/table:Table", "chats", {
    deletionProtectionEnabled: true, pointInTimeRecovery: { enabled: true },
    replicas: [{ regionName: "ap-northeast-1", deletionProtectionEnabled: true, pointInTimeRecovery: true }],
});
const bucket = resource("aws:s3/bucket:Bucket", "team", { forceDestroy: false }, { id: "team-1a2b3c" });
const versioning = resource("aws:s3/bucketVersioning:BucketVersioning", "team-versioning", { bucket: "team-1a2b3c", versioningConfiguration: { status: "Enabled" } });
const account = resource("azure-native:storage:StorageAccount", "drbackups", {}, { outputs: { name: "drbackups123" } });
const blobService = resource("azure-native:storage:BlobServiceProperties", "drbackups-blob-service", { accountName: "drbackups123", isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 14 } });
const mysql = resource("azure-native:dbformysql:Server", "emergency-mysql", { backup: { backupRetentionDays: 7 } });
const maintenance = resource("azure-native:storage:StorageAccount", "maintenance-account", { accountName: "drsite" });
const compliant = [rds, table, bucket, versioning, account, blobService, mysql, maintenance];

function replacing(original: EvaluatedResource, replacement: EvaluatedResource): EvaluatedResource[] {
    return compliant.map(r => (r === original ? replacement : r));
}

describe("policy dr-stateful-resources-protected", () => {
    it("accepts protected databases, tables, versioned buckets and accounts, and the exempt maintenance account", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, compliant), []);
    });

    it("reports an RDS instance without deletion protection", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { deletionProtection: false }))), [
            "primary-mysql: RDS instance primary-mysql does not set deletionProtection: true, so one mistaken delete destroys it",
        ]);
    });

    it("reports skipFinalSnapshot", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { skipFinalSnapshot: true }))), [
            "primary-mysql: RDS instance primary-mysql sets skipFinalSnapshot: true, so deleting it keeps no final snapshot",
        ]);
    });

    it("requires a read replica to skip its final snapshot (RDS refuses one), and accepts it", async () => {
        const replica = { replicateSourceDb: "arn:aws:rds:ap-northeast-2:123456789012:db:primary" };
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { ...replica, skipFinalSnapshot: true, finalSnapshotIdentifier: undefined }))), []);
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, replica))), [
            "primary-mysql: RDS instance primary-mysql is a read replica without skipFinalSnapshot: true; RDS refuses a final snapshot of a replica, so it could never be deleted",
        ]);
    });

    it("reports a missing finalSnapshotIdentifier", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { finalSnapshotIdentifier: undefined }))), [
            "primary-mysql: RDS instance primary-mysql names no finalSnapshotIdentifier, so it cannot take a final snapshot when deleted",
        ]);
    });

    it("reports short backup retention, and RDS's 1-day default when unset", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { backupRetentionPeriod: 3 }))), [
            "primary-mysql: RDS instance primary-mysql keeps automated backups for 3 day(s); at least 7 are required",
        ]);
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(rds, changed(rds, { backupRetentionPeriod: undefined }))), [
            "primary-mysql: RDS instance primary-mysql keeps automated backups for 1 day(s) (the RDS default); at least 7 are required",
        ]);
    });

    it("reads the retention floor from config", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, compliant, { minBackupRetentionDays: 14 }), [
            "primary-mysql: RDS instance primary-mysql keeps automated backups for 7 day(s); at least 14 are required",
            "emergency-mysql: Azure MySQL server emergency-mysql keeps backups for 7 day(s); at least 14 are required",
        ]);
    });

    it("reports a table without deletion protection", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(table, changed(table, { deletionProtectionEnabled: false }))), [
            "chats: DynamoDB table chats does not set deletionProtectionEnabled: true",
        ]);
    });

    it("reports a table without point-in-time recovery", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(table, changed(table, { pointInTimeRecovery: { enabled: false } }))), [
            "chats: DynamoDB table chats does not enable pointInTimeRecovery, so it cannot be restored to a moment before a bad write",
        ]);
    });

    it("reports a replica without point-in-time recovery", async () => {
        const replicas = [{ regionName: "ap-northeast-1", deletionProtectionEnabled: true, pointInTimeRecovery: false }];
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(table, changed(table, { replicas }))), [
            "chats: DynamoDB table chats's replica in ap-northeast-1 does not enable pointInTimeRecovery",
        ]);
    });

    it("reports a bucket whose versioning is suspended", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(versioning, changed(versioning, { versioningConfiguration: { status: "Suspended" } }))), [
            "team: S3 bucket team has no versioning enabled (no BucketVersioning with status Enabled), so an overwrite or delete cannot be undone and it cannot replicate",
        ]);
    });

    it("reports a bucket with forceDestroy", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(bucket, changed(bucket, { forceDestroy: true }))), [
            "team: S3 bucket team sets forceDestroy: true, so deleting it deletes every object",
        ]);
    });

    it("skips bucket versioning while the versioning resource's bucket is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(versioning, changed(versioning, { bucket: UNKNOWN_STRING }))), []);
    });

    it("reports a storage account whose blob service keeps no deleted blobs", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(blobService, changed(blobService, { deleteRetentionPolicy: { enabled: false } }))), [
            "drbackups: storage account drbackups has no BlobServiceProperties enabling both blob versioning and soft delete, so deleted or overwritten blobs are gone",
        ]);
    });

    it("reports short Azure MySQL backup retention", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, replacing(mysql, changed(mysql, { backup: { backupRetentionDays: 3 } }))), [
            "emergency-mysql: Azure MySQL server emergency-mysql keeps backups for 3 day(s); at least 7 are required",
        ]);
    });

    it("checks the maintenance account once it is no longer exempt, and requires a reason for exemptions", async () => {
        assert.deepStrictEqual(await findings(drStatefulResourcesProtected, compliant, { exempt: {} }), [
            "maintenance-account: storage account maintenance-account has no BlobServiceProperties enabling both blob versioning and soft delete, so deleted or overwritten blobs are gone",
        ]);
        await assert.rejects(findings(drStatefulResourcesProtected, compliant, { exempt: { "maintenance-account": "" } }), /dr-stateful-resources-protected\.exempt\."maintenance-account": must be at least 10 characters long/);
    });
});
