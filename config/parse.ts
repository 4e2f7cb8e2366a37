import { cidrsOverlap, mustParseCidr } from "../lib/cidr";
import { MAX_ZONES } from "../lib/subnetLayout";
import {
    azureMysqlLoginProblem, azureMysqlVersionProblem, azureRegion, backupStorageSkuProblem, mysqlSkuTier, mysqlVersionOrderProblem,
    regionServiceProblems, storageSkuRegionProblem, unknownRegionProblem,
} from "./azureRules";
import * as check from "./checks";
import * as d from "./defaults";
import { EKS_VERSION_SUPPORT, eksSupportStatus } from "./eksVersions";
import { ConfigProblem, ConfigReader } from "./reader";
import {
    AlertProtocol, AlertSubscription, AzureConfig, BackupConfig, DatabaseConfig, DnsConfig, DrConfig, KeyType,
    KubernetesConfig, NatMode, SiteConfig, Strategy, STRATEGIES, TableSpec, WorkloadConfig,
} from "./types";

/** Thrown when the stack configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
                "nothing was declared:\n" +
                problems.map(p => `  - ${d.PROJECT}:${p.key} ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Strategies that keep a standby in a second AWS region. */
export function hasAwsStandby(strategy: Strategy): boolean {
    return strategy === "warm-standby";
}

/** Every key this program reads; anything else in the project namespace is reported as a typo. */
export const KNOWN_KEYS: readonly string[] = [
    "strategy", "failover", "emergency", "protectData", "repositoryPrefix",
    "primaryRegion", "standbyRegion", "primaryCidr", "standbyCidr",
    "primaryAvailabilityZones", "standbyAvailabilityZones", "primaryNatGateways", "standbyNatGateways",
    "interfaceEndpoints",
    "kubernetesVersion", "nodeInstanceType", "primaryNodeCount", "standbyNodeCount", "failoverNodeCount",
    "maxNodeCount", "clusterPublicAccessCidrs", "clusterAdminArns", "kubernetesExtendedSupport",
    "dbInstanceClass", "standbyDbInstanceClass", "dbEngineVersion", "dbAllocatedStorageGb",
    "dbMaxAllocatedStorageGb", "dbBackupRetentionDays", "dbName", "dbUsername",
    "tables", "buckets", "bucketReplicationTimeControl", "noncurrentVersionRetentionDays", "accessLogRetentionDays",
    "services", "entryService", "immutableImageTags",
    "domainName", "hostedZoneId", "dnsRecordName",
    "healthCheckPath", "healthCheckPort", "healthCheckProtocol", "healthCheckIntervalSeconds",
    "healthCheckFailureThreshold", "dnsTtlSeconds", "alertSubscriptions", "tags",
    "azureLocation", "azureCidr", "azureStorageSku", "serveApp", "azureVmSize", "azureAdminUsername",
    "azureSshPublicKey", "azureMysqlSku", "azureMysqlVersion", "azureMysqlStorageGb", "appArtifactUrl",
    "backupContainerName", "backupImmutabilityDays", "backupImmutabilityLocked", "backupCoolAfterDays", "backupDeleteAfterDays",
    "backupSasExpiry", "backupInstanceType", "backupInstanceAmi", "binlogRetentionHours", "fullBackupIntervalHours",
    "appNamespace", "enableAutoFailover",
];

