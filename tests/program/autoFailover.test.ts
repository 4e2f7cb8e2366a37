import * as assert from "assert";
import { runStack } from "../support/stacks";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundleTypeScript } from "../../lib/bundle";
import { defineStack } from "../../program";
import { FAILOVER_FUNCTION_ENTRY } from "../../strategies/warmStandby";
import { WarmStandbyOutputs } from "../../strategies";
import { named, ofType, regionOf, statementsOf } from "../support/query";
import { DeclaredResource, runProgram } from "../../plan/runOffline";
import { stackFileConfig } from "../../plan/stackFiles";
import { valueOf } from "../../plan/mockCloud";
import { parseFailoverEnv } from "../../lambda/failover/config";
import { FAILOVER_LOCK_SECONDS, FAILOVER_TIMEOUT_SECONDS } from "../../components/aws";

const TABLE = "aws:dynamodb/table:Table";

async function warmStandby(overrides: Record<string, unknown> = {}) {
    return runStack<WarmStandbyOutputs>("warm-standby", overrides);
}

describe("program: automatic failover pipeline", () => {
    let resources: DeclaredResource[];
    let outputs: WarmStandbyOutputs;
    before(async () => {
        const run = await warmStandby();
        resources = run.resources;
        outputs = run.outputs;
    });

    it("runs the failover function in Tokyo with ENABLE_AUTO_FAILOVER \"false\" by default", () => {
        const fn = named(resources, "aws:lambda/function:Function", "auto-failover-function");
        assert.strictEqual(regionOf(fn), "ap-northeast-1");
        const env = fn.inputs.environment.variables;
        assert.strictEqual(env.ENABLE_AUTO_FAILOVER, "false");
        assert.strictEqual(env.FAILOVER_NODE_COUNT, "4");
        assert.match(env.REPLICA_ID, /^standby-mysql-/);
        assert.match(env.TOPIC_ARN, /^arn:aws:sns:us-east-1:/);
        assert.strictEqual(outputs.autoFailoverEnabled, false);
    });

    it("reserves no concurrency (new accounts cannot spare any): one run at a time comes from the lock", () => {
        const fn = named(resources, "aws:lambda/function:Function", "auto-failover-function");
        assert.strictEqual(fn.inputs.reservedConcurrentExecutions, undefined);
        assert.strictEqual(fn.inputs.timeout, FAILOVER_TIMEOUT_SECONDS);
        assert.ok(FAILOVER_LOCK_SECONDS > FAILOVER_TIMEOUT_SECONDS, "a live run never outlives its lock");
        assert.ok(FAILOVER_LOCK_SECONDS < FAILOVER_TIMEOUT_SECONDS + 60, "a crashed run's lock lapses before Lambda's first retry, a minute later");
    });

    it("keeps the lock in a small on-demand, encrypted Tokyo table whose items expire by TTL on expiresAt", () => {
        const lock = named(resources, TABLE, "auto-failover-lock");
        assert.strictEqual(regionOf(lock), "ap-northeast-1");
        assert.deepStrictEqual(
            [lock.inputs.billingMode, lock.inputs.hashKey, lock.inputs.attributes, lock.inputs.ttl, lock.inputs.serverSideEncryption],
            ["PAY_PER_REQUEST", "lockId", [{ name: "lockId", type: "S" }], { attributeName: "expiresAt", enabled: true }, { enabled: true }],
        );
        assert.strictEqual(lock.inputs.rangeKey, undefined);
        assert.strictEqual(lock.inputs.replicas, undefined, "a lock is local to the function's region");
        assert.strictEqual(lock.protect, true, "like the stack's other tables");
    });

    it("tells the function its primary health check and its lock table, in an environment the function accepts", async () => {
        const env = named(resources, "aws:lambda/function:Function", "auto-failover-function").inputs.environment.variables;
        assert.strictEqual(env.HEALTH_CHECK_ID, await valueOf(outputs.primaryHealthCheckId));
        assert.match(env.HEALTH_CHECK_ID, /-primary-health-/);
        assert.match(env.LOCK_TABLE_NAME, /^auto-failover-lock-/);
        assert.deepStrictEqual([env.LOCK_TABLE_REGION, env.LOCK_SECONDS], ["ap-northeast-1", String(FAILOVER_LOCK_SECONDS)]);
        const parsed = parseFailoverEnv(env);
        assert.deepStrictEqual([parsed.healthCheckId, parsed.lockTableName, parsed.lockSeconds], [env.HEALTH_CHECK_ID, env.LOCK_TABLE_NAME, FAILOVER_LOCK_SECONDS]);
    });

    it("lets Lambda retry a failed run twice, on alarm events at most 15 minutes old", () => {
        const config = named(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "auto-failover-async");
        assert.strictEqual(regionOf(config), "ap-northeast-1");
        assert.match(config.inputs.functionName, /^auto-failover-function-/);
        assert.deepStrictEqual([config.inputs.maximumRetryAttempts, config.inputs.maximumEventAgeInSeconds], [2, 900]);
    });

    it("routes the health-check alarm from us-east-1 to Tokyo's bus and on to the function", () => {
        const rules = ofType(resources, "aws:cloudwatch/eventRule:EventRule");
        assert.deepStrictEqual(rules.map(regionOf).sort(), ["ap-northeast-1", "us-east-1"]);
        for (const rule of rules) {
            const pattern = JSON.parse(rule.inputs.eventPattern);
            assert.deepStrictEqual(pattern["detail-type"], ["CloudWatch Alarm State Change"]);
            assert.match(pattern.resources[0], /^arn:aws:cloudwatch:us-east-1:\d{12}:alarm:|^arn:aws:cloudwatch:us-east-1:/);
            assert.deepStrictEqual(pattern.detail.state.value, ["ALARM"]);
        }
        const forward = named(resources, "aws:cloudwatch/eventTarget:EventTarget", "auto-failover-forward");
        assert.match(forward.inputs.arn, /^arn:aws:events:ap-northeast-1:\d{12}:event-bus\/default$/);
        const run = named(resources, "aws:cloudwatch/eventTarget:EventTarget", "auto-failover-run");
        assert.match(run.inputs.arn, /^arn:aws:lambda:ap-northeast-1:/);
        assert.strictEqual(named(resources, "aws:lambda/permission:Permission", "auto-failover-invoke").inputs.principal, "events.amazonaws.com");
    });

    it("gives the function rights on exactly the replica, the node group, the lock, the health check, the topic and its logs", async () => {
        const policy = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "auto-failover-least-privilege").inputs.policy);
        const bySid = Object.fromEntries(policy.map((s: any) => [s.Sid, s]));
        assert.deepStrictEqual(policy.map((s: any) => [s.Sid, s.Effect, s.Action]), [
            ["PromoteTheReplica", "Allow", ["rds:DescribeDBInstances", "rds:PromoteReadReplica"]],
            ["GrowTheNodeGroup", "Allow", ["eks:DescribeNodegroup", "eks:UpdateNodegroupConfig"]],
            ["HoldTheRunLock", "Allow", ["dynamodb:PutItem", "dynamodb:DeleteItem"]],
            ["ConfirmThePrimaryIsDown", "Allow", ["route53:GetHealthCheckStatus"]],
            ["NotifyPeople", "Allow", ["sns:Publish"]],
            ["EncryptForTheTopic", "Allow", ["kms:GenerateDataKey", "kms:Decrypt"]],
            ["WriteOwnLogs", "Allow", ["logs:CreateLogStream", "logs:PutLogEvents"]],
        ]);
        const env = named(resources, "aws:lambda/function:Function", "auto-failover-function").inputs.environment.variables;
        assert.strictEqual(bySid.HoldTheRunLock.Resource, `arn:aws:dynamodb:ap-northeast-1:123456789012:table/${env.LOCK_TABLE_NAME}`);
        assert.strictEqual(bySid.ConfirmThePrimaryIsDown.Resource, `arn:aws:route53:::healthcheck/${await valueOf(outputs.primaryHealthCheckId)}`);
        assert.match(bySid.PromoteTheReplica.Resource, /^arn:aws:rds:ap-northeast-1:\d{12}:db:standby-mysql-/);
        assert.match(bySid.GrowTheNodeGroup.Resource, /^arn:aws:eks:ap-northeast-1:\d{12}:nodegroup\/standby-nodes-/);
        assert.match(bySid.NotifyPeople.Resource, /^arn:aws:sns:us-east-1:/);
        assert.deepStrictEqual(bySid.PromoteTheReplica.Action, ["rds:DescribeDBInstances", "rds:PromoteReadReplica"]);
    });

    it("ships one self-contained bundle that exports the handler", () => {
        const fn = named(resources, "aws:lambda/function:Function", "auto-failover-function");
        assert.strictEqual(fn.inputs.handler, "index.handler");
        assert.strictEqual(fn.inputs.runtime, "nodejs22.x");
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bundle-")), "index.js");
        fs.writeFileSync(file, bundleTypeScript(FAILOVER_FUNCTION_ENTRY));
        const loaded = require(file) as { handler?: unknown };
        assert.strictEqual(typeof loaded.handler, "function");
        assert.ok(!/require\("@aws-sdk\/client-/.test(fs.readFileSync(file, "utf8")), "the AWS SDK clients are bundled, not taken from the runtime");
    });

    it("passes the flag through when the stack enables it, and refuses it on pilot light", async () => {
        const enabled = await warmStandby({ "multicloud-dr:enableAutoFailover": true });
        assert.strictEqual(named(enabled.resources, "aws:lambda/function:Function", "auto-failover-function").inputs.environment.variables.ENABLE_AUTO_FAILOVER, "true");
        await assert.rejects(runProgram(defineStack, { ...stackFileConfig("pilot-light"), "multicloud-dr:enableAutoFailover": true }, "pilot-light"),
            /multicloud-dr:enableAutoFailover is true, but strategy pilot-light has no AWS standby/);
    });
});
