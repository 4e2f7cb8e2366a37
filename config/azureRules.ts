import { editDistance } from "../lib/editDistance";
import { AZURE_REGION_SOURCES, AZURE_REGIONS, AzureRegionFacts, knownAzureRegions } from "./azureRegions";

/**
 * Redundancy SKUs of a standard general-purpose v2 (StorageV2) account: what the backup account
 * needs for append blobs, version-level immutability and cool-tier lifecycle rules. Immutable
 * storage supports every redundancy and access tier
 * (https://learn.microsoft.com/en-us/azure/storage/blobs/immutable-storage-overview#redundancy-configurations)
 * and version-level WORM is offered on general-purpose v2 accounts
 * (https://learn.microsoft.com/en-us/azure/storage/blobs/immutable-version-level-worm-policies).
 */
export const BACKUP_STORAGE_SKUS = [
    "Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS",
] as const;

/** MySQL major versions the emergency server may run (the value the flexible server API takes). */
export const AZURE_MYSQL_VERSIONS = ["8.0.21", "8.4"] as const;

/**
 * Admin logins Azure Database for MySQL flexible server refuses
 * (https://learn.microsoft.com/en-us/azure/mysql/flexible-server/how-to-deploy-on-azure-free-account).
 */
export const AZURE_MYSQL_RESERVED_LOGINS: readonly string[] = ["azure_superuser", "admin", "administrator", "root", "guest", "public"];

/** Compute tiers of MySQL flexible server SKUs, by the SKU's series letter (the API's `sku.tier` values). */
export type AzureMysqlSkuTier = "Burstable" | "GeneralPurpose" | "MemoryOptimized";

const MYSQL_SKU = /^Standard_([BDE])\d+[a-z]*(_v\d+)?$/;
const MYSQL_TIERS: Readonly<Record<string, AzureMysqlSkuTier>> = { B: "Burstable", D: "GeneralPurpose", E: "MemoryOptimized" };

/** The tier a MySQL flexible server SKU belongs to (Standard_B1ms: Burstable); undefined for anything else. */
export function mysqlSkuTier(sku: string): AzureMysqlSkuTier | undefined {
    const match = MYSQL_SKU.exec(sku);
    return match ? MYSQL_TIERS[match[1]] : undefined;
}

/** Why `azureLocation` is not one this program can check, with the nearest known name. */
export function unknownRegionProblem(location: string): string {
    const nearest = knownAzureRegions()
        .map(name => ({ name, distance: editDistance(location.toLowerCase(), name) }))
        .filter(candidate => candidate.distance <= 3)
        .sort((a, b) => a.distance - b.distance)[0];
    return `"${location}" is not an Azure region this program knows${nearest ? `; did you mean ${nearest.name}?` : ""} ` +
        `Known regions: ${knownAzureRegions().join(", ")}. A region missing here can be added to config/azureRegions.ts ` +
        `with its zones, pair and services (${AZURE_REGION_SOURCES.regions})`;
}

/** Why a value is not a redundancy SKU the backup account can use. */
export function backupStorageSkuProblem(sku: string): string | undefined {
    if ((BACKUP_STORAGE_SKUS as readonly string[]).includes(sku)) {
        return undefined;
    }
    if (/^Premium_/.test(sku)) {
        return `"${sku}" is a premium SKU: a premium StorageV2 account holds page blobs only, and premium block blob accounts ` +
            "have no cool tier, so neither the agent's append blobs nor the lifecycle rules would work; " +
            `use one of ${BACKUP_STORAGE_SKUS.join(", ")}`;
    }
    return `"${sku}" is not a standard StorageV2 redundancy; use one of ${BACKUP_STORAGE_SKUS.join(", ")}`;
}

/**
 * Why the region cannot hold a backup account of this SKU: zone-redundant SKUs need availability
 * zones, geo-redundant ones a paired region. The message offers what the region does support,
 * geo-redundant first: a copy in the pair outlives the loss of the pilot light's own region.
 */
