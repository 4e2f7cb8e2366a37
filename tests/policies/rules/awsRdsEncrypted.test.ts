import * as assert from "assert";
import { awsRdsEncrypted } from "../../../policies/rules";
import { cannotRunDuringPreview, changed, evaluate, findings, resource, UNKNOWN_BOOLEAN } from "../harness";

const instance = resource("aws:rds/instance:Instance", "primary-mysql", { storageEncrypted: true, kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/k1" });
const cluster = resource("aws:rds/cluster:Cluster", "aurora", { storageEncrypted: true, kmsKeyId: "arn:aws:kms:ap-northeast-2:123456789012:key/k1" });

describe("policy aws-rds-encrypted", () => {
    it("accepts instances and clusters encrypted with a customer-managed key", async () => {
        assert.deepStrictEqual(await findings(awsRdsEncrypted, [instance, cluster]), []);
    });

    it("reports unencrypted storage", async () => {
        assert.deepStrictEqual(await findings(awsRdsEncrypted, [changed(instance, { storageEncrypted: false })]), [
            "primary-mysql: does not set storageEncrypted: true, so the database, its snapshots and its replicas are stored unencrypted",
        ]);
    });

    it("reports the AWS-managed key, unless config allows it", async () => {
        assert.deepStrictEqual(await findings(awsRdsEncrypted, [changed(cluster, { kmsKeyId: undefined })]), [
            "aurora: encrypts with the AWS-managed aws/rds key (no kmsKeyId): name a customer-managed key",
        ]);
        assert.deepStrictEqual(await findings(awsRdsEncrypted, [changed(cluster, { kmsKeyId: undefined })], { requireCustomerManagedKey: false }), []);
    });

    it("gives the analyzer's advisory when encryption is unknown at preview", async () => {
        const evaluation = await evaluate(awsRdsEncrypted, [changed(instance, { storageEncrypted: UNKNOWN_BOOLEAN })]);
        assert.deepStrictEqual(evaluation.violations.map(v => [v.enforcementLevel, v.message]), [
            ["advisory", cannotRunDuringPreview("aws-rds-encrypted", "boolean value at .storageEncrypted can't be known during preview")],
        ]);
    });
});
