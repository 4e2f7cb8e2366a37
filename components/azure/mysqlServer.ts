import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childTags } from "../tags";

/** Days of automated backups the emergency server keeps. */
export const AZURE_MYSQL_BACKUP_DAYS = 7;

export interface AzureMysqlServerArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly vnetId: pulumi.Input<string>;
    /** Subnet delegated to Microsoft.DBforMySQL/flexibleServers. */
    readonly subnetId: pulumi.Input<string>;
    readonly skuName: string;
    readonly version: string;
    readonly storageGb: number;
    readonly administratorLogin: string;
    readonly databaseName: string;
    readonly tags?: Record<string, string>;
}

/**
 * Azure Database for MySQL flexible server with private access only (VNet integration and a
 * private DNS zone; no public endpoint, so no firewall rule can open it), TLS required, backups
 * on, and the application database. Server and database are always `protect`ed: they hold
 * whatever users wrote during the emergency, and only the failback runbook may release them.
 */
export class AzureMysqlServer extends pulumi.ComponentResource {
    readonly serverName: pulumi.Output<string>;
    readonly fqdn: pulumi.Output<string>;
    readonly administratorLogin: string;
    /** Generated admin password. Secret. */
    readonly administratorPassword: pulumi.Output<string>;
    readonly databaseName: string;

    constructor(name: string, args: AzureMysqlServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:MysqlServer", name, {}, opts);
        const rg = args.resourceGroupName;
        const parent = { parent: this };

        const zone = new privatedns.PrivateZone(`${name}-dns`, {
            resourceGroupName: rg,
            location: "global",
            privateZoneName: `${name}.private.mysql.database.azure.com`,
            tags: childTags(`${name}-dns`, args.tags),
        }, parent);
        const link = new privatedns.VirtualNetworkLink(`${name}-dns-link`, {
            resourceGroupName: rg,
            location: "global",
            privateZoneName: zone.name,
            virtualNetwork: { id: args.vnetId },
            registrationEnabled: false,
            tags: childTags(`${name}-dns-link`, args.tags),
        }, parent);

        const password = new random.RandomPassword(`${name}-password`, {
            length: 32,
            special: true,
            overrideSpecial: "!#%^*()-_=+[]{}:?",
            minLower: 2,
            minUpper: 2,
            minNumeric: 2,
            minSpecial: 1,
        }, parent);
        const server = new dbformysql.Server(`${name}`, {
            resourceGroupName: rg,
            location: args.location,
            version: args.version,
            sku: { name: args.skuName, tier: "Burstable" },
            administratorLogin: args.administratorLogin,
            administratorLoginPassword: pulumi.secret(password.result),
            storage: { storageSizeGB: args.storageGb, autoGrow: "Enabled" },
            backup: { backupRetentionDays: AZURE_MYSQL_BACKUP_DAYS, geoRedundantBackup: "Disabled" },
            highAvailability: { mode: "Disabled" },
            network: { delegatedSubnetResourceId: args.subnetId, privateDnsZoneResourceId: zone.id, publicNetworkAccess: "Disabled" },
            tags: childTags(name, args.tags),
        }, { parent: this, protect: true, dependsOn: [link] });
        new dbformysql.Configuration(`${name}-require-tls`, {
            resourceGroupName: rg,
            serverName: server.name,
            configurationName: "require_secure_transport",
            value: "ON",
            source: "user-override",
        }, parent);
        new dbformysql.Database(`${name}-database`, {
            resourceGroupName: rg,
            serverName: server.name,
            databaseName: args.databaseName,
            charset: "utf8mb4",
            collation: "utf8mb4_0900_ai_ci",
            // Protected too: Pulumi deletes children first, so an unprotected database would be
            // dropped before the protected server stopped the update.
        }, { parent: this, protect: true });

        this.serverName = server.name;
        this.fqdn = server.fullyQualifiedDomainName.apply(fqdn => fqdn ?? "");
        this.administratorLogin = args.administratorLogin;
        this.administratorPassword = pulumi.secret(password.result);
        this.databaseName = args.databaseName;
        this.registerOutputs({ serverName: this.serverName, fqdn: this.fqdn });
    }
}
