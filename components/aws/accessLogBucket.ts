import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../../lib/iamPolicy";
import { denyInsecureTransport, privateVersionedBucket } from "./privateBucket";
import { assertValidArgs } from "../validation";

/** The service principal S3 delivers server access logs as. */
export const S3_LOGGING_PRINCIPAL = "logging.s3.amazonaws.com";
/** Days access logs are kept when the caller does not say. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 90;

export interface AccessLogBucketArgs {
    /** Region of the buckets that log here: S3 delivers server access logs only within a region. */
    readonly region: string;
    /** The account that owns the logged buckets (`aws:SourceAccount`). */
    readonly accountId: pulumi.Input<string>;
    /** ARNs of the buckets allowed to deliver logs here (`aws:SourceArn`); nothing else may write. */
    readonly sourceBucketArns: pulumi.Input<string>[];
    /** Days a log object is kept; its old versions go a day later. Default 90. */
    readonly retentionDays?: number;
    /** Mark the bucket `protect`. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** Problems with access log bucket args, one string each. */
export function validateAccessLogBucketArgs(args: AccessLogBucketArgs): string[] {
    const days = args.retentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;
    return Number.isInteger(days) && days >= 1 && days <= 3650 ? [] : [`retentionDays: ${days} is not a whole number of days in 1-3650`];
}

/**
 * The bucket one region's S3 server access logs go to. Private (public access blocked, owner
 * enforced, so delivery is granted by bucket policy, not ACL), versioned, TLS only, encrypted with
 * SSE-S3 (S3 does not deliver server access logs into a bucket whose default encryption is
 * SSE-KMS), itself not logged (logging it to itself would log its own deliveries), and emptied by
 * lifecycle after `retentionDays`. Only S3's logging service, on behalf of the listed buckets of
 * this account, may write.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly region: string;
    /** Completes once S3's logging service may write: logging must wait for it. */
    readonly deliveryPolicy: aws.s3.BucketPolicy;

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("AccessLogBucket", name, validateAccessLogBucketArgs(args));
        super("dr:aws:AccessLogBucket", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const retentionDays = args.retentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;

        const { bucket, blockPublic, versioning } = privateVersionedBucket(name, args, this);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            region,
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, parent);
        this.deliveryPolicy = new aws.s3.BucketPolicy(`${name}-policy`, {
            region,
            bucket: bucket.id,
            policy: policyDocument([
                {
                    Sid: "S3ServerAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: S3_LOGGING_PRINCIPAL },
                    Action: ["s3:PutObject"],
                    Resource: pulumi.interpolate`${bucket.arn}/*`,
                    Condition: {
                        ArnLike: { "aws:SourceArn": pulumi.all(args.sourceBucketArns) },
                        StringEquals: { "aws:SourceAccount": args.accountId },
                    },
                },
                denyInsecureTransport(bucket.arn),
            ]),
        }, { parent: this, dependsOn: [blockPublic] });
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            region,
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
                {
                    // Expiring a current version in a versioned bucket leaves a delete marker; clear those too.
                    id: "remove-expired-delete-markers",
                    status: "Enabled",
                    filter: {},
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
        }, { parent: this, dependsOn: [versioning] });

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.region = region;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
