import * as assert from "assert";
import { CommonOutputs } from "../../strategies";
import { defineStack } from "../../program";
import { cloudResources, ofType, regionOf } from "../support/query";
import { DeclaredResource, runProgram } from "../support/runProgram";
import { stackFileConfig } from "../support/stackFiles";

describe("program: pilot-light stack (AWS side)", () => {
    let resources: DeclaredResource[];
    let outputs: CommonOutputs;
    before(async () => {
        const run = await runProgram(defineStack, stackFileConfig("pilot-light"), "pilot-light");
        resources = run.resources;
        outputs = run.outputs;
    });

    it("builds the same Seoul primary as warm standby", () => {
        assert.deepStrictEqual(ofType(resources, "aws:ec2/vpc:Vpc").map(v => [regionOf(v), v.inputs.cidrBlock]), [["ap-northeast-2", "10.10.0.0/16"]]);
        assert.strictEqual(ofType(resources, "aws:eks/cluster:Cluster").length, 1);
        const [database] = ofType(resources, "aws:rds/instance:Instance");
        assert.strictEqual(database.inputs.multiAz, true);
        assert.strictEqual(database.inputs.storageEncrypted, true);
        assert.strictEqual(ofType(resources, "aws:dynamodb/table:Table").length, 2);
        assert.strictEqual(ofType(resources, "aws:s3/bucket:Bucket").length, 3);
        assert.strictEqual(ofType(resources, "aws:ecr/repository:Repository").length, 5);
    });

    it("declares nothing in Tokyo and copies nothing to another AWS region", () => {
        const elsewhere = cloudResources(resources).filter(r => regionOf(r) !== undefined && regionOf(r) !== "ap-northeast-2");
        assert.deepStrictEqual(elsewhere.map(r => `${r.type}::${r.name}@${regionOf(r)}`), []);
        for (const table of ofType(resources, "aws:dynamodb/table:Table")) {
            assert.deepStrictEqual(table.inputs.replicas, []);
        }
        assert.strictEqual(ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
        assert.strictEqual(ofType(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length, 0);
        assert.deepStrictEqual(ofType(resources, "aws:secretsmanager/secret:Secret")[0].inputs.replicas, []);
    });

    it("reports its strategy, region and the seed's pilot-light objectives", () => {
        assert.strictEqual(outputs.strategy, "pilot-light");
        assert.strictEqual(outputs.activeRegion, "ap-northeast-2");
        assert.deepStrictEqual(outputs.recoveryObjectives.rtoMinutes, { min: 120, max: 240 });
        assert.strictEqual(outputs.recoveryObjectives.rpoSeconds.max, 300);
    });
});
