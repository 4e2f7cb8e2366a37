import { strict as assert } from "node:assert";
import { DescribeNodegroupCommand, EKSClient, UpdateNodegroupConfigCommand } from "@aws-sdk/client-eks";
import { DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient } from "@aws-sdk/client-rds";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { FailoverEnvError } from "../../../lambda/failover/config";
import { handler } from "../../../lambda/failover/handler";
import { SUBJECTS } from "../../../lambda/failover/message";
import {
    alarmEvent, CLUSTER_NAME, ENV, harness, Harness, HEALTH_CHECK_ID, logsOf, nodegroup, NODEGROUP_NAME, promotedReplica, replica,
    REPLICA_ID, SOURCE_ARN, thrownBy, TOPIC_ARN,
} from "./fixtures";

const RECONCILE = [
    "    npm run dr -- failover --stack warm-standby",
    "  (it runs `pulumi config set failover true` on the stack and `pulumi up`, which promotes and",
    "  scales whatever is not done yet and changes nothing that already is).",
].join("\n");
const ALARM_LINE = `The primary health alarm "dr-dns-primary-down-5e1c2a7" is in ALARM since 2025-03-14T02:17:09.213+0000: ` +
    "Threshold Crossed: 1 datapoint [0.0 (14/03/25 02:16:00)] was less than the threshold (1.0).";
const EVENT_LINE = "EventBridge event: c4c1c1c9-6542-e61b-6ef0-8c4d36933a92";

function published(h: Harness): { TopicArn?: string; Subject?: string; Message?: string } {
    const calls = h.sns.commandCalls(PublishCommand);
    assert.equal(calls.length, 1, "exactly one notification");
    return calls[0].args[0].input;
}

function changingCalls(h: Harness): number {
    return h.rds.commandCalls(PromoteReadReplicaCommand).length + h.eks.commandCalls(UpdateNodegroupConfigCommand).length;
}