const NAT_MODES: readonly NatMode[] = ["per-az", "single"];
const KEY_TYPES: readonly KeyType[] = ["S", "N", "B"];
const ALERT_PROTOCOLS: readonly AlertProtocol[] = ["email", "https", "sms"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164: a plus sign and up to 15 digits, no leading zero (https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html). */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Longest service name: its target group is named `<site>-tg-<service>` (`standby-tg-`, 11
 * characters) plus Pulumi's 8-character suffix, and AWS allows target group names of 32.
 */
export const MAX_SERVICE_NAME_LENGTH = 32 - "standby-tg-".length - 8;

/**
 * Turns raw stack config (keys without the `multicloud-dr:` namespace, values as strings) into
 * a typed {@link DrConfig}. Pure: declares nothing. Throws {@link ConfigError} naming every bad
 * key when anything is wrong. `now` decides which Kubernetes versions are still in standard support.
 */
export function parseConfig(values: Readonly<Record<string, string>>, now: Date = new Date()): DrConfig {
    const r = new ConfigReader(values);
    for (const [key, instead] of Object.entries(d.MOVED_KEYS)) {
        if (r.has(key)) {
            r.report(key, instead);
        }
    }

    const strategyRaw = r.optionalString("strategy");
    let strategy: Strategy | undefined;
    if (strategyRaw === undefined) {
        // An empty value was already reported by optionalString; one message per cause.
        if (!r.has("strategy")) r.report("strategy", `is required: choose a strategy, one of ${STRATEGIES.join(", ")}`);
    } else if (!(STRATEGIES as readonly string[]).includes(strategyRaw)) {
        r.report("strategy", `"${strategyRaw}" is not a known strategy; choose one of ${STRATEGIES.join(", ")}`);
    } else {
        strategy = strategyRaw as Strategy;
    }
    const withStandby = strategy === undefined || hasAwsStandby(strategy);

    const failover = r.boolean("failover", false);
    const emergency = r.boolean("emergency", false);
    if (failover && strategy !== undefined && !hasAwsStandby(strategy)) {
        r.report("failover", `is true, but strategy ${strategy} has no AWS standby to fail over to` +
            (strategy === "pilot-light" ? "; use emergency instead" : ""));
    }
    if (emergency && strategy !== undefined && strategy !== "pilot-light") {
        r.report("emergency", `is true, but only the pilot-light strategy has an emergency site; use failover on ${strategy}`);
    }

    const primary = readSite(r, "primary", d.DEFAULT_PRIMARY_REGION, d.DEFAULT_PRIMARY_CIDR, "per-az");
    const standby = readSite(r, "standby", d.DEFAULT_STANDBY_REGION, d.DEFAULT_STANDBY_CIDR, "single");
    if (withStandby) {
        checkSitesApart(r, primary, standby);
    }

    const services = r.stringList("services", d.DEFAULT_SERVICES, value => check.dnsLabel(value) ?? (value.length > MAX_SERVICE_NAME_LENGTH
        ? `"${value}" is longer than ${MAX_SERVICE_NAME_LENGTH} characters: its load balancer target group name would pass AWS's 32`
        : undefined));
    if (services.length === 0) {
        r.report("services", "lists no service: the load balancers need at least one to send traffic to");
    }
    const kubernetes = readKubernetes(r, now);
    const database = readDatabase(r);
    const config: DrConfig = {
        strategy: strategy ?? "warm-standby",
        failover,
        emergency,
        protectData: r.boolean("protectData", true),
        repositoryPrefix: r.string("repositoryPrefix", d.DEFAULT_REPOSITORY_PREFIX, value =>
            /^[a-z][a-z0-9-]{1,19}$/.test(value) ? undefined : `"${value}" must be 2-20 lower-case letters, digits or hyphens, starting with a letter`),
        primary,
        standby: withStandby ? standby : undefined,
        interfaceEndpoints: r.stringList("interfaceEndpoints", [], value =>
            /^[a-z0-9.-]+$/.test(value) ? undefined : `"${value}" is not a VPC endpoint service short name such as ecr.api`),
        kubernetes,
        database,
        tables: readTables(r),
        buckets: r.stringList("buckets", d.DEFAULT_BUCKETS, check.bucketPrefix),
        bucketReplicationTimeControl: r.boolean("bucketReplicationTimeControl", true),
        noncurrentVersionRetentionDays: r.integer("noncurrentVersionRetentionDays", d.DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, 1, 3650),
        accessLogRetentionDays: r.integer("accessLogRetentionDays", d.DEFAULT_ACCESS_LOG_RETENTION_DAYS, 1, 3650),
        services,
        entryService: readEntryService(r, services),
        immutableImageTags: r.boolean("immutableImageTags", false),
        dns: readDns(r, strategy),
        azure: strategy === "pilot-light" ? readAzure(r, primary, emergency, database) : undefined,
        backup: strategy === "pilot-light" ? readBackup(r) : undefined,
        alertSubscriptions: readAlertSubscriptions(r),
        workloads: readWorkloads(r),
        enableAutoFailover: readAutoFailover(r, strategy),
        tags: readTags(r),
    };

    r.reportUnreadKeys(KNOWN_KEYS);
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return config;
}

function readSite(r: ConfigReader, role: "primary" | "standby", region: string, cidr: string, natMode: NatMode): SiteConfig {
    const regionKey = `${role}Region`;
    const zonesKey = `${role}AvailabilityZones`;
    const siteRegion = r.string(regionKey, region, check.awsRegion);
    const defaultZones = d.DEFAULT_AVAILABILITY_ZONES[siteRegion];
    if (!defaultZones && !r.has(zonesKey)) {
        r.report(zonesKey, `is required: no default zones are known for ${siteRegion}; list 2-${MAX_ZONES} of them`);
    }
    const zones = r.stringList(zonesKey, defaultZones ?? [], zone =>
        zone.startsWith(siteRegion) && /^[a-z]$/.test(zone.slice(siteRegion.length))
            ? undefined
            : `"${zone}" is not a zone of ${regionKey} ${siteRegion}`);
    if (r.has(zonesKey) && (zones.length < 2 || zones.length > MAX_ZONES)) {
        r.report(zonesKey, `lists ${zones.length} zones; the network spans 2-${MAX_ZONES}`);
    }
    return {
        region: siteRegion,
        cidr: r.string(`${role}Cidr`, cidr, check.vpcCidrBlock),
        availabilityZones: zones,
        natMode: r.oneOf(`${role}NatGateways`, NAT_MODES, natMode),
    };
}

function checkSitesApart(r: ConfigReader, primary: SiteConfig, standby: SiteConfig): void {
    if (primary.region === standby.region) {
        r.report("standbyRegion", `is ${standby.region}, the same region as primaryRegion; a standby must survive the primary region's loss`);
    }
    const bothValid = check.vpcCidrBlock(primary.cidr) === undefined && check.vpcCidrBlock(standby.cidr) === undefined;
    if (bothValid && cidrsOverlap(mustParseCidr(primary.cidr), mustParseCidr(standby.cidr))) {
        r.report("standbyCidr", `${standby.cidr} overlaps primaryCidr ${primary.cidr}; the networks must not overlap so they can be peered and routed`);
    }
}

function readKubernetes(r: ConfigReader, now: Date): KubernetesConfig {
    const limit = d.MAX_NODE_COUNT_LIMIT;
    const primaryNodeCount = r.integer("primaryNodeCount", d.DEFAULT_PRIMARY_NODE_COUNT, 1, limit);
    const standbyNodeCount = r.integer("standbyNodeCount", d.DEFAULT_STANDBY_NODE_COUNT, 1, limit);
    const failoverNodeCount = r.integer("failoverNodeCount", d.DEFAULT_FAILOVER_NODE_COUNT, 1, limit);
    const maxNodeCount = r.integer("maxNodeCount", d.DEFAULT_MAX_NODE_COUNT, 1, limit);
    if (failoverNodeCount < standbyNodeCount) {
        r.report("failoverNodeCount", `${failoverNodeCount} is below standbyNodeCount ${standbyNodeCount}; failover would shrink the standby`);
    }
    const largest = Math.max(primaryNodeCount, standbyNodeCount, failoverNodeCount);
    if (maxNodeCount < largest) {
        r.report("maxNodeCount", `${maxNodeCount} is below the largest node count in use (${largest})`);
    }
    const extendedSupport = r.boolean("kubernetesExtendedSupport", false);
    const version = r.string("kubernetesVersion", d.DEFAULT_KUBERNETES_VERSION, value =>
        /^1\.\d{2}$/.test(value) ? undefined : `"${value}" is not a Kubernetes minor version like 1.35`);
    checkKubernetesSupport(r, version, extendedSupport, now);
    return {
        version,
        extendedSupport,
        instanceType: r.string("nodeInstanceType", d.DEFAULT_NODE_INSTANCE_TYPE, value =>
            /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) ? undefined : `"${value}" is not an EC2 instance type like t3.large`),
        primaryNodeCount,
        standbyNodeCount,
        failoverNodeCount,
        maxNodeCount,
        publicAccessCidrs: r.stringList("clusterPublicAccessCidrs", [], check.nonWorldCidr),
        adminPrincipalArns: readAdminArns(r),
    };
}

