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
        assert.strictEqual(fn.inputs.reservedConcurrentExecutions, 1);
        assert.strictEqual(outputs.autoFailoverEnabled, false);
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

    it("gives the function rights on exactly the replica, the node group, the topic and its logs", () => {
        const policy = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "auto-failover-least-privilege").inputs.policy);
        const bySid = Object.fromEntries(policy.map((s: any) => [s.Sid, s]));
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
