import * as assert from "assert";
import { EvaluatedResource } from "../../../../policies/evaluate";
import { awsS3LogTargetSseS3 } from "../../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_STRING } from "../../harness";

const SEOUL = "ap-northeast-2";
const TOKYO = "ap-northeast-1";

/** A bucket as the program declares it (components/aws/secureBucket.ts, accessLogBucket.ts): its name is also its id. */
function bucket(name: string, physical: string, region: string): EvaluatedResource {
    return resource("aws:s3/bucket:Bucket", name, { region }, { id: physical, outputs: { region, bucket: physical, arn: `arn:aws:s3:::${physical}` } });
}

function encryption(name: string, bucketName: string, region: string, sseAlgorithm: string): EvaluatedResource {
    return resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name, {
        region,
        bucket: bucketName,
        rules: [{ applyServerSideEncryptionByDefault: sseAlgorithm === "AES256" ? { sseAlgorithm } : { sseAlgorithm, kmsMasterKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/1" } }],
    });
}

const logs = bucket("buckets-access-logs", "buckets-access-logs-31faba8", SEOUL);
const logsEncryption = encryption("buckets-access-logs-encryption", "buckets-access-logs-31faba8", SEOUL, "AES256");
const team = bucket("portforge-team", "portforge-team-21e4c9b", SEOUL);
const teamEncryption = encryption("portforge-team-encryption", "portforge-team-21e4c9b", SEOUL, "aws:kms");
const front = bucket("portforge-front", "portforge-front-f06330c", SEOUL);
const tokyoLogs = bucket("buckets-access-logs-dr", "buckets-access-logs-dr-173ca93", TOKYO);
const teamLogging = resource("aws:s3/bucketLogging:BucketLogging", "portforge-team-access-logging", { region: SEOUL, bucket: "portforge-team-21e4c9b", targetBucket: "buckets-access-logs-31faba8", targetPrefix: "portforge-team/" });
const frontLogging = resource("aws:s3/bucketLogging:BucketLogging", "portforge-front-access-logging", { region: SEOUL, bucket: "portforge-front-f06330c", targetBucket: "buckets-access-logs-31faba8", targetPrefix: "portforge-front/" });
const compliant = [logs, logsEncryption, team, teamEncryption, front, tokyoLogs, teamLogging, frontLogging];

describe("policy aws-s3-log-target-sse-s3", () => {
    it("accepts a log bucket of the logged buckets' region with SSE-S3, while the logged buckets use SSE-KMS", async () => {
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, compliant), []);
    });

    it("accepts a log bucket without an encryption configuration: S3 encrypts it with SSE-S3 by default", async () => {
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, compliant.filter(r => r !== logsEncryption)), []);
    });

    it("reports a log bucket whose default encryption is SSE-KMS, once for all the loggings into it", async () => {
        const kms = encryption("buckets-access-logs-encryption", "buckets-access-logs-31faba8", SEOUL, "aws:kms");
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, compliant.map(r => (r === logsEncryption ? kms : r))), [
            "buckets-access-logs: bucket buckets-access-logs receives server access logs (BucketLogging portforge-team-access-logging, BucketLogging portforge-front-access-logging) but BucketServerSideEncryptionConfiguration buckets-access-logs-encryption sets aws:kms: S3 delivers server access logs only into buckets encrypted with SSE-S3. Set sseAlgorithm to AES256",
        ]);
    });

    it("reports a log bucket in another region than the logged bucket", async () => {
        const toTokyo = changed(teamLogging, { targetBucket: "buckets-access-logs-dr-173ca93" });
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, [...compliant.filter(r => r !== teamLogging), toTokyo]), [
            "portforge-team-access-logging: BucketLogging portforge-team-access-logging delivers the server access logs of bucket portforge-team (ap-northeast-2) into bucket buckets-access-logs-dr in ap-northeast-1: S3 delivers server access logs only within a region. Use a log bucket in ap-northeast-2",
        ]);
    });

    it("reports a bucket that logs into itself", async () => {
        const itself = changed(teamLogging, { targetBucket: "portforge-team-21e4c9b" });
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, [logs, team, itself]), [
            "portforge-team-access-logging: BucketLogging portforge-team-access-logging delivers the server access logs of bucket portforge-team into portforge-team itself: every delivery would be logged again. Deliver them into a separate log bucket",
        ]);
    });

    it("joins buckets through the engine's property dependencies while their names are unknown at preview", async () => {
        const pendingLogs: EvaluatedResource = { ...logs, id: undefined, outputs: { region: SEOUL, bucket: UNKNOWN_STRING } };
        const pendingEncryption: EvaluatedResource = { ...changed(logsEncryption, { bucket: UNKNOWN_STRING, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }] }), propertyDependencies: { bucket: [logs.urn] } };
        const pendingLogging: EvaluatedResource = { ...changed(teamLogging, { targetBucket: UNKNOWN_STRING }), propertyDependencies: { targetBucket: [logs.urn] } };
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, [pendingLogs, pendingEncryption, team, pendingLogging]), [
            "buckets-access-logs: bucket buckets-access-logs receives server access logs (BucketLogging portforge-team-access-logging) but BucketServerSideEncryptionConfiguration buckets-access-logs-encryption sets aws:kms:dsse: S3 delivers server access logs only into buckets encrypted with SSE-S3. Set sseAlgorithm to AES256",
        ]);
    });

    it("skips what is unknown at preview: the target, a region, the algorithm, and targets outside the stack", async () => {
        const unknownTarget = changed(teamLogging, { targetBucket: UNKNOWN_STRING, region: TOKYO });
        const unknownRegion: EvaluatedResource = { ...tokyoLogs, outputs: { ...tokyoLogs.outputs, region: UNKNOWN_STRING } };
        const toUnknownRegion = changed(frontLogging, { targetBucket: "buckets-access-logs-dr-173ca93" });
        const unknownAlgorithm = changed(logsEncryption, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN_STRING } }] });
        const outside = changed(frontLogging, { targetBucket: "someone-elses-logs" });
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, [logs, unknownAlgorithm, team, front, unknownRegion, unknownTarget, toUnknownRegion]), []);
        assert.deepStrictEqual(await findings(awsS3LogTargetSseS3, [logs, team, front, outside]), []);
    });

    it("is not applicable without server access logging", async () => {
        const evaluation = await evaluate(awsS3LogTargetSseS3, [logs, logsEncryption]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no S3 server access logging"]);
    });
});