/** Refuses a version EKS bills extended support for, unless accepted, and one EKS no longer offers. */
function checkKubernetesSupport(r: ConfigReader, version: string, extendedSupport: boolean, now: Date): void {
    const status = eksSupportStatus(version, now);
    const row = EKS_VERSION_SUPPORT[version];
    const key = "kubernetesVersion";
    const what = r.has(key) ? version : `${version} (the program's default; set kubernetesVersion)`;
    if (status === "ended") {
        r.report(key, row
            ? `${what} left EKS extended support on ${row.extendedSupportEnds}: EKS no longer runs it; choose a version in standard support`
            : `${what} is not offered by EKS; choose ${d.DEFAULT_KUBERNETES_VERSION} or newer`);
    } else if (status === "extended" && !extendedSupport) {
        r.report(key, `${what} left EKS standard support on ${row?.standardSupportEnds}: its clusters are billed extended support ` +
            "($0.60 instead of $0.10 per cluster-hour). Upgrade to a version in standard support, or set kubernetesExtendedSupport: true to accept the cost");
    }
}

/**
 * IAM role or user ARNs: what EKS access entries take. An assumed-role session is refused with
 * the role ARN to use instead, and a principal listed twice (IAM names ignore case) is refused.
 */
function readAdminArns(r: ConfigReader): string[] {
    const before = r.problems.length;
    const arns = r.stringList("clusterAdminArns", [], value => {
        const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(value);
        if (session) {
            return `"${value}" is an assumed-role session, which changes with every sign-in; list the role itself: ` +
                `arn:${session[1]}:iam::${session[2]}:role/${session[3]} (with its path, if it has one)`;
        }
        return check.iamRoleOrUserArn(value);
    });
    if (!r.has("clusterAdminArns") || (arns.length === 0 && r.problems.length === before)) {
        r.report("clusterAdminArns", "is required: list at least one IAM role or user ARN. Clusters give nobody implicit access, " +
            "so without an access entry no one could deploy the workloads or reach Tokyo's cluster during a failover");
        return [];
    }
    const lower = arns.map(arn => arn.toLowerCase());
    const twice = arns.filter((arn, i) => lower.indexOf(arn.toLowerCase()) !== i);
    if (twice.length > 0) {
        r.report("clusterAdminArns", `lists ${twice.join(", ")} twice (IAM names ignore case): EKS refuses a second access entry for the same principal`);
        return [];
    }
    return arns;
}

