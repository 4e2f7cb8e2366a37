import * as assert from "assert";
import { drReplicationTimeBounded } from "../../../policies/rules";
import { changed, evaluate, findings, resource } from "../harness";

const destination = {
    bucket: "arn:aws:s3:::team-dr",
    replicationTime: { status: "Enabled", time: { minutes: 15 } },
    metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
};
const replication = resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "team-replication", {
    bucket: "team", role: "arn:aws:iam::123456789012:role/replication",
    rules: [{ id: "to-ap-northeast-1", status: "Enabled", destination }, { id: "paused", status: "Disabled", destination: { bucket: "arn:aws:s3:::other" } }],
});

describe("policy dr-replication-time-bounded", () => {
    it("accepts enabled rules with Replication Time Control and metrics, and ignores disabled rules", async () => {
        assert.deepStrictEqual(await findings(drReplicationTimeBounded, [replication]), []);
    });

    it("reports a rule without Replication Time Control, as advisory", async () => {
        const unbounded = changed(replication, { rules: [{ id: "to-ap-northeast-1", status: "Enabled", destination: { ...destination, replicationTime: undefined } }] });
        const evaluation = await evaluate(drReplicationTimeBounded, [unbounded]);
        assert.deepStrictEqual(evaluation.violations.map(v => [v.enforcementLevel, v.message]), [
            ["advisory", 'replication rule "to-ap-northeast-1" has no Replication Time Control, so S3 gives its replication no time bound'],
        ]);
    });

    it("reports RTC without metrics", async () => {
        const noMetrics = changed(replication, { rules: [{ id: "to-ap-northeast-1", status: "Enabled", destination: { ...destination, metrics: undefined } }] });
        assert.deepStrictEqual(await findings(drReplicationTimeBounded, [noMetrics]), [
            'team-replication: replication rule "to-ap-northeast-1" enables Replication Time Control without replication metrics, which S3 requires with it',
        ]);
    });
});