export function storageSkuRegionProblem(sku: string, location: string, facts: AzureRegionFacts, skuIsDefault: boolean): string | undefined {
    const needsZones = /ZRS$/.test(sku);
    const needsPair = /GRS$|GZRS$/.test(sku);
    const what = skuIsDefault ? `${sku} (the program's default; set azureStorageSku)` : sku;
    let missing: string | undefined;
    if (needsZones && !facts.availabilityZones) {
        missing = `needs availability zones, and azureLocation ${location} (${facts.displayName}) has none (${AZURE_REGION_SOURCES.regions})`;
    } else if (needsPair && !facts.pairedRegion) {
        missing = `keeps its second copy in the paired region, and azureLocation ${location} (${facts.displayName}) has no pair ` +
            `(${AZURE_REGION_SOURCES.geoRedundantStorage})`;
    }
    if (!missing) {
        return undefined;
    }
    const options: string[] = [];
    if (facts.pairedRegion && facts.availabilityZones) {
        options.push(`Standard_GZRS (zones in ${location} and a copy in its pair ${facts.pairedRegion})`);
    }
    if (facts.pairedRegion) {
        options.push(`Standard_GRS (three copies in ${location} and three in its pair ${facts.pairedRegion}: the backups outlive the loss of ${location})`);
    }
    if (facts.availabilityZones) {
        options.push(`Standard_ZRS (copies in three zones of ${location})`);
    }
    options.push(`Standard_LRS (cheapest: three copies in one datacenter of ${location}, lost with it)`);
    return `${what} ${missing}: Azure would refuse the backup account. Use ${options.join(", or ")}`;
}

/** Why the region cannot host the emergency site's services. */
export function regionServiceProblems(location: string, facts: AzureRegionFacts): string[] {
    const problems: string[] = [];
    if (!facts.mysqlFlexibleServer) {
        problems.push(`${location} (${facts.displayName}) has no Azure Database for MySQL flexible server ` +
            `(${AZURE_REGION_SOURCES.mysqlFlexibleServer}): the emergency site could not restore the database there`);
    }
    if (!facts.applicationGatewayV2) {
        problems.push(`${location} (${facts.displayName}) has no Application Gateway Standard_v2 (${AZURE_REGION_SOURCES.applicationGatewayV2})`);
    }
    return problems;
}

/** Facts of a known region, or undefined. */
export function azureRegion(location: string): AzureRegionFacts | undefined {
    return Object.prototype.hasOwnProperty.call(AZURE_REGIONS, location) ? AZURE_REGIONS[location] : undefined;
}

/** Major and minor of a MySQL version (`8.4.3` and `8.4` give [8, 4]); undefined when it is not one. */
export function mysqlMajorMinor(version: string): [number, number] | undefined {
    const match = /^(\d+)\.(\d+)(\.\d+)?$/.exec(version);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Why a value is not a version the emergency server can be created with. */
export function azureMysqlVersionProblem(version: string): string | undefined {
    if ((AZURE_MYSQL_VERSIONS as readonly string[]).includes(version)) {
        return undefined;
    }
    const parsed = mysqlMajorMinor(version);
    if (parsed?.[0] === 8 && parsed[1] === 4) {
        return `"${version}" is a full version; the server takes its major version, 8.4 (Azure applies minor versions in maintenance)`;
    }
    if (parsed?.[0] === 9) {
        return `"${version}" is an innovation release: Azure deletes such servers after 30 days and gives them no automated backups ` +
            "(https://learn.microsoft.com/en-us/azure/mysql/concepts-version-policy); use 8.4, the LTS release";
    }
    return `"${version}" is not one of ${AZURE_MYSQL_VERSIONS.join(", ")}; use 8.4, the LTS release`;
}

/**
 * Why the emergency server may not take the RDS source's data: MySQL loads a dump or replays
 * binlogs only into the same or a newer release series; 8.4 to 8.0 is a downgrade, supported only
 * to roll back data that never used 8.4
 * (https://dev.mysql.com/doc/refman/8.4/en/downgrading.html,
 * https://dev.mysql.com/doc/refman/8.4/en/replication-compatibility.html).
 */
export function mysqlVersionOrderProblem(emergency: string, source: string, emergencyIsDefault: boolean): string | undefined {
    const target = mysqlMajorMinor(emergency);
    const from = mysqlMajorMinor(source);
    if (!target || !from || target[0] > from[0] || (target[0] === from[0] && target[1] >= from[1])) {
        return undefined;
    }
    const what = emergencyIsDefault ? `${emergency} (the program's default; set azureMysqlVersion)` : emergency;
    return `${what} (MySQL ${target.join(".")}) is older than dbEngineVersion ${source}, the RDS source of the backups: MySQL ` +
        "supports loading a dump or replaying binlogs only into the same or a newer release series (a downgrade only to roll back " +
        "data that never used the newer one), so the restore could fail or change data. Set azureMysqlVersion to 8.4, " +
        "or keep both at the same release series";
}

/** Why a login cannot be the emergency server's admin login. */
export function azureMysqlLoginProblem(login: string): string | undefined {
    return AZURE_MYSQL_RESERVED_LOGINS.includes(login.toLowerCase())
        ? `"${login}" is reserved by Azure Database for MySQL flexible server, which refuses it as an admin login ` +
            `(reserved: ${AZURE_MYSQL_RESERVED_LOGINS.join(", ")}); the pilot light creates the emergency server with dbUsername ` +
            "as its admin, so choose another name"
        : undefined;
}