function readEntryService(r: ConfigReader, services: string[]): string {
    const entry = r.optionalString("entryService", check.dnsLabel);
    if (entry !== undefined && !services.includes(entry)) {
        r.report("entryService", `"${entry}" is not one of services (${services.join(", ")})`);
    }
    return entry !== undefined && services.includes(entry) ? entry : services[0] ?? "";
}

function readDatabase(r: ConfigReader): DatabaseConfig {
    const instanceClass = r.string("dbInstanceClass", d.DEFAULT_DB_INSTANCE_CLASS, dbClass);
    const allocatedStorageGb = r.integer("dbAllocatedStorageGb", d.DEFAULT_DB_STORAGE_GB, 20, 65536);
    const maxAllocatedStorageGb = r.integer("dbMaxAllocatedStorageGb", d.DEFAULT_DB_MAX_STORAGE_GB, 20, 65536);
    if (maxAllocatedStorageGb < allocatedStorageGb) {
        r.report("dbMaxAllocatedStorageGb", `${maxAllocatedStorageGb} is below dbAllocatedStorageGb ${allocatedStorageGb}`);
    }
    return {
        instanceClass,
        standbyInstanceClass: r.string("standbyDbInstanceClass", instanceClass, dbClass),
        engineVersion: r.string("dbEngineVersion", d.DEFAULT_DB_ENGINE_VERSION, value =>
            /^8\.\d+(\.\d+)?$/.test(value) ? undefined : `"${value}" is not a MySQL 8 engine version like 8.0 or 8.0.40`),
        allocatedStorageGb,
        maxAllocatedStorageGb,
        // Below 7 days the seed's recovery story (and a cross-region replica's source) breaks.
        backupRetentionDays: r.integer("dbBackupRetentionDays", d.DEFAULT_DB_BACKUP_RETENTION_DAYS, 7, d.MAX_DB_BACKUP_RETENTION_DAYS),
        databaseName: r.string("dbName", d.DEFAULT_DB_NAME, check.mysqlIdentifier),
        username: r.string("dbUsername", d.DEFAULT_DB_USERNAME, check.mysqlIdentifier),
    };
}

