import * as assert from "assert";
import { drDataResidency } from "../../../policies/rules";
import { cannotRunDuringPreview, changed, evaluate, findings, resource, UNKNOWN_STRING } from "../harness";

const database = resource("aws:rds/instance:Instance", "primary-mysql", { region: "ap-northeast-2", engine: "mysql" });
const table = resource("aws:dynamodb/table:Table", "chats", { region: "ap-northeast-2", replicas: [{ regionName: "ap-northeast-1" }] });
const bucket = resource("aws:s3/bucket:Bucket", "team-dr", { region: "ap-northeast-1" });
const account = resource("azure-native:storage:StorageAccount", "drbackups", { location: "Korea Central", sku: { name: "Standard_GRS" } });
const mysql = resource("azure-native:dbformysql:Server", "emergency-mysql", { location: "koreacentral", backup: { geoRedundantBackup: "Disabled" } });
const alarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-down", { region: "us-east-1" });
const compliant = [database, table, bucket, account, mysql, alarm];

describe("policy dr-data-residency", () => {
    it("accepts Seoul and Tokyo data, Korea Central storage with its Korea South geo-copy, and alarms in us-east-1", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, compliant), []);
    });

    it("reports a database in a region outside the list", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(database, { region: "us-east-1" })]), [
            "primary-mysql: stores data in us-east-1, outside the allowed regions (ap-northeast-2, ap-northeast-1, koreacentral, koreasouth)",
        ]);
    });

    it("reports a table replica outside the list", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(table, { replicas: [{ regionName: "us-west-2" }] })]), [
            "chats: keeps a replica in us-west-2, outside the allowed regions (ap-northeast-2, ap-northeast-1, koreacentral, koreasouth)",
        ]);
    });

    it("reports a geo-redundant copy in a paired region that is not allowed", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [account], { allowedRegions: ["ap-northeast-2", "koreacentral"] }), [
            "drbackups: keeps a geo-redundant copy (sku Standard_GRS) in koreasouth, outside the allowed regions (ap-northeast-2, koreacentral)",
        ]);
    });

    it("reports geo-redundant database backups in a paired region that is not allowed", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(mysql, { backup: { geoRedundantBackup: "Enabled" } })], { allowedRegions: ["koreacentral"] }), [
            "emergency-mysql: keeps a geo-redundant backup in koreasouth, outside the allowed regions (koreacentral)",
        ]);
    });

    it("reports both copies of a geo-redundant account in a region outside its pairing table", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(account, { location: "brazilsouth" })]), [
            "drbackups: stores data in brazilsouth, outside the allowed regions (ap-northeast-2, ap-northeast-1, koreacentral, koreasouth)",
            "drbackups: keeps a geo-redundant copy (sku Standard_GRS) in the region paired with brazilsouth (not in the policy's pairing table), outside the allowed regions (ap-northeast-2, ap-northeast-1, koreacentral, koreasouth)",
        ]);
    });

    it("reports a bucket with no region of its own when no provider region is known", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(bucket, { region: undefined })]), [
            "team-dr: stores data in its provider's default region, which the policy cannot see: set the resource's region so residency can be checked",
        ]);
    });

    it("uses the provider's region when the resource names none", async () => {
        const viaProvider = { ...changed(bucket, { region: undefined }), provider: { type: "pulumi:providers:aws", name: "virginia", urn: "urn:provider", inputs: { region: "us-east-1" } } };
        assert.deepStrictEqual(await findings(drDataResidency, [viaProvider]), [
            "team-dr: stores data in us-east-1, outside the allowed regions (ap-northeast-2, ap-northeast-1, koreacentral, koreasouth)",
        ]);
    });

    it("reports an Azure account that follows its resource group's location", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(mysql, { location: undefined })]), [
            "emergency-mysql: stores data without an explicit location (it follows its resource group): set location so residency can be checked",
        ]);
    });

    it("skips a region unknown at preview, and reports the analyzer's advisory when a replica list is unknown", async () => {
        assert.deepStrictEqual(await findings(drDataResidency, [changed(database, { region: UNKNOWN_STRING })]), []);
        const evaluation = await evaluate(drDataResidency, [changed(table, { replicas: [{ regionName: UNKNOWN_STRING }] })]);
        assert.deepStrictEqual(evaluation.violations.map(v => [v.enforcementLevel, v.message]), [
            ["advisory", cannotRunDuringPreview("dr-data-residency", "string value at .replicas.0.regionName can't be known during preview")],
        ]);
    });

    it("rejects an empty allowedRegions list", async () => {
        await assert.rejects(findings(drDataResidency, compliant, { allowedRegions: [] }), /dr-data-residency\.allowedRegions: must have at least 1 item\(s\)/);
    });
});
