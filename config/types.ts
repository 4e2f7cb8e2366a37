/** How the service survives the loss of its primary region. */
export type Strategy = "warm-standby" | "pilot-light";

/** Every strategy the program can build, in the order the README lists them. */
export const STRATEGIES: readonly Strategy[] = ["warm-standby", "pilot-light"];

/** One NAT gateway per availability zone (survives a zone loss) or one for the whole VPC (cheaper). */
export type NatMode = "per-az" | "single";

/** Protocols an alert subscription may use; SMS and email need no AWS-side endpoint. */
export type AlertProtocol = "email" | "https" | "sms";

/** A DynamoDB key attribute type: string, number or binary. */
export type KeyType = "S" | "N" | "B";

/** A DynamoDB table the service uses, by its key schema. */
export interface TableSpec {
    /** Logical table name; the physical name gets a stack-unique suffix. */
    readonly name: string;
    readonly hashKey: string;
    readonly hashKeyType: KeyType;
    readonly rangeKey?: string;
    readonly rangeKeyType?: KeyType;
}

/** Somewhere the alarm topic sends notices. */
export interface AlertSubscription {
    readonly protocol: AlertProtocol;
    readonly endpoint: string;
}

/** One region's site: where it is and how its network is cut. */
export interface SiteConfig {
    readonly region: string;
    readonly cidr: string;
    readonly availabilityZones: string[];
    readonly natMode: NatMode;
}

/** The public name users reach and the health check that drives failover. */
export interface DnsConfig {
    /** The hosted zone's domain, e.g. `portforge.example.com`. */
    readonly domainName: string;
    /**
     * The public hosted zone `domainName` is delegated to. Required: ACM validates the entry
     * points' certificates through DNS records in it, which resolve only in the delegated zone.
     */
    readonly hostedZoneId: string;
    /**
     * Label of the failover record inside the zone (`app` gives `app.portforge.example.com`). Each
     * AWS site also answers `<recordName>-<site>.<domainName>`, the host its health check probes.
     */
    readonly recordName: string;
    /** Path Route 53 requests on each site's checked host; the entry service answers it. */
    readonly healthCheckPath: string;
    readonly healthCheckPort: number;
    readonly healthCheckProtocol: "HTTP" | "HTTPS";
    /** Seconds between probes; Route 53 offers 10 or 30. */
    readonly healthCheckIntervalSeconds: 10 | 30;
    /** Consecutive failed probes before the primary counts as down. */
    readonly healthCheckFailureThreshold: number;
    /** TTL of the failover records; resolvers keep the old answer this long. */
    readonly ttlSeconds: number;
}

/** Node group sizing shared by both clusters. */
export interface KubernetesConfig {
    /** EKS Kubernetes minor version; must be in standard support unless `extendedSupport`. */
    readonly version: string;
    /**
     * Accept EKS extended support (billed $0.60 instead of $0.10 per cluster-hour): allows a
     * version past standard support and sets the clusters' upgrade policy to EXTENDED.
     */
    readonly extendedSupport: boolean;
    readonly instanceType: string;
    readonly primaryNodeCount: number;
    readonly standbyNodeCount: number;
    /** Nodes the standby cluster runs once it is serving (after failover). */
    readonly failoverNodeCount: number;
    readonly maxNodeCount: number;
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private. */
    readonly publicAccessCidrs: string[];
    /**
     * IAM roles or users given cluster-admin through EKS access entries; nobody else is (the
     * creator gets no implicit admin). The identity that runs the workloads stacks and
     * `npm run dr -- failover` must be one of them.
     */
    readonly adminPrincipalArns: string[];
}

/** The MySQL primary and its replica. */
export interface DatabaseConfig {
    readonly instanceClass: string;
    readonly standbyInstanceClass: string;
    readonly engineVersion: string;
    readonly allocatedStorageGb: number;
    readonly maxAllocatedStorageGb: number;
    readonly backupRetentionDays: number;
    readonly databaseName: string;
    readonly username: string;
}