function dbClass(value: string): string | undefined {
    return /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(value) ? undefined : `"${value}" is not an RDS instance class like db.t3.micro`;
}

function readTables(r: ConfigReader): TableSpec[] {
    const parsed = r.structured("tables");
    if (parsed === undefined) {
        return [...d.DEFAULT_TABLES];
    }
    if (!Array.isArray(parsed)) {
        r.report("tables", "must be a list of {name, hashKey, hashKeyType, rangeKey?, rangeKeyType?} (an empty list for none)");
        return [...d.DEFAULT_TABLES];
    }
    const problems: string[] = [];
    const tables = parsed.map((item: unknown, index): TableSpec | undefined => {
        const entry = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
        const at = `item ${index}`;
        const name = stringField(entry, "name", at, problems, check.dynamoName);
        const hashKey = stringField(entry, "hashKey", at, problems, check.dynamoKeyName);
        const hashKeyType = keyType(entry.hashKeyType ?? "S", `${at}.hashKeyType`, problems);
        const rangeKey = entry.rangeKey === undefined ? undefined : stringField(entry, "rangeKey", at, problems, check.dynamoKeyName);
        const rangeKeyType = rangeKey === undefined ? undefined : keyType(entry.rangeKeyType ?? "S", `${at}.rangeKeyType`, problems);
        return name && hashKey && hashKeyType ? { name, hashKey, hashKeyType, rangeKey, rangeKeyType } : undefined;
    });
    const names = tables.map(t => t?.name).filter((n): n is string => n !== undefined);
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
    if (duplicates.length > 0) {
        problems.push(`names ${[...new Set(duplicates)].join(", ")} more than once`);
    }
    if (problems.length > 0) {
        problems.forEach(p => r.report("tables", p));
        return [...d.DEFAULT_TABLES];
    }
    return tables as TableSpec[];
}

function stringField(entry: Record<string, unknown>, field: string, at: string, problems: string[], valueCheck: (v: string) => string | undefined): string | undefined {
    const value = entry[field];
    if (typeof value !== "string") {
        problems.push(`${at}.${field} is required and must be a string`);
        return undefined;
    }
    const problem = valueCheck(value);
    if (problem) {
        problems.push(`${at}.${field}: ${problem}`);
        return undefined;
    }
    return value;
}

function keyType(value: unknown, at: string, problems: string[]): KeyType | undefined {
    if (typeof value === "string" && (KEY_TYPES as readonly string[]).includes(value)) {
        return value as KeyType;
    }
    problems.push(`${at} ${JSON.stringify(value)} is not one of ${KEY_TYPES.join(", ")}`);
    return undefined;
}

