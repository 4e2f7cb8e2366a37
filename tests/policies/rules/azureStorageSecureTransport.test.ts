import * as assert from "assert";
import { azureStorageSecureTransport } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

const backups = resource("azure-native:storage:StorageAccount", "drbackups", { kind: "StorageV2", enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false });
const maintenance = resource("azure-native:storage:StorageAccount", "maintenance-account", {
    kind: "StorageV2", enableHttpsTrafficOnly: false, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false, customDomain: { name: "app.example.com", useSubDomainName: true },
});
const container = resource("azure-native:storage:BlobContainer", "drbackups-container", { accountName: "drbackups1", containerName: "mysql-backups", publicAccess: "None" });

describe("policy azure-storage-secure-transport", () => {
    it("accepts an HTTPS-only account, the listed custom-domain maintenance site, and a private container", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [backups, maintenance, container]), []);
    });

    it("reports plain HTTP on an account that is not listed", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(backups, { enableHttpsTrafficOnly: false })]), [
            "drbackups: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true, or list the account in httpAllowed with the reason",
        ]);
    });

    it("reports a listed account that serves no custom domain", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [changed(maintenance, { customDomain: undefined })]), [
            "maintenance-account: is listed in httpAllowed but serves no custom domain, the only reason to accept plain HTTP: set enableHttpsTrafficOnly: true",
        ]);
    });

    it("checks the maintenance site like any account when config removes it from httpAllowed", async () => {
        assert.deepStrictEqual(await findings(azureStorageSecureTransport, [maintenance], { httpAllowed: {} }), [
            "maintenance-account: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true, or list the account in httpAllowed with the reason",
        ]);
    });

    it("still holds the listed account to TLS 1.2", async () => {
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

    it("rejects a TLS floor Azure does not have", async () => {
        await assert.rejects(findings(azureStorageSecureTransport, [backups], { minimumTlsVersion: "TLS1_1" }), /azure-storage-secure-transport\.minimumTlsVersion: must be one of "TLS1_2", "TLS1_3", got "TLS1_1"/);
    });
});
