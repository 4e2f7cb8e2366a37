import * as assert from "assert";
import {
    CONTROLLER_DESCRIBE_ACTIONS, CONTROLLER_TARGET_ACTIONS, TABLE_ITEM_ACTIONS, validateWorkloadIdentityArgs, WorkloadIdentity, WorkloadIdentityArgs,
} from "../../components/aws";
import { valueOf } from "../../plan/mockCloud";
import { evaluatePolicies } from "../../policies/evaluate";
import { declare } from "../support/components";
import { named, statementsOf } from "../support/query";

const ISSUER = "oidc.eks.ap-northeast-1.amazonaws.com/id/ABC123";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.ap-northeast-1.amazonaws.com/id/ABC123";
const base: WorkloadIdentityArgs = {
    oidcProviderArn: PROVIDER,
    oidcIssuerUrl: `https://${ISSUER}`,
    namespace: "portforge",
    serviceAccountName: "portforge-app",
    secretArn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:database-secret-abc",
    kmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/standby",
    bucketArns: ["arn:aws:s3:::portforge-team-dr-1", "arn:aws:s3:::portforge-log-dr-1"],
    tableArns: ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/chats-1"],
    targetGroupArns: ["arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/standby-tg-ai-1/1"],
};

describe("component: WorkloadIdentity", () => {
    it("trusts exactly the application's ServiceAccount, only for STS tokens, through the cluster's OIDC provider", async () => {
        const { resources } = await declare(() => new WorkloadIdentity("standby", base));
        const [trust] = statementsOf(named(resources, "aws:iam/role:Role", "standby-app-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Principal, { Federated: PROVIDER });
        assert.deepStrictEqual(trust.Action, ["sts:AssumeRoleWithWebIdentity"]);
        assert.deepStrictEqual(trust.Condition, {
            StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:portforge:portforge-app", [`${ISSUER}:aud`]: "sts.amazonaws.com" },
        });
    });

    it("lets the pods read this site's secret copy, use its key, and read and write its buckets and table items, nothing else", async () => {
        const { resources } = await declare(() => new WorkloadIdentity("standby", base));
        const bySid = Object.fromEntries(statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "standby-app-access").inputs.policy).map((s: any) => [s.Sid, s]));
        assert.deepStrictEqual(Object.keys(bySid).sort(), ["ListBuckets", "ReadDatabaseSecret", "ReadWriteItems", "ReadWriteObjects", "UseDataKey"]);
        assert.deepStrictEqual([bySid.ReadDatabaseSecret.Action, bySid.ReadDatabaseSecret.Resource], [["secretsmanager:GetSecretValue"], base.secretArn]);
        assert.deepStrictEqual([bySid.UseDataKey.Action, bySid.UseDataKey.Resource], [["kms:Decrypt", "kms:GenerateDataKey"], base.kmsKeyArn]);
        assert.deepStrictEqual(bySid.ListBuckets.Resource, base.bucketArns);
        assert.deepStrictEqual(bySid.ReadWriteObjects.Resource, base.bucketArns!.map(arn => `${arn}/*`));
        assert.deepStrictEqual([bySid.ReadWriteItems.Action, bySid.ReadWriteItems.Resource], [TABLE_ITEM_ACTIONS, base.tableArns]);
        assert.ok(TABLE_ITEM_ACTIONS.every(action => !/Table|Delete(Table|Backup)|Create/.test(action.split(":")[1])), "items only, never the tables");
    });

    it("leaves out bucket and table statements for a site without any", async () => {
        const { resources } = await declare(() => new WorkloadIdentity("primary", { ...base, bucketArns: [], tableArns: [] }));
        const sids = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "primary-app-access").inputs.policy).map((s: any) => s.Sid);
        assert.deepStrictEqual(sids, ["ReadDatabaseSecret", "UseDataKey"]);
    });

    it("lets the load balancer controller only describe and bind targets in this site's target groups", async () => {
        const { resources, result } = await declare(() => new WorkloadIdentity("standby", base));
        const [trust] = statementsOf(named(resources, "aws:iam/role:Role", "standby-lbc-role").inputs.assumeRolePolicy);
        assert.strictEqual((trust.Condition as any).StringEquals[`${ISSUER}:sub`], "system:serviceaccount:kube-system:aws-load-balancer-controller");
        const [describe, bind] = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "standby-lbc-access").inputs.policy);
        assert.deepStrictEqual([describe.Action, describe.Resource], [CONTROLLER_DESCRIBE_ACTIONS, "*"]);
        assert.ok(CONTROLLER_DESCRIBE_ACTIONS.every(action => action.split(":")[1].startsWith("Describe")));
        assert.deepStrictEqual([bind.Action, bind.Resource], [CONTROLLER_TARGET_ACTIONS, base.targetGroupArns]);
        assert.match(await valueOf(result.controllerRoleArn), /^arn:aws:iam::\d{12}:role\/standby-lbc-role-/);
    });

    it("passes the policy pack's aws-iam-no-wildcard-actions", async () => {
        const { resources } = await declare(() => new WorkloadIdentity("standby", base));
        const evaluation = await evaluatePolicies(resources);
        assert.deepStrictEqual(evaluation.violations.filter(v => v.policy === "aws-iam-no-wildcard-actions"), []);
        assert.ok(evaluation.policies.some(p => p.name === "aws-iam-no-wildcard-actions"));
        // The same documents with the controller's actions widened to `elasticloadbalancing:*` are refused.
        const widened = resources.map(r => r.name !== "standby-lbc-access" ? r
            : { ...r, inputs: { ...r.inputs, policy: r.inputs.policy.replace("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:*") } });
        const refused = await evaluatePolicies(widened);
        assert.strictEqual(refused.violations.filter(v => v.policy === "aws-iam-no-wildcard-actions").length, 1);
    });

    it("refuses no target group and a namespace that is not a Kubernetes name", () => {
        assert.deepStrictEqual(validateWorkloadIdentityArgs({ ...base, targetGroupArns: [], namespace: "Port_Forge" }), [
            "targetGroupArns: the load balancer controller needs at least one target group to bind pods to",
            "namespace: \"Port_Forge\" is not a Kubernetes name",
        ]);
    });
});