function readDns(r: ConfigReader, strategy: Strategy | undefined): DnsConfig | undefined {
    const domainName = r.optionalString("domainName", check.hostname);
    const hostedZoneId = r.optionalString("hostedZoneId", value =>
        /^Z[A-Z0-9]{4,31}$/.test(value) ? undefined : `"${value}" is not a Route 53 hosted zone id like Z0123456789ABC`);
    const recordName = r.string("dnsRecordName", d.DEFAULT_DNS_RECORD_NAME, check.dnsLabel);
    const settings = {
        healthCheckPath: r.string("healthCheckPath", d.DEFAULT_HEALTH_CHECK_PATH, value =>
            /^\/[\w\-./?=&%]*$/.test(value) ? undefined : `"${value}" is not a URL path starting with /`),
        healthCheckPort: r.integer("healthCheckPort", 443, 1, 65535),
        healthCheckProtocol: r.oneOf("healthCheckProtocol", ["HTTP", "HTTPS"] as const, "HTTPS"),
        healthCheckIntervalSeconds: Number(r.oneOf("healthCheckIntervalSeconds", ["10", "30"] as const, "30")) as 10 | 30,
        healthCheckFailureThreshold: r.integer("healthCheckFailureThreshold", d.DEFAULT_HEALTH_CHECK_FAILURE_THRESHOLD, 1, 10),
        ttlSeconds: r.integer("dnsTtlSeconds", d.DEFAULT_DNS_TTL_SECONDS, 1, d.MAX_DNS_TTL_SECONDS),
    };
    const listens = settings.healthCheckProtocol === "HTTPS" ? 443 : 80;
    if (settings.healthCheckPort !== listens) {
        r.report("healthCheckPort", `${settings.healthCheckPort} is not where the entry point answers ${settings.healthCheckProtocol}: ` +
            `its load balancer listens on 443 (HTTPS) and 80 (redirect to HTTPS); use ${listens}`);
    }
    if (domainName === undefined) {
        if (strategy !== undefined && !r.has("domainName")) {
            r.report("domainName", `is required for ${strategy}: Route 53 failover needs the public name users reach`);
        }
        return undefined;
    }
    if (hostedZoneId === undefined) {
        if (!r.has("hostedZoneId")) {
            r.report("hostedZoneId", `is required: the public hosted zone ${domainName} is delegated to. ACM validates each site's load balancer ` +
                "certificate (and, in the pilot light, Azure Front Door the maintenance page's) through DNS records in that zone, and they " +
                "resolve only once the domain is delegated to it; create the zone " +
                "(`aws route53 create-hosted-zone`), delegate the domain to its name servers, then set its id here");
        }
        return undefined;
    }
    return { domainName, hostedZoneId, recordName, ...settings };
}

function readAlertSubscriptions(r: ConfigReader): AlertSubscription[] {
    const parsed = r.structured("alertSubscriptions");
    if (parsed === undefined) {
        return [];
    }
    if (!Array.isArray(parsed)) {
        r.report("alertSubscriptions", "must be a list of {protocol, endpoint}");
        return [];
    }
    let ok = true;
    parsed.forEach((item: unknown, index) => {
        const entry = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
        if (!(ALERT_PROTOCOLS as readonly unknown[]).includes(entry.protocol)) {
            r.report("alertSubscriptions", `item ${index}.protocol ${JSON.stringify(entry.protocol)} is not one of ${ALERT_PROTOCOLS.join(", ")}`);
            ok = false;
        }
        if (typeof entry.endpoint !== "string" || entry.endpoint.trim() === "") {
            r.report("alertSubscriptions", `item ${index}.endpoint is required`);
            ok = false;
        } else if (entry.protocol === "https" && !entry.endpoint.startsWith("https://")) {
            r.report("alertSubscriptions", `item ${index}.endpoint must be an https:// URL`);
            ok = false;
        } else if (entry.protocol === "email" && !EMAIL.test(entry.endpoint)) {
            r.report("alertSubscriptions", `item ${index}.endpoint ${JSON.stringify(entry.endpoint)} is not an email address (SNS would refuse the subscription)`);
            ok = false;
        } else if (entry.protocol === "sms" && !E164.test(entry.endpoint)) {
            r.report("alertSubscriptions", `item ${index}.endpoint ${JSON.stringify(entry.endpoint)} is not a phone number in E.164 form like +821012345678 (SNS needs it)`);
            ok = false;
        }
    });
    return ok ? (parsed as AlertSubscription[]) : [];
}

