import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readKnown, readKnownList, UNKNOWN } from "../../lib/known";
import { identitiesBy, referencedBy } from "../../lib/references";
import { awsRegionOf } from "../../lib/regions";
import { stackResourcesOfType } from "../../lib/typed";
import { BucketEncryptionProps, T } from "../../lib/types";

/** The only default encryption S3 server access logging delivers into: SSE-S3. */
export const LOG_TARGET_SSE_ALGORITHM = "AES256";

const bucketIdentities = identitiesBy("bucket");

/** A known, non-empty AWS region of a resource, else undefined (unset or unknown at preview). */
function knownRegion(resource: PolicyResource): string | undefined {
    const region = awsRegionOf(resource.props, resource.provider);
    return typeof region === "string" && region.length > 0 ? region : undefined;
}

/**
 * The default encryption algorithms other than AES256 that the stack's encryption configurations
 * of `target` set, with the configuration's name; {@link UNKNOWN} when a configuration's bucket or
 * rules are unknown at preview. A bucket without a configuration has S3's default, SSE-S3.
 */
function nonSseS3(target: PolicyResource, configurations: PolicyResource[]): { configuration: string; algorithm: string }[] | typeof UNKNOWN {
    const found: { configuration: string; algorithm: string }[] = [];
    for (const configuration of configurations) {
        const applies = referencedBy(configuration, "bucket", [target], bucketIdentities);
        if (applies === UNKNOWN) {
            return UNKNOWN;
        }
        if (applies.length === 0) {
            continue;
        }
        const rules = readKnownList(() => (configuration.props as BucketEncryptionProps).rules);
        if (rules === UNKNOWN) {
            return UNKNOWN;
        }
        for (const rule of rules) {
            const algorithm = rule === UNKNOWN ? UNKNOWN : readKnown(() => rule.applyServerSideEncryptionByDefault?.sseAlgorithm);
            if (algorithm === UNKNOWN) {
                return UNKNOWN;
            }
            if (typeof algorithm === "string" && algorithm !== LOG_TARGET_SSE_ALGORITHM) {
                found.push({ configuration: configuration.name, algorithm });
            }
        }
    }
    return found;
}

/**
 * Every bucket that a BucketLogging names as `targetBucket` can receive S3 server access logs:
 * its default encryption is SSE-S3 (`AES256`; S3 does not deliver into SSE-KMS or DSSE-KMS
 * buckets), it is in the logged bucket's region, and it is not the logged bucket itself. Buckets
 * are joined by the engine's property dependencies or by name and id, as the other stack policies
 * join side resources. What is unknown at preview (a name, a region, an algorithm) and target
 * buckets outside the stack are not judged. None of the three is visible to the mock runtime: S3
 * saves logs only into a bucket of the source bucket's region (PutBucketLogging), never into an
 * SSE-KMS bucket (the logs silently do not arrive), and a bucket logging into itself logs each
 * delivery again.
 */
export const awsS3LogTargetSseS3: StackValidationPolicy = {
    name: "aws-s3-log-target-sse-s3",
    description: "S3 server access log target buckets use SSE-S3 (AES256) default encryption, are in the logged bucket's region and are not the logged bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Deliver server access logs into a dedicated log bucket of the logged bucket's region (components/aws/accessLogBucket.ts) whose BucketServerSideEncryptionConfiguration sets sseAlgorithm AES256, and never log the log bucket itself.",
    validateStack: (args, reportViolation) => {
        const loggings = stackResourcesOfType(args.resources, T.bucketLogging, T.bucketLoggingV2);
        if (loggings.length === 0) {
            args.notApplicable("The stack declares no S3 server access logging");
        }
        const buckets = stackResourcesOfType(args.resources, T.bucket, T.bucketV2);
        const configurations = stackResourcesOfType(args.resources, T.bucketEncryption, T.bucketEncryptionV2);
        const targets = new Map<string, { bucket: PolicyResource; loggings: string[] }>();
        for (const logging of loggings) {
            const target = referencedBy(logging, "targetBucket", buckets, bucketIdentities);
            if (target === UNKNOWN || target.length === 0) {
                continue;
            }
            const bucket = target[0];
            targets.set(bucket.urn, { bucket, loggings: [...(targets.get(bucket.urn)?.loggings ?? []), logging.name] });
            const logged = referencedBy(logging, "bucket", buckets, bucketIdentities);
            if (logged !== UNKNOWN && logged.some(source => source.urn === bucket.urn)) {
                reportViolation(`BucketLogging ${logging.name} delivers the server access logs of bucket ${bucket.name} into ${bucket.name} itself: every delivery would be logged again. Deliver them into a separate log bucket`, logging.urn);
                continue;
            }
            // A logged bucket outside the stack (or not known yet) is in the BucketLogging's region: S3 configures logging on it there.
            const source = logged !== UNKNOWN && logged.length > 0 ? logged[0] : undefined;
            const loggedRegion = knownRegion(source ?? logging);
            const targetRegion = knownRegion(bucket);
            if (loggedRegion !== undefined && targetRegion !== undefined && loggedRegion !== targetRegion) {
                reportViolation(`BucketLogging ${logging.name} delivers the server access logs of ${source ? `bucket ${source.name}` : "its bucket"} (${loggedRegion}) into bucket ${bucket.name} in ${targetRegion}: S3 delivers server access logs only within a region. Use a log bucket in ${loggedRegion}`, logging.urn);
            }
        }
        for (const { bucket, loggings: names } of targets.values()) {
            const wrong = nonSseS3(bucket, configurations);
            if (wrong === UNKNOWN) {
                continue;
            }
            for (const { configuration, algorithm } of wrong) {
                reportViolation(`bucket ${bucket.name} receives server access logs (${names.map(name => `BucketLogging ${name}`).join(", ")}) but BucketServerSideEncryptionConfiguration ${configuration} sets ${algorithm}: S3 delivers server access logs only into buckets encrypted with SSE-S3. Set sseAlgorithm to ${LOG_TARGET_SSE_ALGORITHM}`, bucket.urn);
            }
        }
    },
};
