import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AZURE_MYSQL_VERSIONS, mysqlSkuTier } from "../../config/azureRules";
import { childTags } from "../tags";

/** Days of automated backups the emergency server keeps. */
export const AZURE_MYSQL_BACKUP_DAYS = 7;

/**
 * The flexible server is declared at this stable API version through the generic resource:
 * `dbformysql.Server` in azure-native 3.28 is pinned to 2024-02-01-preview, whose version enum
 * lists only 5.7 and 8.0.21. No published spec lists 8.4 (it is an extensible string in all of
 * them: https://github.com/Azure/azure-rest-api-specs/issues/38382); terraform-provider-azurerm
 * creates 8.4 servers at 2023-12-30 (https://github.com/hashicorp/terraform-provider-azurerm/pull/31099).
 */
export const MYSQL_SERVER_API_VERSION = "2023-12-30";
/** Provider namespace and type of the server in the generic resource. */
export const MYSQL_SERVER_TYPE = { resourceProviderNamespace: "Microsoft.DBforMySQL", resourceType: "flexibleServers" } as const;

/**
 * Azure's admin password rules: 8-128 characters from three of upper case, lower case, digits and
 * non-alphanumerics (https://learn.microsoft.com/en-us/azure/mysql/flexible-server/how-to-deploy-on-azure-free-account).
 * All four are required here, and the specials avoid quotes, `$`, `\` and `&`, which shell and
 * env-file consumers of the vault secret would have to escape.
 */
export const AZURE_MYSQL_PASSWORD_RULES = {
    length: 32,
    special: true,
    overrideSpecial: "!#%^*()-_=+[]{}:?",
    minLower: 2,
    minUpper: 2,
    minNumeric: 2,
    minSpecial: 1,
} as const;

/**
 * The emergency server's admin password, for the stack to declare in normal times and keep in the
 * vault: it then survives `emergency` off, and the next emergency reuses it instead of writing a
 * vault secret whose name is still held by a soft-deleted one. Named `<server>-password`, aliased
 * from where earlier versions declared it (inside the server component), so an existing password
 * is kept.
 */
export function azureMysqlAdminPassword(serverName: string, opts: pulumi.CustomResourceOptions = {}): random.RandomPassword {
    return new random.RandomPassword(`${serverName}-password`, { ...AZURE_MYSQL_PASSWORD_RULES }, {
        ...opts,
        aliases: [...(opts.aliases ?? []), { parent: pulumi.createUrn(serverName, "dr:azure:MysqlServer") }],
    });
}

/**
 * Server parameters the emergency server is given: `require_secure_transport` (TLS only),
 * `log_bin_trust_function_creators` (a non-SUPER admin restores functions and triggers with binary
 * logging on) and `sql_generate_invisible_primary_key` off (the restored schema stays the source's).
 * https://learn.microsoft.com/azure/mysql/flexible-server/concepts-server-parameters ;
 * https://learn.microsoft.com/azure/mysql/flexible-server/concepts-limitations
 */
export const RESTORE_SERVER_PARAMETERS: Readonly<Record<string, string>> = {
    require_secure_transport: "ON",
    log_bin_trust_function_creators: "ON",
    sql_generate_invisible_primary_key: "OFF",
};

/** Pulumi names of parameters declared before this list existed, kept so their URNs do not change. */
const CONFIGURATION_NAMES: Readonly<Record<string, string>> = { require_secure_transport: "require-tls" };

export interface AzureMysqlServerArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly vnetId: pulumi.Input<string>;
    /** Subnet delegated to Microsoft.DBforMySQL/flexibleServers. */
    readonly subnetId: pulumi.Input<string>;
    /** A flexible server SKU such as Standard_B1ms; its tier follows from its series (B, D, E). */
    readonly skuName: string;
    /** One of {@link AZURE_MYSQL_VERSIONS}; never older than the source the backups come from. */
    readonly version: string;
    readonly storageGb: number;
    readonly administratorLogin: string;
    /** The admin password, declared by the stack ({@link azureMysqlAdminPassword}). Secret. */
    readonly administratorPassword: pulumi.Input<string>;
    readonly databaseName: string;
    readonly tags?: Record<string, string>;
}

