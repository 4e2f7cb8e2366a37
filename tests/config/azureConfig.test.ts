import * as assert from "assert";
import { ConfigError, parseConfig } from "../../config";
import { AZURE_REGIONS } from "../../config/azureRegions";
import { mysqlSkuTier } from "../../config/azureRules";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";

const pilot = stackFileConfig("pilot-light");
const DECEMBER_2_2026 = new Date("2026-12-02T12:00:00Z");

function parsePilot(overrides: Record<string, unknown> = {}) {
    return parseConfig(projectValues(pilot, overrides), DECEMBER_2_2026);
}

/** The problems of a pilot-light config with overrides, by key. */
function problemsOf(overrides: Record<string, unknown>, base = pilot): Record<string, string[]> {
    try {
        parseConfig(projectValues(base, overrides), DECEMBER_2_2026);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        const byKey: Record<string, string[]> = {};
        for (const problem of error.problems) {
            (byKey[problem.key] ??= []).push(problem.message);
        }
        return byKey;
    }
    assert.fail(`config ${JSON.stringify(overrides)} was accepted`);
}

describe("config: Azure region facts", () => {
    it("knows every region a Korean service would pick and the common ones, each with zones and pair", () => {
        const expected = ["koreacentral", "koreasouth", "japaneast", "japanwest", "southeastasia", "eastasia", "centralindia",
            "australiaeast", "eastus", "eastus2", "westus2", "westus3", "westeurope", "northeurope", "uksouth", "francecentral",
            "germanywestcentral", "swedencentral", "canadacentral", "brazilsouth"];
        for (const name of expected) {
            assert.ok(AZURE_REGIONS[name], `${name} is missing`);
        }
        assert.deepStrictEqual([AZURE_REGIONS.koreasouth.availabilityZones, AZURE_REGIONS.koreasouth.pairedRegion], [false, "koreacentral"]);
        assert.deepStrictEqual([AZURE_REGIONS.koreacentral.availabilityZones, AZURE_REGIONS.koreacentral.pairedRegion], [true, "koreasouth"]);
        // Pairs are symmetric where both ends are in the table, except the one-way pairs the regions list shows.
        const oneWay = ["brazilsouth", "westindia", "westus3"];
        for (const [name, facts] of Object.entries(AZURE_REGIONS)) {
            const pair = facts.pairedRegion ? AZURE_REGIONS[facts.pairedRegion] : undefined;
            if (pair && !oneWay.includes(name)) {
                assert.strictEqual(pair.pairedRegion, name, `${name} <-> ${facts.pairedRegion}`);
            }
        }
    });

    it("tells MySQL flexible server tiers by SKU series", () => {
        assert.deepStrictEqual(["Standard_B1ms", "Standard_D2ds_v4", "Standard_E4ds_v5", "Standard_A1", "B1ms"].map(mysqlSkuTier),
            ["Burstable", "GeneralPurpose", "MemoryOptimized", undefined, undefined]);
    });
});