/** The Azure pilot light: where it lives and what the emergency site runs. */
export interface AzureConfig {
    /** Azure region, e.g. `koreacentral`; one of config/azureRegions.ts, where MySQL flexible server and Application Gateway v2 exist. */
    readonly location: string;
    /** VNet block; must not overlap any AWS VPC. */
    readonly cidr: string;
    /** Redundancy of the backup storage account, e.g. `Standard_ZRS`: a standard StorageV2 SKU the location offers. */
    readonly storageSku: string;
    /** Route the gateway to the application instead of the maintenance page. */
    readonly serveApp: boolean;
    readonly vmSize: string;
    readonly adminUsername: string;
    /** OpenSSH public key for the VMs' admin user; without it the program generates a key pair (private half as a secret output). */
    readonly sshPublicKey?: string;
    /** Flexible server SKU (Standard_B1ms); its tier follows from its series. */
    readonly mysqlSkuName: string;
    /** `8.4` or `8.0.21` (MySQL 8.0); never older than the RDS source's `engineVersion`. */
    readonly mysqlVersion: string;
    readonly mysqlStorageGb: number;
    /** Where the app VM downloads the application from; without it the VM restores data and serves only /health. */
    readonly appArtifactUrl?: string;
}

/** The continuous backup from RDS to Azure Blob (pilot light). */
export interface BackupConfig {
    readonly containerName: string;
    /** Days every backup blob stays immutable (WORM) after it is written. */
    readonly immutabilityDays: number;
    /**
     * Lock the backup account's version-level retention policy. Irreversible: afterwards the days
     * can only grow. Azure creates the policy unlocked, so turn it on after the first deploy.
     */
    readonly immutabilityLocked: boolean;
    /** Days after which backup blobs move to the cool tier. */
    readonly coolAfterDays: number;
    /** Days after which backup blobs are deleted. */
    readonly deleteAfterDays: number;
    /** When the agent's and restorer's SAS tokens expire (ISO 8601); the next `pulumi up` after a change reissues them. */
    readonly sasExpiry: string;
    readonly instanceType: string;
    /**
     * Pinned image of the backup instance (`ami-...`). Absent: Amazon Linux 2023, looked up in the
     * primary region's SSM at the first deploy and kept. Pin it before an outage (the lookup needs
     * the primary region); a different pin replaces the instance.
     */
    readonly instanceAmi?: string;
    /** Hours RDS keeps binlogs, so a paused agent can resume without a gap. */
    readonly binlogRetentionHours: number;
    /** Hours between full dumps; binlogs fill the time between. */
    readonly fullBackupIntervalHours: number;
}

/**
 * What the infrastructure fixes about the application, which the workloads project deploys:
 * the IAM trust names the namespace and service account, so they live here.
 */
export interface WorkloadConfig {
    readonly namespace: string;
    /** ServiceAccount the application's pods run as: `<namespace>-app`. */
    readonly serviceAccountName: string;
}

/** The whole, validated stack configuration. */
export interface DrConfig {
    readonly strategy: Strategy;
    /** Warm standby: promote the standby and serve from it. */
    readonly failover: boolean;
    /** Pilot light: build the emergency site. */
    readonly emergency: boolean;
    /** Mark stateful resources `protect` so no `pulumi up` or destroy can delete them. */
    readonly protectData: boolean;
    /** Prefix of ECR repository names: `<prefix>-<service>`. */
    readonly repositoryPrefix: string;
    readonly primary: SiteConfig;
    /** Present only for strategies with an AWS standby region. */
    readonly standby?: SiteConfig;
    readonly interfaceEndpoints: string[];
    readonly kubernetes: KubernetesConfig;
    readonly database: DatabaseConfig;
    readonly tables: TableSpec[];
    readonly buckets: string[];
    /** S3 Replication Time Control: 99.99% of objects replicated within 15 minutes. */
    readonly bucketReplicationTimeControl: boolean;
    readonly noncurrentVersionRetentionDays: number;
    /** Days S3 server access logs are kept in each region's log bucket. */
    readonly accessLogRetentionDays: number;
    readonly services: string[];
    /** The service the load balancers send every path no other service claims to (default: the first service). */
    readonly entryService: string;
    readonly immutableImageTags: boolean;
    readonly dns?: DnsConfig;
    /** Present only for the pilot-light strategy. */
    readonly azure?: AzureConfig;
    /** Present only for the pilot-light strategy. */
    readonly backup?: BackupConfig;
    readonly alertSubscriptions: AlertSubscription[];
    readonly workloads: WorkloadConfig;
    /** Warm standby: let the alarm-driven Lambda promote the standby by itself (ENABLE_AUTO_FAILOVER). */
    readonly enableAutoFailover: boolean;
    readonly tags: Record<string, string>;
}