/** Problems with the args, each naming its field; empty when they are fine. */
export function validateAzureMysqlServerArgs(args: AzureMysqlServerArgs): string[] {
    const problems: string[] = [];
    if (!mysqlSkuTier(args.skuName)) {
        problems.push(`skuName: ${args.skuName} is not a flexible server SKU (Standard_B..., Standard_D..., Standard_E...)`);
    }
    if (!(AZURE_MYSQL_VERSIONS as readonly string[]).includes(args.version)) {
        problems.push(`version: ${args.version} is not one of ${AZURE_MYSQL_VERSIONS.join(", ")}`);
    }
    return problems;
}

/**
 * Azure Database for MySQL flexible server with private access only (VNet integration and a
 * private DNS zone; no public endpoint, so no firewall rule can open it), TLS required, backups
 * on, and the application database. Server and database are always `protect`ed: they hold
 * whatever users wrote during the emergency, and only the failback runbook may release them.
 * The server's name gets a random suffix: names are global, and a deleted server's name may
 * still be held when the next emergency comes.
 */
export class AzureMysqlServer extends pulumi.ComponentResource {
    readonly serverName: pulumi.Output<string>;
    readonly fqdn: pulumi.Output<string>;
    readonly administratorLogin: string;
    readonly databaseName: string;

    constructor(name: string, args: AzureMysqlServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:MysqlServer", name, {}, opts);
        const problems = validateAzureMysqlServerArgs(args);
        if (problems.length > 0) {
            throw new Error(`AzureMysqlServer ${name}: ${problems.join("; ")}`);
        }
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

        const suffix = new random.RandomString(`${name}-suffix`, { length: 8, special: false, upper: false }, parent);
        const serverName = suffix.result.apply(s => `${name}-${s}`);
        const server = new resources.Resource(name, {
            ...MYSQL_SERVER_TYPE,
            apiVersion: MYSQL_SERVER_API_VERSION,
            parentResourcePath: "",
            resourceGroupName: rg,
            resourceName: serverName,
            location: args.location,
            sku: { name: args.skuName, tier: mysqlSkuTier(args.skuName) },
            properties: {
                version: args.version,
                administratorLogin: args.administratorLogin,
                administratorLoginPassword: pulumi.secret(args.administratorPassword),
                storage: { storageSizeGB: args.storageGb, autoGrow: "Enabled" },
                backup: { backupRetentionDays: AZURE_MYSQL_BACKUP_DAYS, geoRedundantBackup: "Disabled" },
                highAvailability: { mode: "Disabled" },
                network: { delegatedSubnetResourceId: args.subnetId, privateDnsZoneResourceId: zone.id, publicNetworkAccess: "Disabled" },
            },
            tags: childTags(name, args.tags),
        }, { parent: this, protect: true, dependsOn: [link] });
        // The children name the server once it exists.
        const createdName = pulumi.all([server.id, serverName]).apply(([, n]) => n);
        // Server parameters the restore depends on, one after another (Azure applies one change to a
        // server at a time). TLS stays required; the restore runs as the admin, who is not SUPER, so
        // with binary logging always on it needs log_bin_trust_function_creators to create the dump's
        // functions and triggers; and invisible primary keys, on by default in Azure for 8.0+, would give
        // restored tables without a key a column the source's binlogs do not have.
        let previous: pulumi.Resource | undefined;
        for (const [parameter, value] of Object.entries(RESTORE_SERVER_PARAMETERS)) {
            previous = new dbformysql.Configuration(`${name}-${CONFIGURATION_NAMES[parameter] ?? parameter.replace(/_/g, "-")}`, {
                resourceGroupName: rg,
                serverName: createdName,
                configurationName: parameter,
                value,
                source: "user-override",
            }, { parent: this, dependsOn: previous ? [previous] : [] });
        }
        new dbformysql.Database(`${name}-database`, {
            resourceGroupName: rg,
            serverName: createdName,
            databaseName: args.databaseName,
            charset: "utf8mb4",
            collation: "utf8mb4_0900_ai_ci",
            // Protected too: Pulumi deletes children first, so an unprotected database would be
            // dropped before the protected server stopped the update.
        }, { parent: this, protect: true });

        this.serverName = createdName;
        // A VNet-integrated server keeps its public name; it resolves through the private zone.
        this.fqdn = pulumi.all([server.properties, createdName]).apply(([properties, n]) =>
            (properties as { fullyQualifiedDomainName?: string } | undefined)?.fullyQualifiedDomainName ?? `${n}.mysql.database.azure.com`);
        this.administratorLogin = args.administratorLogin;
        this.databaseName = args.databaseName;
        this.registerOutputs({ serverName: this.serverName, fqdn: this.fqdn });
    }
}
