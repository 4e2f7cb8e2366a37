import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../../lib/iamPolicy";
import { AccessLogBucket } from "./accessLogBucket";
import { SecureBucket } from "./secureBucket";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Replication Time Control's fixed threshold, in minutes. */
export const REPLICATION_TIME_MINUTES = 15;

export interface ReplicatedBucketsArgs {
    readonly region: string;
    /** The account that owns the buckets: only its buckets may deliver access logs to the log buckets. */
    readonly accountId: pulumi.Input<string>;
    /** Logical bucket names; physical names get a unique suffix (S3 names are global). None is allowed. */
    readonly names: string[];
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Where each bucket is copied, as `<name>-dr`. Default none (no replication). */
    readonly replica?: { region: string; kmsKeyArn: pulumi.Input<string> };
    /** Replication Time Control: 99.99% of objects within 15 minutes, with metrics. Default true. */
    readonly replicationTimeControl?: boolean;
    readonly noncurrentVersionRetentionDays?: number;
    /**
     * S3 server access logging of every bucket and `-dr` twin into a log bucket of its own region
     * (`<name>-access-logs`, `<name>-access-logs-dr`), kept `accessLogRetentionDays`. Default true.
     */
    readonly accessLogging?: boolean;
    /** Days access logs are kept. Default 90. */
    readonly accessLogRetentionDays?: number;
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** A source bucket and, when replicating, its standby copy. */
export interface BucketPair {
    readonly primary: SecureBucket;
    readonly standby?: SecureBucket;
}

/** Where one bucket's server access logs go: `<log bucket>/<bucket's logical name>/`. */
export function accessLogPrefix(bucketName: string): string {
    return `${bucketName}/`;
}

/** Problems with bucket args, one string each. */
export function validateReplicatedBucketsArgs(args: ReplicatedBucketsArgs): string[] {
    const problems: string[] = [];
    if (new Set(args.names).size !== args.names.length) {
        problems.push("names: bucket names must be unique");
    }
    if (args.replica && args.replica.region === args.region) {
        problems.push("replica.region: same-region copies do not survive a region loss");
    }
    const days = args.accessLogRetentionDays;
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
        problems.push(`accessLogRetentionDays: ${days} is not a whole number of days in 1-3650`);
    }
    return problems;
}

/**
 * Secure buckets in one region, each optionally replicated to a `-dr` twin in another region
 * through one role that may read exactly these sources and write exactly these destinations.
 * Delete markers are not replicated: the standby keeps objects deleted at the primary. Every
 * bucket's server access logs go to a log bucket in its own region.
 */
export class ReplicatedBuckets extends pulumi.ComponentResource {
    readonly buckets: Record<string, BucketPair>;
    readonly replicationRoleArn?: pulumi.Output<string>;
    /** The log bucket of each region that has buckets, keyed by region. */
    readonly accessLogBuckets: Record<string, AccessLogBucket>;

    constructor(name: string, args: ReplicatedBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("ReplicatedBuckets", name, validateReplicatedBucketsArgs(args));
        super("dr:aws:ReplicatedBuckets", name, {}, opts);
        const bucketArgs = { noncurrentVersionRetentionDays: args.noncurrentVersionRetentionDays, protect: args.protect, tags: args.tags };
        this.buckets = {};
        for (const bucketName of args.names) {
            const primary = new SecureBucket(bucketName, { ...bucketArgs, region: args.region, kmsKeyArn: args.kmsKeyArn }, { parent: this });
            const standby = args.replica
                ? new SecureBucket(`${bucketName}-dr`, { ...bucketArgs, region: args.replica.region, kmsKeyArn: args.replica.kmsKeyArn }, { parent: this })
                : undefined;
            this.buckets[bucketName] = { primary, standby };
        }

        if (args.replica && args.names.length > 0) {
            const replica = args.replica;
            const pairs = Object.values(this.buckets) as Required<BucketPair>[];
            const role = new aws.iam.Role(`${name}-replication-role`, {
                assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"),
                tags: childTags(`${name}-replication-role`, args.tags),
            }, { parent: this });
            const rolePolicy = new aws.iam.RolePolicy(`${name}-replication-policy`, {
                role: role.id,
                policy: policyDocument([
                    {
                        Sid: "ReadReplicationConfig",
                        Effect: "Allow",
                        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                        Resource: pairs.map(p => p.primary.arn),
                    },
                    {
                        Sid: "ReadSourceVersions",
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: pairs.map(p => pulumi.interpolate`${p.primary.arn}/*`),
                    },
                    {
                        Sid: "WriteReplicas",
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
                        Resource: pairs.map(p => pulumi.interpolate`${p.standby.arn}/*`),
                    },
                    {
                        Sid: "DecryptSource",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.kmsKeyArn,
                        Condition: { StringLike: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } },
                    },
                    {
                        Sid: "EncryptReplica",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: replica.kmsKeyArn,
                        Condition: { StringLike: { "kms:ViaService": `s3.${replica.region}.amazonaws.com` } },
                    },
                ]),
            }, { parent: this });
            const timeControl = args.replicationTimeControl ?? true;
            for (const [bucketName, pair] of Object.entries(this.buckets) as [string, Required<BucketPair>][]) {
                new aws.s3.BucketReplicationConfig(`${bucketName}-replication`, {
                    region: args.region,
                    bucket: pair.primary.bucketName,
                    role: role.arn,
                    rules: [{
                        id: `to-${replica.region}`,
                        status: "Enabled",
                        filter: {},
                        deleteMarkerReplication: { status: "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: pair.standby.arn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: replica.kmsKeyArn },
                            replicationTime: timeControl ? { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } } : undefined,
                            metrics: timeControl ? { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } } : undefined,
                        },
                    }],
                }, { parent: this, dependsOn: [pair.primary.versioning, pair.standby.versioning, rolePolicy] });
            }
            this.replicationRoleArn = role.arn;
        }

        this.accessLogBuckets = {};
        if ((args.accessLogging ?? true) && args.names.length > 0) {
            const logged: { logicalName: string; bucket: SecureBucket; logName: string }[] = Object.entries(this.buckets).flatMap(([bucketName, pair]) => [
                { logicalName: bucketName, bucket: pair.primary, logName: `${name}-access-logs` },
                ...(pair.standby ? [{ logicalName: `${bucketName}-dr`, bucket: pair.standby, logName: `${name}-access-logs-dr` }] : []),
            ]);
            for (const logName of [...new Set(logged.map(entry => entry.logName))]) {
                const sources = logged.filter(entry => entry.logName === logName);
                const logBucket = new AccessLogBucket(logName, {
                    region: sources[0].bucket.region,
                    accountId: args.accountId,
                    sourceBucketArns: sources.map(entry => entry.bucket.arn),
                    retentionDays: args.accessLogRetentionDays,
                    protect: args.protect,
                    tags: args.tags,
                }, { parent: this });
                this.accessLogBuckets[logBucket.region] = logBucket;
                for (const entry of sources) {
                    new aws.s3.BucketLogging(`${entry.logicalName}-access-logging`, {
                        region: logBucket.region,
                        bucket: entry.bucket.bucketName,
                        targetBucket: logBucket.bucketName,
                        targetPrefix: accessLogPrefix(entry.logicalName),
                        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                    }, { parent: this, dependsOn: [logBucket.deliveryPolicy] });
                }
            }
        }
        this.registerOutputs({ replicationRoleArn: this.replicationRoleArn });
    }
}
