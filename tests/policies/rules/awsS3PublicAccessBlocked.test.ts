import * as assert from "assert";
import { awsS3PublicAccessBlocked } from "../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_STRING } from "../harness";

const bucket = resource("aws:s3/bucket:Bucket", "team", { region: "ap-northeast-2" }, { id: "team-1a2b3c", outputs: { bucket: "team-1a2b3c", region: "ap-northeast-2" } });
const allOn = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const block = resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "team-public-access", { bucket: "team-1a2b3c", ...allOn });

describe("policy aws-s3-public-access-blocked", () => {
    it("accepts a bucket with all four flags on", async () => {
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [bucket, block]), []);
    });

    it("reports a bucket without a public access block", async () => {
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [bucket, changed(block, { bucket: "another-bucket" })]), [
            "team: S3 bucket team has no BucketPublicAccessBlock: declare one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets set to true",
        ]);
    });

    it("reports a block that leaves a flag off", async () => {
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [bucket, changed(block, { restrictPublicBuckets: false })]), [
            "team-public-access: BucketPublicAccessBlock team-public-access leaves restrictPublicBuckets off: set all four flags to true",
        ]);
    });

    it("accepts an account-wide block instead", async () => {
        const account = resource("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", allOn);
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [bucket, account]), []);
    });

    it("matches a block to its bucket through the engine's property dependency while the name is unknown", async () => {
        const pending = { ...changed(block, { bucket: UNKNOWN_STRING }), propertyDependencies: { bucket: [bucket.urn] } };
        const newBucket = { ...bucket, id: undefined, outputs: { bucket: UNKNOWN_STRING } };
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [newBucket, changed(pending, { blockPublicAcls: false })]), [
            "team-public-access: BucketPublicAccessBlock team-public-access leaves blockPublicAcls off: set all four flags to true",
        ]);
    });

    it("reports no missing block while a block's bucket is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(awsS3PublicAccessBlocked, [bucket, changed(block, { bucket: UNKNOWN_STRING })]), []);
    });

    it("is not applicable without buckets", async () => {
        const evaluation = await evaluate(awsS3PublicAccessBlocked, [block]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no S3 bucket"]);
    });
});
