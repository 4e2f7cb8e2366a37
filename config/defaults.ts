import { TableSpec } from "./types";

/** Config namespace: the project name in Pulumi.yaml. */
export const PROJECT = "multicloud-dr";

/** Seoul, where the service lives (seed 000). */
export const DEFAULT_PRIMARY_REGION = "ap-northeast-2";
/** Tokyo, the warm standby (seed 000). */
export const DEFAULT_STANDBY_REGION = "ap-northeast-1";
export const DEFAULT_PRIMARY_CIDR = "10.10.0.0/16";
export const DEFAULT_STANDBY_CIDR = "10.20.0.0/16";

/**
 * Zones per region, pinned rather than looked up: a lookup's order can change when AWS adds a
 * zone, and a changed zone replaces subnets and everything inside them. Tokyo has no 1b for
 * accounts created after 2012, hence 1a/1c/1d.
 */
export const DEFAULT_AVAILABILITY_ZONES: Readonly<Record<string, string[]>> = {
    "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
    "ap-northeast-2": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
    "ap-northeast-3": ["ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"],
    "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c"],
    "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c"],
};

export const DEFAULT_REPOSITORY_PREFIX = "portforge";
/**
 * In EKS standard support until 2027-03-27 (config/eksVersions.ts); 1.33 left it on 2026-07-29
 * and 1.34 on 2026-12-02. Move it on when the config check says it has left standard support.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.35";
/** Seed 000: 2 x t3.large per cluster, Tokyo scaled to 4 on failover. */
export const DEFAULT_NODE_INSTANCE_TYPE = "t3.large";
export const DEFAULT_PRIMARY_NODE_COUNT = 2;
export const DEFAULT_STANDBY_NODE_COUNT = 2;
export const DEFAULT_FAILOVER_NODE_COUNT = 4;
export const DEFAULT_MAX_NODE_COUNT = 6;
export const MAX_NODE_COUNT_LIMIT = 100;

/** Seed 000: db.t3.micro, Multi-AZ in Seoul, Single-AZ replica in Tokyo, 7 days of backups. */
export const DEFAULT_DB_INSTANCE_CLASS = "db.t3.micro";
/** 8.4 is the MySQL LTS line; 8.0 left RDS standard support in 2026 and would bill Extended Support. */
export const DEFAULT_DB_ENGINE_VERSION = "8.4";
export const DEFAULT_DB_STORAGE_GB = 20;
export const DEFAULT_DB_MAX_STORAGE_GB = 100;
export const DEFAULT_DB_BACKUP_RETENTION_DAYS = 7;
/** RDS allows 35 days of automated backups at most. */
export const MAX_DB_BACKUP_RETENTION_DAYS = 35;
export const DEFAULT_DB_NAME = "portforge";
export const DEFAULT_DB_USERNAME = "portforge_admin";

/** Seed 000's two chat tables; the seed gives team_chats_ddb's key, chat_rooms_ddb's is assumed. */
export const DEFAULT_TABLES: readonly TableSpec[] = [
    { name: "team_chats_ddb", hashKey: "project_id", hashKeyType: "N", rangeKey: "timestamp", rangeKeyType: "S" },
    { name: "chat_rooms_ddb", hashKey: "room_id", hashKeyType: "S" },
];
export const DEFAULT_BUCKETS: readonly string[] = ["portforge-team", "portforge-log", "portforge-front"];
export const DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS = 90;
/** S3 server access logs: long enough to investigate an incident, short enough not to grow without bound. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 90;
/** Seed 000's five PortForge services, one ECR repository each. */
export const DEFAULT_SERVICES: readonly string[] = ["ai", "auth", "project", "support", "team"];

export const DEFAULT_DNS_RECORD_NAME = "app";
export const DEFAULT_HEALTH_CHECK_PATH = "/health";
/** Seed 000: three consecutive failures. */
export const DEFAULT_HEALTH_CHECK_FAILURE_THRESHOLD = 3;
export const DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 30;
/** Route 53 failover records should not be cached longer than a minute. */
export const MAX_DNS_TTL_SECONDS = 60;
export const DEFAULT_DNS_TTL_SECONDS = 60;

