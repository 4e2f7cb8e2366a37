import * as assert from "assert";
import { awsRdsFinalSnapshotUnique } from "../../../../policies/rules";
import { holdsStackPart, snapshotStackPart } from "../../../../policies/rules/deployability/awsRdsFinalSnapshotUnique";
import { changed, findings, resource, UNKNOWN_STRING } from "../../harness";

// The harness's URNs belong to stack "test".
const db = resource("aws:rds/instance:Instance", "primary-mysql", { skipFinalSnapshot: false, finalSnapshotIdentifier: "primary-mysql-test-final-3f9a1c2b" });
const cluster = resource("aws:rds/cluster:Cluster", "aurora", { finalSnapshotIdentifier: "aurora-test-final" });

describe("policy aws-rds-final-snapshot-unique", () => {
    it("accepts identifiers that contain the stack's name, a database that skips its final snapshot, and an identifier unknown at preview", async () => {
        const skipping = changed(db, { skipFinalSnapshot: true, finalSnapshotIdentifier: "final" });
        const unknown = changed(db, { finalSnapshotIdentifier: UNKNOWN_STRING });
        assert.deepStrictEqual(await findings(awsRdsFinalSnapshotUnique, [db, cluster, skipping, unknown]), []);
    });

    it("reports a constant identifier that every stack shares", async () => {
        assert.deepStrictEqual(await findings(awsRdsFinalSnapshotUnique, [changed(db, { finalSnapshotIdentifier: "primary-mysql-final" })]), [
            'primary-mysql: names its final snapshot "primary-mysql-final", which does not contain the stack\'s name "test": another stack of this program in the same account and region names the same snapshot, and its destroy fails; include the stack\'s name',
        ]);
    });

    it("wants the stack's name as whole words, not inside another word", async () => {
        assert.deepStrictEqual(await findings(awsRdsFinalSnapshotUnique, [changed(cluster, { finalSnapshotIdentifier: "aurora-latest-final" })]), [
            'aurora: names its final snapshot "aurora-latest-final", which does not contain the stack\'s name "test": another stack of this program in the same account and region names the same snapshot, and its destroy fails; include the stack\'s name',
        ]);
    });

    it("normalizes stack names a snapshot identifier cannot hold", () => {
        assert.strictEqual(snapshotStackPart("Warm_Standby.prod"), "warm-standby-prod");
        assert.ok(holdsStackPart("Primary-MySQL-Warm-Standby-final", snapshotStackPart("warm-standby")));
        assert.ok(!holdsStackPart("primary-warm-standbyx-final", "warm-standby"));
    });
});
