import * as assert from "assert";
import { azureStorageSecureTransport } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

const backups = resource("azure-native:storage:StorageAccount", "drbackups", { kind: "StorageV2", enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false });
const maintenance = resource("azure-native:storage:StorageAccount", "maintenance-account", { kind: "StorageV2", enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false });
const container = resource("azure-native:storage:BlobContainer", "drbackups-container", { accountName: "drbackups1", containerName: "mysql-backups", publicAccess: "None" });

describe("policy azure-storage-secure-transport", () => {
    it("accepts HTTPS-only accounts without a custom domain, and a private container", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [backups, maintenance, container]), []);
    });

    it("reports plain HTTP on every account, the maintenance site's included: there is no exemption any more", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(backups, { enableHttpsTrafficOnly: false }), changed(maintenance, { enableHttpsTrafficOnly: false })]), [
            "drbackups: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true",
            "maintenance-account: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true",
        ]);
    });

    it("reports a storage custom domain, which Azure serves without a certificate for it (the old maintenance site)", async () => {
        const old = changed(maintenance, { enableHttpsTrafficOnly: false, customDomain: { name: "app.example.com", useSubDomainName: true } });
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [old]), [
            "maintenance-account: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true",
            "maintenance-account: serves the custom domain app.example.com, which Azure Storage answers without a certificate for that name: remove customDomain and put Azure Front Door in front of the website endpoint",
        ]);
    });

    it("treats an unset enableHttpsTrafficOnly as Azure does: HTTPS only", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(backups, { enableHttpsTrafficOnly: undefined })]), []);
    });

    it("holds every account to TLS 1.2", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(maintenance, { minimumTlsVersion: "TLS1_0" })]), [
            "maintenance-account: accepts TLS1_0: set minimumTlsVersion to TLS1_2",
        ]);
    });

    it("reports an unset TLS floor, and reads the floor from config", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(backups, { minimumTlsVersion: undefined })]), [
            "drbackups: does not set minimumTlsVersion (older accounts default to TLS1_0): set it to TLS1_2",
        ]);
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [backups], { minimumTlsVersion: "TLS1_3" }), [
            "drbackups: accepts TLS1_2: set minimumTlsVersion to TLS1_3",
        ]);
    });

    it("reports an account that allows public blob access", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(backups, { allowBlobPublicAccess: true })]), [
            "drbackups: does not set allowBlobPublicAccess: false, so a container could be made readable by anyone",
        ]);
    });

    it("reports a container readable by anyone", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(container, { publicAccess: "Blob" })]), [
            'drbackups-container: lets anyone read its blobs (publicAccess: "Blob"): set it to "None"',
        ]);
    });

    it("rejects a TLS floor Azure does not have, and the removed httpAllowed exemption", async () => {
        await assert.rejects(findings(azureStorageSecureTransport, [backups], { minimumTlsVersion: "TLS1_1" }), /azure-storage-secure-transport\.minimumTlsVersion: must be one of "TLS1_2", "TLS1_3", got "TLS1_1"/);
        await assert.rejects(findings(azureStorageSecureTransport, [backups], { httpAllowed: {} }), /httpAllowed/);
    });
});