function readTags(r: ConfigReader): Record<string, string> {
    const parsed = r.structured("tags");
    if (parsed === undefined) {
        return {};
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        r.report("tags", "must be a map of tag names to strings");
        return {};
    }
    const entries = Object.entries(parsed as Record<string, unknown>);
    const bad = entries.filter(([k, v]) => typeof v !== "string" || k.length > 128 || (v as string).length > 256 || k.startsWith("aws:"));
    if (bad.length > 0) {
        r.report("tags", `${bad.map(([k]) => k).join(", ")}: tag values must be strings, keys at most 128 characters, values at most 256, and keys may not start with aws:`);
        return {};
    }
    return Object.fromEntries(entries) as Record<string, string>;
}

function readAzure(r: ConfigReader, primary: SiteConfig, emergency: boolean, database: DatabaseConfig): AzureConfig {
    const cidr = r.string("azureCidr", d.DEFAULT_AZURE_CIDR, check.vpcCidrBlock);
    if (check.vpcCidrBlock(cidr) === undefined && check.vpcCidrBlock(primary.cidr) === undefined
        && cidrsOverlap(mustParseCidr(cidr), mustParseCidr(primary.cidr))) {
        r.report("azureCidr", `${cidr} overlaps primaryCidr ${primary.cidr}; restored data must be able to flow back to AWS over a routed link`);
    }
    const serveApp = r.boolean("serveApp", false);
    if (serveApp && !emergency) {
        r.report("serveApp", "is true, but emergency is false: there is no application in Azure to serve");
    }
    const sshPublicKey = r.optionalString("azureSshPublicKey", value =>
        /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/=]{40,}( .*)?$/.test(value)
            ? undefined
            : "is not an OpenSSH public key (ssh-ed25519 AAAA... or ssh-rsa AAAA...)");
    const location = r.string("azureLocation", d.DEFAULT_AZURE_LOCATION, value =>
        /^[a-z]+[a-z0-9]*$/.test(value) ? (azureRegion(value) ? undefined : unknownRegionProblem(value))
            : `"${value}" is not an Azure region name like koreacentral`);
    const storageSku = r.string("azureStorageSku", d.DEFAULT_AZURE_STORAGE_SKU, backupStorageSkuProblem);
    const region = azureRegion(location);
    if (region) {
        const skuProblem = storageSkuRegionProblem(storageSku, location, region, !r.has("azureStorageSku"));
        if (skuProblem) {
            r.report("azureStorageSku", skuProblem);
        }
        regionServiceProblems(location, region).forEach(problem => r.report("azureLocation", problem));
    }
    const mysqlVersion = r.string("azureMysqlVersion", d.DEFAULT_AZURE_MYSQL_VERSION, azureMysqlVersionProblem);
    const versionProblem = mysqlVersionOrderProblem(mysqlVersion, database.engineVersion, !r.has("azureMysqlVersion"));
    if (versionProblem) {
        r.report("azureMysqlVersion", versionProblem);
    }
    const loginProblem = azureMysqlLoginProblem(database.username);
    if (loginProblem) {
        r.report("dbUsername", loginProblem);
    }
    return {
        location,
        cidr,
        storageSku,
        serveApp,
        vmSize: r.string("azureVmSize", d.DEFAULT_AZURE_VM_SIZE, value =>
            /^Standard_[A-Za-z0-9_]+$/.test(value) ? undefined : `"${value}" is not an Azure VM size like Standard_B1s`),
        adminUsername: r.string("azureAdminUsername", d.DEFAULT_AZURE_ADMIN_USERNAME, value =>
            /^[a-z_][a-z0-9_-]{0,31}$/.test(value) && !["root", "admin", "administrator"].includes(value)
                ? undefined
                : `"${value}" is not an allowed Linux admin name (lower case, not root/admin)`),
        sshPublicKey,
        mysqlSkuName: r.string("azureMysqlSku", d.DEFAULT_AZURE_MYSQL_SKU, value =>
            mysqlSkuTier(value) ? undefined : `"${value}" is not an Azure MySQL flexible server SKU: Standard_B... (Burstable, like ` +
                "Standard_B1ms), Standard_D...ds_v4/v5 (General Purpose) or Standard_E...ds_v4/v5 (Memory Optimized)"),
        mysqlVersion,
        mysqlStorageGb: r.integer("azureMysqlStorageGb", d.DEFAULT_AZURE_MYSQL_STORAGE_GB, 20, 16384),
        appArtifactUrl: r.optionalString("appArtifactUrl", value =>
            /^https:\/\/\S+$/.test(value) ? undefined : `"${value}" is not an https:// URL`),
    };
}

