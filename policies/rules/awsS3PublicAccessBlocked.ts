import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readKnown, UNKNOWN } from "../lib/known";
import { identitiesBy, referencedBy } from "../lib/references";
import { stackResourcesOfType } from "../lib/typed";
import { T } from "../lib/types";

/** The four switches of an S3 public access block, all of which must be on. */
export const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Every bucket has a public access block with all four flags on (or the account has one). A stack
 * policy, because the block is a separate resource that names its bucket.
 */
export const awsS3PublicAccessBlocked: StackValidationPolicy = {
    name: "aws-s3-public-access-blocked",
    description: "Every S3 bucket has a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Declare an aws.s3.BucketPublicAccessBlock for the bucket with all four flags set to true (or an AccountPublicAccessBlock that does the same for the whole account).",
    validateStack: (args, reportViolation) => {
        const buckets = stackResourcesOfType(args.resources, T.bucket, T.bucketV2);
        if (buckets.length === 0) {
            args.notApplicable("The stack declares no S3 bucket");
        }
        const accountBlocks = stackResourcesOfType(args.resources, T.accountPublicAccessBlock);
        if (accountBlocks.some(block => offFlags(block) !== UNKNOWN && (offFlags(block) as string[]).length === 0)) {
            return;
        }
        const covered = new Set<string>();
        let undecided = false;
        for (const block of stackResourcesOfType(args.resources, T.bucketPublicAccessBlock)) {
            const targets = referencedBy(block, "bucket", buckets, identitiesBy("bucket"));
            const off = offFlags(block);
            if (targets === UNKNOWN || off === UNKNOWN) {
                undecided = true;
                continue;
            }
            if (off.length > 0) {
                reportViolation(`BucketPublicAccessBlock ${block.name} leaves ${off.join(", ")} off: set all four flags to true`, block.urn);
            }
            targets.forEach(target => covered.add(target.urn));
        }
        if (undecided) {
            return;
        }
        for (const bucket of buckets.filter(b => !covered.has(b.urn))) {
            reportViolation(`S3 bucket ${bucket.name} has no BucketPublicAccessBlock: declare one with ${PUBLIC_ACCESS_FLAGS.join(", ")} set to true`, bucket.urn);
        }
    },
};

/** The flags a block leaves off (unset counts as off), or UNKNOWN. */
function offFlags(block: PolicyResource): string[] | typeof UNKNOWN {
    return readKnown(() => PUBLIC_ACCESS_FLAGS.filter(flag => block.props[flag] !== true));
}