/**
 * Korea Central (Seoul): a different provider in the same country keeps customer data in Korea
 * (seed 003's residency rule) and latency close to what users had; the threat it answers is the
 * loss of AWS's region, not of the city. Korea South (Busan) is the choice for geographic distance.
 */
export const DEFAULT_AZURE_LOCATION = "koreacentral";
export const DEFAULT_AZURE_CIDR = "10.30.0.0/16";
/**
 * Zone-redundant storage: survives the loss of one Azure zone, stays in the region. Only regions
 * with availability zones offer it (config/azureRegions.ts); Korea South has none, and config
 * validation says to use Standard_GRS there.
 */
export const DEFAULT_AZURE_STORAGE_SKU = "Standard_ZRS";
/** Seed 001's container name. */
export const DEFAULT_BACKUP_CONTAINER = "mysql-backups";
export const DEFAULT_BACKUP_IMMUTABILITY_DAYS = 7;
export const DEFAULT_BACKUP_COOL_AFTER_DAYS = 7;
/** Cool-tier blobs bill 30 days at least, so deletion comes no earlier than 30 days after the move. */
export const DEFAULT_BACKUP_DELETE_AFTER_DAYS = 37;
export const DEFAULT_BACKUP_INSTANCE_TYPE = "t3.small";
export const DEFAULT_BINLOG_RETENTION_HOURS = 24;
/** RDS keeps binlogs at most a week. */
export const MAX_BINLOG_RETENTION_HOURS = 168;
export const DEFAULT_FULL_BACKUP_INTERVAL_HOURS = 24;
/** BRIEF price list: B1s is the smallest general VM size. */
export const DEFAULT_AZURE_VM_SIZE = "Standard_B1s";
export const DEFAULT_AZURE_ADMIN_USERNAME = "drops";
/** Burstable B1ms (seed 001). */
export const DEFAULT_AZURE_MYSQL_SKU = "Standard_B1ms";
/**
 * MySQL 8.4 LTS, the same release series as the RDS source ({@link DEFAULT_DB_ENGINE_VERSION}):
 * MySQL restores a dump or replays binlogs only into the same or a newer series, and Azure's
 * MySQL 8.0 leaves standard support in 2026 (https://learn.microsoft.com/en-us/azure/mysql/concepts-version-policy).
 */
export const DEFAULT_AZURE_MYSQL_VERSION = "8.4";
export const DEFAULT_AZURE_MYSQL_STORAGE_GB = 20;

/**
 * Default SAS expiry: 1 January two years ahead. Stable for a year so `pulumi up` does not reissue
 * tokens on every run, and always at least a year away.
 */
export function defaultSasExpiry(now: Date = new Date()): string {
    return `${now.getUTCFullYear() + 2}-01-01T00:00:00Z`;
}

/** Kubernetes namespace of the application. */
export const DEFAULT_APP_NAMESPACE = "portforge";

/** The ServiceAccount the application's pods run as; the workload role trusts exactly this one. */
export function appServiceAccountName(namespace: string): string {
    return `${namespace}-app`;
}

/**
 * Keys the infrastructure no longer reads, and what to do instead: the workloads moved to their
 * own project (`workloads/`), and the load balancers are the program's own.
 */
export const MOVED_KEYS: Readonly<Record<string, string>> = {
    deployWorkloads: "moved out: the infrastructure never deploys workloads now; deploy them with the workloads project " +
        "(`pulumi -C workloads up` on each workloads stack) and remove this key",
    imageTag: "moved to the workloads project: `pulumi -C workloads config set imageTag <tag>` on each workloads stack, then remove it here",
    serviceReplicas: "moved to the workloads project: `pulumi -C workloads config set replicas <n>` on each workloads stack, then remove it here",
    standbyServiceReplicas: "moved to the workloads project: `pulumi -C workloads config set standbyReplicas <n>` on each workloads stack, then remove it here",
    primaryOrigin: "is replaced by the program's own load balancer: each AWS site now gets an ALB, and the health checks and failover " +
        "records point at it; remove this key",
    standbyOrigin: "is replaced by the program's own load balancer: each AWS site now gets an ALB, and the health checks and failover " +
        "records point at it; remove this key",
};
