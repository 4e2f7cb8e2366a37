import * as assert from "assert";
import { ProgramFailure } from "../../plan/runOffline";
import { named, ofType } from "../support/query";
import { runStack } from "../support/stacks";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

describe("stack: warm-standby S3 server access logs", () => {
    it("keeps access logs accessLogRetentionDays in both regions' log buckets, and logs every application bucket", async () => {
        const run = await runStack("warm-standby", { "multicloud-dr:accessLogRetentionDays": 30 });
        for (const log of ["buckets-access-logs", "buckets-access-logs-dr"]) {
            assert.strictEqual(named(run.resources, LIFECYCLE, `${log}-lifecycle`).inputs.rules[0].expiration.days, 30, log);
        }
        const applicationBuckets = ofType(run.resources, "aws:s3/bucket:Bucket")
            .filter(bucket => bucket.parentUrn?.includes("dr:aws:ReplicatedBuckets") && bucket.parentUrn.includes("dr:aws:SecureBucket"));
        const logged = new Set(ofType(run.resources, "aws:s3/bucketLogging:BucketLogging").map(logging => logging.inputs.bucket));
        assert.ok(applicationBuckets.length >= 6);
        for (const bucket of applicationBuckets) {
            assert.ok(logged.has(bucket.outputs?.bucket), `${bucket.name} is logged`);
        }
    });

    it("refuses a retention outside 1-3650 days before anything is declared", async () => {
        await assert.rejects(runStack("warm-standby", { "multicloud-dr:accessLogRetentionDays": 0 }), (error: ProgramFailure) => {
            assert.match(error.message, /accessLogRetentionDays/);
            assert.deepStrictEqual(error.declared, []);
            return true;
        });
    });
});