describe("failover Lambda: handler", () => {
    let h: Harness;
    afterEach(() => h.restore());

    describe("ALARM with ENABLE_AUTO_FAILOVER=true", () => {
        beforeEach(() => { h = harness(); });

        it("promotes the replica, scales the node group and notifies, sending exactly these inputs to clients of these regions", async () => {
            const result = await h.run(alarmEvent());

            assert.equal(result.action, "failed-over");
            assert.deepEqual(result.steps.map(s => [s.step, s.outcome]), [["promote-replica", "done"], ["scale-nodegroup", "done"], ["notify", "done"]]);
            assert.deepEqual(h.rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input, { DBInstanceIdentifier: REPLICA_ID });
            assert.deepEqual(h.rds.commandCalls(PromoteReadReplicaCommand)[0].args[0].input, { DBInstanceIdentifier: REPLICA_ID, BackupRetentionPeriod: 7 });
            assert.deepEqual(h.eks.commandCalls(DescribeNodegroupCommand)[0].args[0].input, { clusterName: CLUSTER_NAME, nodegroupName: NODEGROUP_NAME });
            assert.deepEqual(h.eks.commandCalls(UpdateNodegroupConfigCommand)[0].args[0].input, {
                clusterName: CLUSTER_NAME,
                nodegroupName: NODEGROUP_NAME,
                scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 4 },
            });
            assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
            assert.equal(h.eks.commandCalls(UpdateNodegroupConfigCommand).length, 1);
            assert.deepEqual(published(h), {
                TopicArn: TOPIC_ARN,
                Subject: SUBJECTS.done,
                Message: [
                    ALARM_LINE,
                    `Route 53 confirms the primary is down (health check ${HEALTH_CHECK_ID}): 16 of 16 checkers report Failure, 0 Success.`,
                    "Automatic failover (ENABLE_AUTO_FAILOVER=true) ran in ap-northeast-1:",
                    `  - promote-replica: done. promotion of "${REPLICA_ID}" in ap-northeast-1 started (it replicated from ${SOURCE_ARN}); RDS takes about 5-10 minutes`,
                    `  - scale-nodegroup: done. node group "${NODEGROUP_NAME}" of "${CLUSTER_NAME}": desired 2 -> 4, min 2, max 4`,
                    "",
                    "Reconcile the stack now, so the next `pulumi up` agrees with what was done:",
                    RECONCILE,
                    "",
                    EVENT_LINE,
                ].join("\n"),
            });
            assert.deepEqual(h.regions, { rds: ["ap-northeast-1"], eks: ["ap-northeast-1"], sns: ["us-east-1"], route53: ["us-east-1"], dynamodb: ["ap-northeast-1"] });
        });

        it("logs every step as one JSON line with its outcome, start time and duration, then the outcome of the run", async () => {
            await h.run(alarmEvent());

            const steps = logsOf(h, "step");
            assert.deepEqual(steps.map(s => [s.step, s.outcome, s.level]), [
                ["promote-replica", "done", "info"], ["scale-nodegroup", "done", "info"], ["notify", "done", "info"],
            ]);
            for (const step of steps) {
                assert.equal(step.durationMs, 25, "the fake clock advances 25 ms per reading");
                assert.match(String(step.startedAt), /^2025-03-14T02:17:\d\d\.\d{3}Z$/);
                assert.equal(typeof step.detail, "string");
            }
            assert.equal(steps[2].detail, `published "${SUBJECTS.done}" to ${TOPIC_ARN} (message 7f3c2a10-5b9e-5c4d-8e21-9a0b1c2d3e4f)`);
            const [finished] = logsOf(h, "finished");
            assert.equal(finished.outcome, "succeeded");
            assert.equal(finished.action, "failed-over");
            assert.equal(typeof finished.durationMs, "number");
        });

        it("raises the maximum when the failover size exceeds it, keeping the minimum", async () => {
            h.world.nodegroup = nodegroup({}, { minSize: 1, maxSize: 3, desiredSize: 2 });
            await h.run(alarmEvent(), { ...ENV, FAILOVER_NODE_COUNT: "6" });

            assert.deepEqual(h.eks.commandCalls(UpdateNodegroupConfigCommand)[0].args[0].input.scalingConfig, { minSize: 1, maxSize: 6, desiredSize: 6 });
            assert.match(published(h).Message ?? "", /desired 2 -> 6, min 1, max 3 -> 6/);
        });

        it("keeps a maximum that is already above the failover size", async () => {
            h.world.nodegroup = nodegroup({}, { minSize: 2, maxSize: 10, desiredSize: 3 });
            await h.run(alarmEvent());

            assert.deepEqual(h.eks.commandCalls(UpdateNodegroupConfigCommand)[0].args[0].input.scalingConfig, { minSize: 2, maxSize: 10, desiredSize: 4 });
            assert.match(published(h).Message ?? "", /desired 3 -> 4, min 2, max 10$/m);
        });

        it("leaves RDS's default retention alone when the replica keeps no automated backups", async () => {
            h.world.replica = replica({ BackupRetentionPeriod: 0 });
            await h.run(alarmEvent());

            assert.deepEqual(h.rds.commandCalls(PromoteReadReplicaCommand)[0].args[0].input, { DBInstanceIdentifier: REPLICA_ID });
        });

        it("makes the EKS client for CLUSTER_REGION when it is set", async () => {
            await h.run(alarmEvent(), { ...ENV, CLUSTER_REGION: "ap-northeast-3" });

            assert.deepEqual(h.regions, { rds: ["ap-northeast-1"], eks: ["ap-northeast-3"], sns: ["us-east-1"], route53: ["us-east-1"], dynamodb: ["ap-northeast-1"] });
        });
    });

    describe("idempotency", () => {
        it("a second run after its own promotion and scale-out changes nothing and says why", async () => {
            h = harness();
            await h.run(alarmEvent());
            assert.equal(changingCalls(h), 2);
            h.forget();

            const second = await h.run(alarmEvent());

            assert.equal(changingCalls(h), 0);
            assert.deepEqual(second.steps.map(s => [s.step, s.outcome, s.detail]), [
                ["promote-replica", "skipped", `"${REPLICA_ID}" is modifying: a promotion or modification is in progress`],
                ["scale-nodegroup", "skipped", `node group "${NODEGROUP_NAME}" already wants 4 nodes (failover size 4)`],
                ["notify", "done", `published "${SUBJECTS.done}" to ${TOPIC_ARN} (message 7f3c2a10-5b9e-5c4d-8e21-9a0b1c2d3e4f)`],
            ]);
            assert.match(published(h).Message ?? "", /promote-replica: skipped\. .* is modifying/);
        });

        it("a run after a manual promotion and scale-out changes nothing", async () => {
            h = harness({ replica: promotedReplica(), nodegroup: nodegroup({}, { desiredSize: 4 }) });

            const result = await h.run(alarmEvent());

            assert.equal(changingCalls(h), 0);
            assert.deepEqual(result.steps.map(s => [s.step, s.outcome, s.detail]).slice(0, 2), [
                ["promote-replica", "skipped", `"${REPLICA_ID}" is already a standalone primary (it has no replication source)`],
                ["scale-nodegroup", "skipped", `node group "${NODEGROUP_NAME}" already wants 4 nodes (failover size 4)`],
            ]);
            assert.equal(published(h).Subject, SUBJECTS.done);
        });

        it("a run while EKS is already updating the node group does not scale it", async () => {
            h = harness({ replica: replica(), nodegroup: nodegroup({ status: "UPDATING" }) });

            const result = await h.run(alarmEvent());

            assert.equal(h.eks.commandCalls(UpdateNodegroupConfigCommand).length, 0);
            assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
            assert.deepEqual(result.steps[1], {
                ...result.steps[1],
                outcome: "skipped",
                detail: `node group "${NODEGROUP_NAME}" is UPDATING: an update is in progress (desired 2)`,
            });
        });

        it("a run that loses a race to another run skips instead of failing", async () => {
            h = harness();
            // The other run's promotion and update land between this run's describe and its own call.
            h.rds.on(PromoteReadReplicaCommand).callsFake(() => {
                h.world.replica = replica({ DBInstanceStatus: "modifying" });
                throw Object.assign(new Error(`DB Instance ${REPLICA_ID} is not in available state.`), { name: "InvalidDBInstanceStateFault" });
            });
            h.eks.on(UpdateNodegroupConfigCommand).callsFake(() => {
                h.world.nodegroup = nodegroup({ status: "UPDATING" });
                throw Object.assign(new Error("Nodegroup is currently being updated"), { name: "ResourceInUseException" });
            });

            const result = await h.run(alarmEvent());

            assert.deepEqual(result.steps.map(s => [s.outcome, s.detail]).slice(0, 2), [
                ["skipped", `"${REPLICA_ID}" is modifying: a promotion or modification is in progress (RDS refused a second promotion)`],
                ["skipped", `node group "${NODEGROUP_NAME}" is UPDATING: an update is in progress (desired 2) (EKS refused a concurrent update)`],
            ]);
            assert.equal(h.rds.commandCalls(DescribeDBInstancesCommand).length, 2, "described again after the refusal");
            assert.equal(h.eks.commandCalls(DescribeNodegroupCommand).length, 2);
        });

        it("a refusal that the replica's state does not explain still fails the step", async () => {
            h = harness();
            const refusal = Object.assign(new Error("Automated backups are not enabled"), { name: "InvalidDBInstanceStateFault" });
            h.rds.on(PromoteReadReplicaCommand).rejects(refusal);

            assert.equal(await thrownBy(() => h.run(alarmEvent())), refusal);
            assert.equal(published(h).Subject, SUBJECTS.failed);
        });
    });

    describe("ENABLE_AUTO_FAILOVER not \"true\"", () => {
        for (const [label, value] of [["\"false\"", "false"], ["unset", undefined], ["empty", ""]] as const) {
            it(`${label}: changes nothing, logs what it would have done and tells people a human must decide`, async () => {
                h = harness();
                const result = await h.run(alarmEvent(), { ...ENV, ENABLE_AUTO_FAILOVER: value });

                assert.equal(result.action, "notified");
                assert.equal(h.rds.calls().length, 0, "no RDS call at all");
                assert.equal(h.eks.calls().length, 0, "no EKS call at all");
                assert.deepEqual(h.regions, { rds: [], eks: [], sns: ["us-east-1"], route53: [], dynamodb: [] });
                assert.deepEqual(published(h), {
                    TopicArn: TOPIC_ARN,
                    Subject: SUBJECTS.disabled,
                    Message: [
                        ALARM_LINE,
                        "Automatic failover is off (ENABLE_AUTO_FAILOVER is not \"true\"), so nothing was changed. It would have:",
                        `  - promote the read replica "${REPLICA_ID}" in ap-northeast-1`,
                        `  - scale node group "${NODEGROUP_NAME}" of EKS cluster "${CLUSTER_NAME}" (ap-northeast-1) to 4 nodes`,
                        "",
                        "A human must decide whether to fail over. To do it:",
                        RECONCILE,
                        "",
                        EVENT_LINE,
                    ].join("\n"),
                });
                const [disabled] = logsOf(h, "disabled");
                assert.deepEqual(disabled.wouldHave, [
                    `promote the read replica "${REPLICA_ID}" in ap-northeast-1`,
                    `scale node group "${NODEGROUP_NAME}" of EKS cluster "${CLUSTER_NAME}" (ap-northeast-1) to 4 nodes`,
                ]);
            });
        }

        it("still fails the invocation when even the notification fails", async () => {
            h = harness();
            const denied = Object.assign(new Error("User is not authorized to perform: SNS:Publish"), { name: "AuthorizationErrorException" });
            h.sns.on(PublishCommand).rejects(denied);

            assert.equal(await thrownBy(() => h.run(alarmEvent(), { ...ENV, ENABLE_AUTO_FAILOVER: "false" })), denied);
            assert.equal(logsOf(h, "finished")[0].outcome, "failed");
        });
    });

    describe("events that are not the primary alarm entering ALARM", () => {
        const cases: [string, unknown, string][] = [
            ["OK", alarmEvent("OK"), `alarm "dr-dns-primary-down-5e1c2a7" changed to "OK"; only ALARM triggers a failover`],
            ["INSUFFICIENT_DATA", alarmEvent("INSUFFICIENT_DATA"),
                `alarm "dr-dns-primary-down-5e1c2a7" changed to "INSUFFICIENT_DATA"; only ALARM triggers a failover`],
            ["another alarm", alarmEvent("ALARM", "dr-dns-secondary-down-0c4f7e2"),
                `alarm "dr-dns-secondary-down-0c4f7e2" is not the primary health alarm "dr-dns-primary-down-5e1c2a7"`],
            ["a scheduled event", { source: "aws.events", "detail-type": "Scheduled Event", detail: {} },
                `the event is "Scheduled Event" from "aws.events", not "CloudWatch Alarm State Change" from "aws.cloudwatch"`],
            ["no event at all", null, "the input is not an EventBridge event object"],
        ];
        for (const [label, event, reason] of cases) {
            it(`ignores ${label}, calls nothing and logs why`, async () => {
                h = harness();
                const result = await h.run(event);

                assert.deepEqual(result, { action: "ignored", reason, steps: [] });
                assert.equal(h.rds.calls().length + h.eks.calls().length + h.sns.calls().length, 0);
                assert.deepEqual(h.logs.map(l => [l.event, l.reason]), [["ignored", reason]]);
            });
        }
    });

    describe("invalid environment", () => {
        it("fails before any call with one error naming every bad variable", async () => {
            h = harness();
            const env = { ...ENV, ALARM_NAME: undefined, REPLICA_REGION: "tokyo", FAILOVER_NODE_COUNT: "0", TOPIC_ARN: "arn:aws:sns:us-east-1:alerts" };

            const error = await thrownBy(() => h.run(alarmEvent(), env));

            assert.ok(error instanceof FailoverEnvError);
            assert.equal(error.message, [
                "Invalid failover environment (4 problems); nothing was changed:",
                "  - ALARM_NAME is required",
                "  - REPLICA_REGION must be an AWS region such as ap-northeast-1, got \"tokyo\"",
                "  - FAILOVER_NODE_COUNT must be a positive integer, got \"0\"",
                "  - TOPIC_ARN must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, got \"arn:aws:sns:us-east-1:alerts\"",
            ].join("\n"));
            assert.equal(h.rds.calls().length + h.eks.calls().length + h.sns.calls().length, 0);
            assert.deepEqual(h.logs.map(l => l.event), ["invalid-environment"]);
        });

        it("fails even for events it would ignore, so a broken deployment shows on the first alarm change", async () => {
            h = harness();
            const error = await thrownBy(() => h.run(alarmEvent("OK"), { ...ENV, TOPIC_ARN: undefined }));

            assert.equal((error as Error).message, "Invalid failover environment (1 problem); nothing was changed:\n  - TOPIC_ARN is required");
        });
    });

    describe("failing steps", () => {
        beforeEach(() => { h = harness(); });

        it("a failed promotion still scales, notifies that it FAILED, then rethrows the RDS error itself", async () => {
            const outage = Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" });
            h.rds.on(PromoteReadReplicaCommand).rejects(outage);

            const error = await thrownBy(() => h.run(alarmEvent()));

            assert.equal(error, outage);
            assert.equal(h.eks.commandCalls(UpdateNodegroupConfigCommand).length, 1, "scaling does not depend on the promotion");
            const notice = published(h);
            assert.equal(notice.Subject, SUBJECTS.failed);
            assert.match(notice.Message ?? "", /^ {2}- promote-replica: failed\. ServiceUnavailable: Service Unavailable$/m);
            assert.match(notice.Message ?? "", /At least one step FAILED/);
            assert.match(notice.Message ?? "", /npm run dr -- failover --stack warm-standby/);
            const failedStep = logsOf(h, "step")[0];
            assert.deepEqual([failedStep.level, failedStep.outcome, failedStep.error], ["error", "failed", { name: "ServiceUnavailable", message: "Service Unavailable" }]);
            assert.equal(logsOf(h, "finished")[0].outcome, "failed");
        });

        it("a failed describe of the node group still notifies and rethrows", async () => {
            const missing = Object.assign(new Error(`No node group found for name: ${NODEGROUP_NAME}.`), { name: "ResourceNotFoundException" });
            h.eks.on(DescribeNodegroupCommand).rejects(missing);

            assert.equal(await thrownBy(() => h.run(alarmEvent())), missing);
            assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
            assert.equal(published(h).Subject, SUBJECTS.failed);
        });

        it("a failed notification after successful steps fails the invocation; a retry then changes nothing", async () => {
            const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottledException" });
            h.sns.on(PublishCommand).rejectsOnce(throttled).resolves({ MessageId: "retry-1" });

            assert.equal(await thrownBy(() => h.run(alarmEvent())), throttled);
            assert.equal(changingCalls(h), 2);
            // No forget() here: resetting the history would also re-arm rejectsOnce.
            const retry = await h.run(alarmEvent());

            assert.equal(changingCalls(h), 2, "the retry promoted and scaled nothing more");
            assert.deepEqual(retry.steps.map(s => s.outcome), ["skipped", "skipped", "done"]);
            assert.equal(h.sns.commandCalls(PublishCommand).length, 2);
        });

        it("several failures are thrown together, naming each step", async () => {
            h.rds.on(DescribeDBInstancesCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
            h.sns.on(PublishCommand).rejects(Object.assign(new Error("Key disabled"), { name: "KMSDisabledException" }));

            const error = await thrownBy(() => h.run(alarmEvent()));

            assert.ok(error instanceof AggregateError);
            assert.equal(error.message, "2 failover steps failed: promote-replica (Throttling: Rate exceeded); notify (KMSDisabledException: Key disabled)");
            assert.deepEqual(error.errors.map((e: Error) => e.name), ["Throttling", "KMSDisabledException"]);
        });
    });

    describe("the exported handler (production path)", () => {
        const saved = { ...process.env };
        afterEach(() => {
            for (const key of Object.keys(ENV)) delete process.env[key];
            Object.assign(process.env, saved);
        });

        it("reads process.env, makes SDK clients for the configured regions and writes JSON lines to stdout", async () => {
            h = harness();
            Object.assign(process.env, ENV);
            const lines: string[] = [];
            const write = process.stdout.write;
            process.stdout.write = ((chunk: string) => (lines.push(chunk), true)) as typeof process.stdout.write;
            let result;
            try {
                result = await handler(alarmEvent());
            } finally {
                process.stdout.write = write;
            }

            assert.deepEqual(result.steps.map(s => s.outcome), ["done", "done", "done"]);
            assert.equal(await (h.rds.commandCalls(PromoteReadReplicaCommand)[0].thisValue as RDSClient).config.region(), "ap-northeast-1");
            assert.equal(await (h.eks.commandCalls(UpdateNodegroupConfigCommand)[0].thisValue as EKSClient).config.region(), "ap-northeast-1");
            assert.equal(await (h.sns.commandCalls(PublishCommand)[0].thisValue as SNSClient).config.region(), "us-east-1");
            assert.ok(lines.length >= 5);
            for (const line of lines) {
                assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"), "one record per line");
                assert.equal(typeof (JSON.parse(line) as { event?: unknown }).event, "string");
            }
        });
    });
});