function readBackup(r: ConfigReader): BackupConfig {
    const immutabilityDays = r.integer("backupImmutabilityDays", d.DEFAULT_BACKUP_IMMUTABILITY_DAYS, 1, 3650);
    const coolAfterDays = r.integer("backupCoolAfterDays", d.DEFAULT_BACKUP_COOL_AFTER_DAYS, 1, 3650);
    const deleteAfterDays = r.integer("backupDeleteAfterDays", d.DEFAULT_BACKUP_DELETE_AFTER_DAYS, 2, 3650);
    if (deleteAfterDays < immutabilityDays) {
        r.report("backupDeleteAfterDays", `${deleteAfterDays} is shorter than backupImmutabilityDays ${immutabilityDays}; immutable blobs cannot be deleted`);
    }
    if (deleteAfterDays <= coolAfterDays) {
        r.report("backupDeleteAfterDays", `${deleteAfterDays} is not after backupCoolAfterDays ${coolAfterDays}`);
    }
    const sasExpiry = r.string("backupSasExpiry", d.defaultSasExpiry(), value => {
        const time = Date.parse(value);
        if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/.test(value) || Number.isNaN(time)) {
            return `"${value}" is not an ISO 8601 UTC date like 2028-01-01T00:00:00Z`;
        }
        return time <= Date.now() ? `${value} is in the past: the agent could not upload` : undefined;
    });
    return {
        containerName: r.string("backupContainerName", d.DEFAULT_BACKUP_CONTAINER, value =>
            /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(value) ? undefined : `"${value}" is not a blob container name (3-63 lower-case letters, digits, single hyphens)`),
        immutabilityDays,
        immutabilityLocked: r.boolean("backupImmutabilityLocked", false),
        coolAfterDays,
        deleteAfterDays,
        sasExpiry,
        instanceType: r.string("backupInstanceType", d.DEFAULT_BACKUP_INSTANCE_TYPE, value =>
            /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) ? undefined : `"${value}" is not an EC2 instance type like t3.small`),
        // The same pattern as components/aws/backupInstance.ts AMI_ID_PATTERN (config stays free of provider imports).
        instanceAmi: r.optionalString("backupInstanceAmi", value =>
            /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value) ? undefined : `"${value}" is not an EC2 image id like ami-0123456789abcdef0`),
        binlogRetentionHours: r.integer("binlogRetentionHours", d.DEFAULT_BINLOG_RETENTION_HOURS, 1, d.MAX_BINLOG_RETENTION_HOURS),
        fullBackupIntervalHours: r.integer("fullBackupIntervalHours", d.DEFAULT_FULL_BACKUP_INTERVAL_HOURS, 1, 168),
    };
}

function readWorkloads(r: ConfigReader): WorkloadConfig {
    const namespace = r.string("appNamespace", d.DEFAULT_APP_NAMESPACE, check.dnsLabel);
    return { namespace, serviceAccountName: d.appServiceAccountName(namespace) };
}

function readAutoFailover(r: ConfigReader, strategy: Strategy | undefined): boolean {
    const enabled = r.boolean("enableAutoFailover", false);
    if (enabled && strategy !== undefined && !hasAwsStandby(strategy)) {
        r.report("enableAutoFailover", `is true, but strategy ${strategy} has no AWS standby to promote automatically`);
    }
    return enabled;
}
