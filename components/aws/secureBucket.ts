import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../../lib/iamPolicy";
import { denyInsecureTransport, privateVersionedBucket } from "./privateBucket";

export interface SecureBucketArgs {
    readonly region: string;
    /** KMS key in `region` for SSE-KMS (with S3 Bucket Keys to keep KMS requests cheap). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days an overwritten or deleted object's old version is kept. Default 90. */
    readonly noncurrentVersionRetentionDays?: number;
    /** Mark the bucket `protect`. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** Days old versions are kept when the caller does not say. */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 90;

/**
 * An S3 bucket that is private (all four public access blocks, owner-enforced object ownership),
 * versioned, encrypted with SSE-KMS, refuses plain-HTTP requests, and expires old versions after
 * a retention period instead of keeping them forever.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly region: string;
    /** Completes once versioning is on: replication must wait for it. */
    readonly versioning: aws.s3.BucketVersioning;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:aws:SecureBucket", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const { bucket, blockPublic, versioning } = privateVersionedBucket(name, args, this);
        this.versioning = versioning;
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            region,
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
            }],
        }, parent);
        new aws.s3.BucketPolicy(`${name}-tls-only`, {
            region,
            bucket: bucket.id,
            policy: policyDocument([denyInsecureTransport(bucket.arn)]),
        }, { parent: this, dependsOn: [blockPublic] });
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            region,
            bucket: bucket.id,
            rules: [{
                id: "expire-old-versions",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            }],
        }, { parent: this, dependsOn: [this.versioning] });

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.region = region;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
