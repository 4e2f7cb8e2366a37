import { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { asTypedResource } from "../lib/armResource";
import { readKnown, UNKNOWN } from "../lib/known";
import { identitiesBy, referencedBy } from "../lib/references";
import { RdsProps, T } from "../lib/types";

/** Config of {@link drStatefulResourcesProtected}. */
export interface ProtectionConfig {
    /** Fewest days of automated database backups (RDS, Azure MySQL). */
    minBackupRetentionDays: number;
    /** Resources (by Pulumi name) that hold no data worth protecting, each with the reason. */
    exempt: Record<string, string>;
}

/** The seed's RDS backup retention (seed 000: 7 days). */
export const DEFAULT_MIN_BACKUP_RETENTION_DAYS = 7;
/** RDS keeps this many days when backupRetentionPeriod is unset; Azure MySQL keeps 7. */
export const RDS_DEFAULT_RETENTION_DAYS = 1;
export const AZURE_MYSQL_DEFAULT_RETENTION_DAYS = 7;

/** The program's maintenance-page account: a static page and a copy of the restore tool, both re-created by `pulumi up`. */
export const DEFAULT_PROTECTION_EXEMPT: Record<string, string> = {
    "maintenance-account": "holds only the static maintenance page and a copy of the restore tool, both uploaded again by every pulumi up; no customer data",
};

/**
 * Every stateful resource survives a mistaken delete: RDS deletion protection, a final snapshot
 * and backups; DynamoDB deletion protection and PITR on the table and every replica; S3
 * versioning and no forceDestroy; Azure blob versioning and soft delete; Azure MySQL backups.
 */
export const drStatefulResourcesProtected: StackValidationPolicy = {
    name: "dr-stateful-resources-protected",
    description: "Stateful resources have deletion protection, final snapshots, backups or versioning, so a mistaken delete or overwrite can be undone.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "RDS: deletionProtection true, skipFinalSnapshot false with a finalSnapshotIdentifier, backupRetentionPeriod >= minBackupRetentionDays. DynamoDB: deletionProtectionEnabled and pointInTimeRecovery on the table and each replica. S3: a BucketVersioning with status Enabled, forceDestroy false. Azure storage: BlobServiceProperties with isVersioningEnabled and deleteRetentionPolicy enabled. Azure MySQL: backup.backupRetentionDays >= minBackupRetentionDays.",
    configSchema: {
        properties: {
            minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: DEFAULT_MIN_BACKUP_RETENTION_DAYS, description: "Fewest days of automated database backups." },
            exempt: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: DEFAULT_PROTECTION_EXEMPT,
                description: "Pulumi resource names that hold no data worth protecting, each mapped to the reason (shown in reviews).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<ProtectionConfig>();
        const resources = args.resources.filter(resource => !(resource.name in config.exempt));
        for (const declared of resources) {
            const typed = asTypedResource(declared.type, declared.props);
            const resource = { ...declared, type: typed.type, props: typed.props } as PolicyResource;
            switch (resource.type) {
                case T.rdsInstance:
                case T.rdsCluster:
                    checkRds(resource, config.minBackupRetentionDays, reportViolation);
                    break;
                case T.table:
                    checkTable(resource, reportViolation);
                    break;
                case T.mysqlServer:
                    checkAzureMysql(resource, config.minBackupRetentionDays, reportViolation);
                    break;
            }
        }
        checkBuckets(args.resources, resources, reportViolation);
        checkStorageAccounts(args.resources, resources, reportViolation);
    },
};

function checkRds(resource: PolicyResource, minDays: number, report: ReportViolation): void {
    const props = resource.props as RdsProps;
    const label = `RDS ${resource.type === T.rdsCluster ? "cluster" : "instance"} ${resource.name}`;
    const read = readKnown(() => ({
        deletionProtection: props.deletionProtection,
        skipFinalSnapshot: props.skipFinalSnapshot,
        finalSnapshotIdentifier: props.finalSnapshotIdentifier,
        retention: props.backupRetentionPeriod,
        replicaOf: props.replicateSourceDb,
    }));
    if (read === UNKNOWN) {
        return;
    }
    if (read.deletionProtection !== true) {
        report(`${label} does not set deletionProtection: true, so one mistaken delete destroys it`, resource.urn);
    }
    // RDS refuses a final snapshot when deleting a read replica (its source holds the data), so a
    // replica must skip it; once promoted it is a source of its own and needs one.
    if (read.replicaOf) {
        if (read.skipFinalSnapshot !== true) {
            report(`${label} is a read replica without skipFinalSnapshot: true; RDS refuses a final snapshot of a replica, so it could never be deleted`, resource.urn);
        }
    } else if (read.skipFinalSnapshot === true) {
        report(`${label} sets skipFinalSnapshot: true, so deleting it keeps no final snapshot`, resource.urn);
    } else if (!read.finalSnapshotIdentifier) {
        report(`${label} names no finalSnapshotIdentifier, so it cannot take a final snapshot when deleted`, resource.urn);
    }
    const days = read.retention ?? RDS_DEFAULT_RETENTION_DAYS;
    if (days < minDays) {
        report(`${label} keeps automated backups for ${days} day(s)${read.retention === undefined ? " (the RDS default)" : ""}; at least ${minDays} are required`, resource.urn);
    }
}

function checkTable(resource: PolicyResource, report: ReportViolation): void {
    const read = readKnown(() => ({
        deletionProtection: resource.props.deletionProtectionEnabled as boolean | undefined,
        pitr: resource.props.pointInTimeRecovery?.enabled as boolean | undefined,
        replicas: ((resource.props.replicas ?? []) as { regionName?: string; deletionProtectionEnabled?: boolean; pointInTimeRecovery?: boolean }[])
            .map(replica => ({ region: replica.regionName, deletionProtection: replica.deletionProtectionEnabled, pitr: replica.pointInTimeRecovery })),
    }));
    if (read === UNKNOWN) {
        return;
    }
    const label = `DynamoDB table ${resource.name}`;
    if (read.deletionProtection !== true) {
        report(`${label} does not set deletionProtectionEnabled: true`, resource.urn);
    }
    if (read.pitr !== true) {
        report(`${label} does not enable pointInTimeRecovery, so it cannot be restored to a moment before a bad write`, resource.urn);
    }
    for (const replica of read.replicas) {
        if (replica.deletionProtection !== true) {
            report(`${label}'s replica in ${replica.region} does not set deletionProtectionEnabled: true`, resource.urn);
        }
        if (replica.pitr !== true) {
            report(`${label}'s replica in ${replica.region} does not enable pointInTimeRecovery`, resource.urn);
        }
    }
}

function checkAzureMysql(resource: PolicyResource, minDays: number, report: ReportViolation): void {
    const retention = readKnown(() => resource.props.backup?.backupRetentionDays as number | undefined);
    if (retention === UNKNOWN) {
        return;
    }
    const days = retention ?? AZURE_MYSQL_DEFAULT_RETENTION_DAYS;
    if (days < minDays) {
        report(`Azure MySQL server ${resource.name} keeps backups for ${days} day(s); at least ${minDays} are required`, resource.urn);
    }
}

/** Buckets: versioning (a BucketVersioning, or the legacy inline block) and no forceDestroy. */
function checkBuckets(all: PolicyResource[], checked: PolicyResource[], report: ReportViolation): void {
    const buckets = checked.filter(resource => resource.type === T.bucket || resource.type === T.bucketV2);
    const settings = all.filter(resource => resource.type === T.bucketVersioning || resource.type === T.bucketVersioningV2);
    const enabledFor = new Set<string>();
    let undecided = false;
    for (const setting of settings) {
        const targets = referencedBy(setting, "bucket", buckets, identitiesBy("bucket"));
        const status = readKnown(() => setting.props.versioningConfiguration?.status as string | undefined);
        if (targets === UNKNOWN || status === UNKNOWN) {
            undecided = true;
            continue;
        }
        if (status === "Enabled") {
            targets.forEach(target => enabledFor.add(target.urn));
        }
    }
    for (const bucket of buckets) {
        const inline = readKnown(() => bucket.props.versioning?.enabled as boolean | undefined);
        if (!enabledFor.has(bucket.urn) && inline !== true && inline !== UNKNOWN && !undecided) {
            report(`S3 bucket ${bucket.name} has no versioning enabled (no BucketVersioning with status Enabled), so an overwrite or delete cannot be undone and it cannot replicate`, bucket.urn);
        }
        if (readKnown(() => bucket.props.forceDestroy as boolean | undefined) === true) {
            report(`S3 bucket ${bucket.name} sets forceDestroy: true, so deleting it deletes every object`, bucket.urn);
        }
    }
}

/** Azure storage accounts: blob versioning and soft delete through BlobServiceProperties. */
function checkStorageAccounts(all: PolicyResource[], checked: PolicyResource[], report: ReportViolation): void {
    const accounts = checked.filter(resource => resource.type === T.storageAccount);
    const services = all.filter(resource => resource.type === T.blobService);
    const protectedAccounts = new Set<string>();
    let undecided = false;
    for (const service of services) {
        const targets = referencedBy(service, "accountName", accounts, identitiesBy("accountName", "name"));
        const settings = readKnown(() => ({
            versioning: service.props.isVersioningEnabled as boolean | undefined,
            softDelete: service.props.deleteRetentionPolicy?.enabled as boolean | undefined,
        }));
        if (targets === UNKNOWN || settings === UNKNOWN) {
            undecided = true;
            continue;
        }
        if (settings.versioning === true && settings.softDelete === true) {
            targets.forEach(target => protectedAccounts.add(target.urn));
        }
    }
    if (undecided) {
        return;
    }
    for (const account of accounts.filter(a => !protectedAccounts.has(a.urn))) {
        report(`storage account ${account.name} has no BlobServiceProperties enabling both blob versioning and soft delete, so deleted or overwritten blobs are gone`, account.urn);
    }
}
