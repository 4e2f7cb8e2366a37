import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../../lib/iamPolicy";
import { childTags } from "../tags";

/** The parts every bucket of this program starts from; callers add encryption, policy and lifecycle. */
export interface PrivateBucketParts {
    readonly bucket: aws.s3.Bucket;
    /** A bucket policy must wait for it: S3 refuses a policy while the blocks are being set. */
    readonly blockPublic: aws.s3.BucketPublicAccessBlock;
    /** Completes once versioning is on: lifecycle rules and replication must wait for it. */
    readonly versioning: aws.s3.BucketVersioning;
}

/**
 * A bucket `name` (protected by default, never force-destroyed) with all four public access
 * blocks, owner-enforced object ownership and versioning, its children named `${name}-<role>`
 * under `parent`.
 */
export function privateVersionedBucket(
    name: string,
    args: { region: string; protect?: boolean; tags?: Record<string, string> },
    parent: pulumi.Resource,
): PrivateBucketParts {
    const region = args.region;
    const bucket = new aws.s3.Bucket(name, {
        region,
        forceDestroy: false,
        tags: childTags(name, args.tags),
    }, { parent, protect: args.protect ?? true });
    const blockPublic = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
        region,
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, { parent });
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
        region,
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, { parent });
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
        region,
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, { parent });
    return { bucket, blockPublic, versioning };
}

/** The bucket policy statement that refuses every request not made over TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Output<string>): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetObjectVersion", "s3:DeleteObjectVersion"],
        Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