describe("config: Azure location against storage redundancy and services", () => {
    it("refuses koreasouth with the default Standard_ZRS, naming both keys and the GRS fallback into koreacentral", () => {
        const problems = problemsOf({ azureLocation: "koreasouth", azureStorageSku: undefined });
        assert.deepStrictEqual(Object.keys(problems), ["azureStorageSku"]);
        const [message] = problems.azureStorageSku;
        assert.match(message, /^Standard_ZRS \(the program's default; set azureStorageSku\) needs availability zones, and azureLocation koreasouth \(Korea South\) has none/);
        assert.match(message, /Use Standard_GRS \(three copies in koreasouth and three in its pair koreacentral: the backups outlive the loss of koreasouth\), or Standard_LRS/);
        assert.doesNotMatch(message, /Standard_ZRS \(copies in three zones/, "no zone-redundant option where there are no zones");
        // As the stack file ships (Standard_ZRS set explicitly), the same problem without the default note.
        assert.match(problemsOf({ azureLocation: "koreasouth" }).azureStorageSku[0], /^Standard_ZRS needs availability zones, and azureLocation koreasouth/);
    });

    it("accepts koreasouth with Standard_GRS or Standard_LRS", () => {
        assert.deepStrictEqual([parsePilot({ azureLocation: "koreasouth", azureStorageSku: "Standard_GRS" }).azure?.storageSku,
            parsePilot({ azureLocation: "koreasouth", azureStorageSku: "Standard_LRS" }).azure?.location], ["Standard_GRS", "koreasouth"]);
    });

    it("refuses geo-redundancy in a region without a pair and offers zone redundancy instead", () => {
        const [message] = problemsOf({ azureLocation: "italynorth", azureStorageSku: "Standard_GZRS" }).azureStorageSku;
        assert.match(message, /^Standard_GZRS keeps its second copy in the paired region, and azureLocation italynorth \(Italy North\) has no pair/);
        assert.match(message, /Use Standard_ZRS \(copies in three zones of italynorth\), or Standard_LRS/);
    });

    it("refuses a misspelled location with the region it probably meant and the known ones", () => {
        const [message] = problemsOf({ azureLocation: "koreasouht" }).azureLocation;
        assert.match(message, /^"koreasouht" is not an Azure region this program knows; did you mean koreasouth\? Known regions: australiacentral, /);
        assert.match(message, /koreacentral, koreasouth, /);
        assert.match(problemsOf({ azureLocation: "Korea Central" }).azureLocation[0], /is not an Azure region name like koreacentral/);
    });

    it("refuses a region without MySQL flexible server, where the emergency site could not restore", () => {
        const [message] = problemsOf({ azureLocation: "westindia", azureStorageSku: "Standard_GRS" }).azureLocation;
        assert.match(message, /^westindia \(West India\) has no Azure Database for MySQL flexible server/);
    });

    it("refuses premium and unknown storage SKUs, saying why premium cannot hold the backups", () => {
        assert.match(problemsOf({ azureStorageSku: "Premium_LRS" }).azureStorageSku[0],
            /^"Premium_LRS" is a premium SKU: a premium StorageV2 account holds page blobs only.*append blobs nor the lifecycle rules/);
        assert.match(problemsOf({ azureStorageSku: "Standard_XRS" }).azureStorageSku[0],
            /^"Standard_XRS" is not a standard StorageV2 redundancy; use one of Standard_LRS, Standard_ZRS, Standard_GRS, Standard_RAGRS, Standard_GZRS, Standard_RAGZRS$/);
        assert.strictEqual(parsePilot({ azureStorageSku: "Standard_RAGZRS" }).azure?.storageSku, "Standard_RAGZRS");
    });
});

describe("config: emergency MySQL version and admin login", () => {
    it("defaults the emergency server to 8.4, the RDS source's release series", () => {
        const config = parsePilot();
        assert.deepStrictEqual([config.azure?.mysqlVersion, config.database.engineVersion], ["8.4", "8.4"]);
    });

    it("refuses an emergency server older than the RDS source, naming both keys", () => {
        const [message] = problemsOf({ azureMysqlVersion: "8.0.21" }).azureMysqlVersion;
        assert.match(message, /^8\.0\.21 \(MySQL 8\.0\) is older than dbEngineVersion 8\.4, the RDS source of the backups/);
        assert.match(message, /Set azureMysqlVersion to 8\.4/);
        assert.match(problemsOf({ dbEngineVersion: "8.4.3", azureMysqlVersion: "8.0.21" }).azureMysqlVersion[0], /older than dbEngineVersion 8\.4\.3/);
    });

    it("accepts 8.0 on Azure for an 8.0 source, and 8.4 for an 8.0 source (an upgrade)", () => {
        assert.strictEqual(parsePilot({ dbEngineVersion: "8.0.40", azureMysqlVersion: "8.0.21" }).azure?.mysqlVersion, "8.0.21");
        assert.strictEqual(parsePilot({ dbEngineVersion: "8.0.40" }).azure?.mysqlVersion, "8.4");
    });

    it("refuses versions the flexible server cannot keep: innovation releases, full versions, 5.7", () => {
        assert.match(problemsOf({ azureMysqlVersion: "9.3" }).azureMysqlVersion[0], /^"9\.3" is an innovation release: Azure deletes such servers after 30 days/);
        assert.match(problemsOf({ azureMysqlVersion: "8.4.5" }).azureMysqlVersion[0], /^"8\.4\.5" is a full version; the server takes its major version, 8\.4/);
        assert.match(problemsOf({ azureMysqlVersion: "5.7" }).azureMysqlVersion[0], /^"5\.7" is not one of 8\.0\.21, 8\.4/);
    });

    it("refuses a MySQL SKU outside the flexible server series and accepts a General Purpose one", () => {
        assert.match(problemsOf({ azureMysqlSku: "Standard_A2" }).azureMysqlSku[0], /^"Standard_A2" is not an Azure MySQL flexible server SKU/);
        assert.strictEqual(parsePilot({ azureMysqlSku: "Standard_D2ds_v4" }).azure?.mysqlSkuName, "Standard_D2ds_v4");
    });

    it("refuses a reserved admin login for the pilot light, in any case, and allows it where no Azure server is made", () => {
        for (const login of ["admin", "Root", "azure_superuser"]) {
            const [message] = problemsOf({ dbUsername: login }).dbUsername;
            assert.match(message, new RegExp(`^"${login}" is reserved by Azure Database for MySQL flexible server`));
            assert.match(message, /reserved: azure_superuser, admin, administrator, root, guest, public/);
        }
        const warm = stackFileConfig("warm-standby");
        assert.strictEqual(parseConfig(projectValues(warm, { dbUsername: "admin" }), DECEMBER_2_2026).database.username, "admin");
    });

    it("reports every Azure problem at once, each under its own key", () => {
        const problems = problemsOf({ azureLocation: "koreasouth", azureMysqlVersion: "8.0.21", dbUsername: "admin", azureMysqlSku: "B1ms" });
        assert.deepStrictEqual(Object.keys(problems).sort(), ["azureMysqlSku", "azureMysqlVersion", "azureStorageSku", "dbUsername"]);
    });
});

describe("config: the pilot light's DNS (issue 10, item 3)", () => {
    it("refuses a pilot light without an existing hosted zone: the maintenance front's certificate is validated in it, and no zone is created", () => {
        const problems = problemsOf({ hostedZoneId: undefined });
        assert.deepStrictEqual(Object.keys(problems), ["hostedZoneId"]);
        assert.match(problems.hostedZoneId[0], /^is required: .*Azure Front Door the maintenance page's/);
    });

    it("takes the backup lock only as asked, and unlocked by default", () => {
        assert.strictEqual(parsePilot().backup?.immutabilityLocked, false);
        assert.strictEqual(parsePilot({ backupImmutabilityLocked: true }).backup?.immutabilityLocked, true);
        assert.deepStrictEqual(Object.keys(problemsOf({ backupImmutabilityLocked: "yes please" })), ["backupImmutabilityLocked"]);
    });
});
