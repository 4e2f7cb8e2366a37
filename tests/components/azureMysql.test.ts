import * as assert from "assert";
import {
    AZURE_MYSQL_PASSWORD_RULES, azureMysqlAdminPassword, AzureMysqlServer, AzureMysqlServerArgs, MYSQL_SERVER_API_VERSION,
    validateAzureMysqlServerArgs,
} from "../../components/azure/mysqlServer";
import { constructionError, declare } from "../support/components";
import { named, ofType } from "../support/query";

const GIVEN_PASSWORD = "Given-Password-1a!";
const serverArgs: AzureMysqlServerArgs = {
    resourceGroupName: "rg",
    location: "koreacentral",
    vnetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
    subnetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/mysql",
    skuName: "Standard_B1ms",
    version: "8.4",
    storageGb: 20,
    administratorLogin: "petclinic_admin",
    administratorPassword: GIVEN_PASSWORD,
    databaseName: "petclinic",
};

describe("component: AzureMysqlServer", () => {
    it("declares an 8.4 flexible server at an API version that takes 8.4, private, protected, Burstable for B1ms", async () => {
        const { resources } = await declare(() => new AzureMysqlServer("emergency-mysql", serverArgs));
        const [server] = ofType(resources, "azure-native:resources:Resource");
        assert.ok(server, "the server, through the generic resource");
        assert.deepStrictEqual(
            [server.inputs.resourceProviderNamespace, server.inputs.resourceType, server.inputs.apiVersion, server.inputs.parentResourcePath],
            ["Microsoft.DBforMySQL", "flexibleServers", "2023-12-30", ""]);
        assert.strictEqual(MYSQL_SERVER_API_VERSION, "2023-12-30");
        assert.strictEqual(server.inputs.properties.version, "8.4");
        assert.deepStrictEqual(server.inputs.sku, { name: "Standard_B1ms", tier: "Burstable" });
        assert.strictEqual(server.inputs.properties.network.publicNetworkAccess, "Disabled");
        assert.strictEqual(server.inputs.properties.network.delegatedSubnetResourceId, serverArgs.subnetId);
        assert.strictEqual(server.protect, true);
        assert.match(server.inputs.resourceName, /^emergency-mysql-[a-z0-9]{8}$/, "a global name with a random suffix");
        assert.strictEqual(ofType(resources, "azure-native:dbformysql:Server").length, 0, "not the typed server pinned to 2024-02-01-preview");
    });

    it("uses the password it is given, as a secret, and declares no password of its own", async () => {
        const { resources } = await declare(() => new AzureMysqlServer("emergency-mysql", serverArgs));
        const [server] = ofType(resources, "azure-native:resources:Resource");
        assert.strictEqual(server.inputs.properties.administratorLoginPassword, GIVEN_PASSWORD);
        assert.ok(server.secretInputs.includes("properties"), "the properties carrying the password are secret");
        assert.strictEqual(ofType(resources, "random:index/randomPassword:RandomPassword").length, 0);
    });

    it("requires TLS and creates the protected application database on the named server", async () => {
        const { resources, result } = await declare(() => new AzureMysqlServer("emergency-mysql", { ...serverArgs, skuName: "Standard_D2ds_v4" }));
        const [server] = ofType(resources, "azure-native:resources:Resource");
        assert.strictEqual(server.inputs.sku.tier, "GeneralPurpose");
        const tls = named(resources, "azure-native:dbformysql:Configuration", "emergency-mysql-require-tls");
        assert.deepStrictEqual([tls.inputs.configurationName, tls.inputs.value, tls.inputs.serverName],
            ["require_secure_transport", "ON", server.inputs.resourceName]);
        const parameters = ofType(resources, "azure-native:dbformysql:Configuration").map(c => `${c.inputs.configurationName}=${c.inputs.value}`);
        assert.deepStrictEqual(parameters, ["require_secure_transport=ON", "log_bin_trust_function_creators=ON", "sql_generate_invisible_primary_key=OFF"],
            "a non-SUPER admin can restore functions and triggers, and restored tables keep the source's columns");
        const database = named(resources, "azure-native:dbformysql:Database", "emergency-mysql-database");
        assert.deepStrictEqual([database.inputs.serverName, database.protect], [server.inputs.resourceName, true]);
        const fqdn = await new Promise<string>(resolve => result.fqdn.apply(v => { resolve(v); return v; }));
        assert.strictEqual(fqdn, `${server.inputs.resourceName}.mysql.database.azure.com`);
    });

    it("refuses a version the API cannot create and a SKU outside the flexible server series", () => {
        assert.deepStrictEqual(validateAzureMysqlServerArgs({ ...serverArgs, version: "9.3", skuName: "Standard_A1" }), [
            "skuName: Standard_A1 is not a flexible server SKU (Standard_B..., Standard_D..., Standard_E...)",
            "version: 9.3 is not one of 8.0.21, 8.4",
        ]);
        assert.match(constructionError(() => new AzureMysqlServer("x", { ...serverArgs, version: "5.7" })).message,
            /^AzureMysqlServer x: version: 5\.7 is not one of 8\.0\.21, 8\.4$/);
    });
});

describe("component: azureMysqlAdminPassword", () => {
    it("generates a password Azure accepts: 8-128 characters, every category, no shell-hostile specials", async () => {
        const { resources } = await declare(() => azureMysqlAdminPassword("emergency-mysql"));
        const password = named(resources, "random:index/randomPassword:RandomPassword", "emergency-mysql-password");
        assert.deepStrictEqual(password.inputs, { ...AZURE_MYSQL_PASSWORD_RULES });
        assert.ok(password.inputs.length >= 8 && password.inputs.length <= 128);
        assert.ok([password.inputs.minLower, password.inputs.minUpper, password.inputs.minNumeric, password.inputs.minSpecial].every(n => n >= 1));
        assert.doesNotMatch(password.inputs.overrideSpecial, /["'`$\\&;]/);
    });
});
