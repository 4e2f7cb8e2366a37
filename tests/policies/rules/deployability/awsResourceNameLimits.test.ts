import * as assert from "assert";
import { awsResourceNameLimits } from "../../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_STRING } from "../../harness";

const db = resource("aws:rds/instance:Instance", "primary-mysql", { identifier: "primary-mysql", finalSnapshotIdentifier: "primary-mysql-test-final" });
const alb = resource("aws:lb/loadBalancer:LoadBalancer", "primary-alb", { name: "dr-primary-alb" });
const tg = resource("aws:lb/targetGroup:TargetGroup", "primary-tg", { name: "dr-primary-app" });
const role = resource("aws:iam/role:Role", "failover-role", { name: "multicloud-dr-warm-standby-failover" });
const fn = resource("aws:lambda/function:Function", "failover-fn", { name: "multicloud-dr-warm-standby-failover" });
const bucket = resource("aws:s3/bucket:Bucket", "portforge-team", { bucket: "portforge-team-warm-standby-1a2b3c" });
const autoNamed = resource("aws:s3/bucket:Bucket", "portforge-log", {});
const compliant = [db, alb, tg, role, fn, bucket, autoNamed];

const SOURCES = {
    rds: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    snapshot: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    lb: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    tg: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    role: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    lambda: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
};

describe("policy aws-resource-name-limits", () => {
    it("accepts names within AWS's limits, auto-named resources and names unknown at preview", async () => {
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [...compliant, changed(alb, { name: UNKNOWN_STRING })]), []);
    });

    it("declares itself not applicable to resources without a limited name", async () => {
        const evaluation = await evaluate(awsResourceNameLimits, [resource("aws:ec2/vpc:Vpc", "primary-vpc", {})]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["Policy only applies to resources with a name AWS limits at create time"]);
    });

    it("reports an RDS identifier over 63 characters, and one that breaks RDS's form", async () => {
        const long = `primary-mysql-${"x".repeat(50)}`;
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(db, { identifier: long }), changed(db, { identifier: "1st--db_" })]), [
            `primary-mysql: RDS DB instance identifier "${long}" (identifier) has 64 characters, more than the 63 allowed: AWS refuses it (${SOURCES.rds})`,
            `primary-mysql: RDS DB instance identifier "1st--db_" (identifier) may hold only letters, digits and hyphens, not "_"; must start with a letter; must not contain two consecutive hyphens: AWS refuses it (${SOURCES.rds})`,
        ]);
    });

    it("reports a final snapshot identifier AWS would refuse when the database is deleted", async () => {
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(db, { finalSnapshotIdentifier: "primary_final-" })]), [
            `primary-mysql: RDS final snapshot identifier "primary_final-" (finalSnapshotIdentifier) may hold only letters, digits and hyphens, not "_"; must not end with a hyphen: AWS refuses it (${SOURCES.snapshot})`,
        ]);
    });

    it("reports a load balancer name over 32 characters or starting with internal-", async () => {
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(alb, { name: "multicloud-dr-warm-standby-primary" }), changed(alb, { name: "internal-dr" })]), [
            `primary-alb: load balancer name "multicloud-dr-warm-standby-primary" (name) has 34 characters, more than the 32 allowed: AWS refuses it (${SOURCES.lb})`,
            `primary-alb: load balancer name "internal-dr" (name) must not begin with "internal-": AWS refuses it (${SOURCES.lb})`,
        ]);
    });

    it("reports a target group name over 32 characters or ending with a hyphen", async () => {
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(tg, { name: "multicloud-dr-warm-standby-app-tg" }), changed(tg, { name: "dr-app-" })]), [
            `primary-tg: target group name "multicloud-dr-warm-standby-app-tg" (name) has 33 characters, more than the 32 allowed: AWS refuses it (${SOURCES.tg})`,
            `primary-tg: target group name "dr-app-" (name) must not begin or end with a hyphen: AWS refuses it (${SOURCES.tg})`,
        ]);
    });

    it("reports an IAM role name over 64 characters or with a space", async () => {
        const long = "r".repeat(65);
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(role, { name: long }), changed(role, { name: "dr role" })]), [
            `failover-role: IAM role name "${long}" (name) has 65 characters, more than the 64 allowed: AWS refuses it (${SOURCES.role})`,
            `failover-role: IAM role name "dr role" (name) may hold only letters, digits and _+=,.@-, not " ": AWS refuses it (${SOURCES.role})`,
        ]);
    });

    it("reports a Lambda function name over 64 characters or with a dot", async () => {
        const long = "f".repeat(65);
        assert.deepStrictEqual(await findings(awsResourceNameLimits, [changed(fn, { name: long }), changed(fn, { name: "dr.failover" })]), [
            `failover-fn: Lambda function name "${long}" (name) has 65 characters, more than the 64 allowed: AWS refuses it (${SOURCES.lambda})`,
            `failover-fn: Lambda function name "dr.failover" (name) may hold only letters, digits, hyphens and underscores, not ".": AWS refuses it (${SOURCES.lambda})`,
        ]);
    });

    it("reports S3 bucket names that are too short, too long, uppercase or reserved", async () => {
        const long = `b${"-x".repeat(32)}`;
        const names = ["ab", long, "Portforge-Team", "xn--team", "team-s3alias", "10.0.0.1", "team..logs"];
        assert.deepStrictEqual(await findings(awsResourceNameLimits, names.map(name => changed(bucket, { bucket: name }))), [
            `portforge-team: S3 bucket name "ab" (bucket) has 2 characters, fewer than the 3 required: AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "${long}" (bucket) has 65 characters, more than the 63 allowed: AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "Portforge-Team" (bucket) may hold only lowercase letters, digits, dots and hyphens, not "P", "T"; must begin and end with a lowercase letter or digit: AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "xn--team" (bucket) must not start with "xn--": AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "team-s3alias" (bucket) must not end with "-s3alias": AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "10.0.0.1" (bucket) must not be formatted as an IP address: AWS refuses it (${SOURCES.s3})`,
            `portforge-team: S3 bucket name "team..logs" (bucket) must not contain two adjacent periods: AWS refuses it (${SOURCES.s3})`,
        ]);
    });
});
