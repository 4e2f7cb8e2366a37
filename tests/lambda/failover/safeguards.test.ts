import { strict as assert } from "node:assert";
import { DeleteItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { UpdateNodegroupConfigCommand } from "@aws-sdk/client-eks";
import { PromoteReadReplicaCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import { PublishCommand } from "@aws-sdk/client-sns";
import { DEFAULT_LOCK_SECONDS } from "../../../lambda/failover/config";
import { judgeObservations, ROUTE53_HEALTHY_PERCENT } from "../../../lambda/failover/healthCheck";
import { FAILOVER_LOCK_ID } from "../../../lambda/failover/lock";
import { SUBJECTS } from "../../../lambda/failover/message";
import {
    alarmEvent, ENV, FAILURE_STATUS, harness, Harness, HEALTH_CHECK_ID, LOCK_TABLE, logsOf, observations, START, thrownBy, TOPIC_ARN,
} from "./fixtures";

const ALARM_LINE = `The primary health alarm "dr-dns-primary-down-5e1c2a7" is in ALARM since 2025-03-14T02:17:09.213+0000: ` +
    "Threshold Crossed: 1 datapoint [0.0 (14/03/25 02:16:00)] was less than the threshold (1.0).";
const RECONCILE = [
    "    npm run dr -- failover --stack warm-standby",
    "  (it runs `pulumi config set failover true` on the stack and `pulumi up`, which promotes and",
    "  scales whatever is not done yet and changes nothing that already is).",
];
const EVENT_LINE = "EventBridge event: c4c1c1c9-6542-e61b-6ef0-8c4d36933a92";
const START_SECONDS = Math.floor(START / 1000);

function changingCalls(h: Harness): number {
    return h.rds.commandCalls(PromoteReadReplicaCommand).length + h.eks.commandCalls(UpdateNodegroupConfigCommand).length;
}

function notices(h: Harness): { Subject?: string; Message?: string }[] {
    return h.sns.commandCalls(PublishCommand).map(call => call.args[0].input);
}

describe("failover Lambda: Route 53 must confirm the outage", () => {
    let h: Harness;
    afterEach(() => h.restore());

    it("asks Route 53 (us-east-1) about the primary's health check before it changes anything", async () => {
        h = harness();
        await h.run(alarmEvent());

        assert.deepEqual(h.route53.commandCalls(GetHealthCheckStatusCommand).map(c => c.args[0].input), [{ HealthCheckId: HEALTH_CHECK_ID }]);
        assert.deepEqual(h.regions.route53, ["us-east-1"]);
        const order = h.logs.map(l => l.event).filter(e => ["lock-taken", "route53-status", "step", "lock-released"].includes(String(e)));
        assert.deepEqual(order, ["lock-taken", "route53-status", "step", "step", "step", "lock-released"]);
    });

    it("alarm fired but Route 53 reports the primary healthy: no promotion, no scaling, people are told why", async () => {
        h = harness();
        h.world.checkers = observations(2, 14);

        const result = await h.run(alarmEvent());

        assert.equal(result.action, "not-confirmed");
        assert.equal(result.reason, "Route 53 reports the primary healthy (2 of 16 checkers report Failure, 14 Success); not failing over");
        assert.equal(h.rds.calls().length + h.eks.calls().length, 0, "neither RDS nor EKS is even described");
        assert.deepEqual(notices(h), [{
            TopicArn: TOPIC_ARN,
            Subject: SUBJECTS.notConfirmed,
            Message: [
                ALARM_LINE,
                "The alarm fired but Route 53 reports the primary healthy; not failing over.",
                `Route 53 health check ${HEALTH_CHECK_ID}: 2 of 16 checkers report Failure, 14 Success.`,
                "A failover needs at least 82% of the checkers to report Failure: Route 53 keeps routing to",
                "the primary while more than 18% report it healthy. Nothing was changed.",
                "",
                "This alarm will not trigger another attempt until it returns to OK and fires again.",
                "If the primary is in fact down, fail over by hand:",
                ...RECONCILE,
                "",
                EVENT_LINE,
            ].join("\n"),
        }]);
        assert.deepEqual(logsOf(h, "route53-status")[0].down, false);
        assert.equal(h.world.lock, undefined, "the lock is released");
    });

    it("promotes when the checkers confirm, at Route 53's own line and not below it", async () => {
        h = harness();
        h.world.checkers = observations(14, 2);
        const confirmed = await h.run(alarmEvent());
        assert.equal(confirmed.action, "failed-over");
        assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
        assert.match(notices(h)[0].Message ?? "", /Route 53 confirms the primary is down \(health check [0-9a-f-]+\): 14 of 16 checkers report Failure, 2 Success\./);
        h.restore();

        h = harness();
        h.world.checkers = observations(13, 3);
        assert.equal((await h.run(alarmEvent())).action, "not-confirmed", "13 of 16 (81%) leaves more than 18% healthy");
        assert.equal(changingCalls(h), 0);
    });

    it("does not fail over when Route 53 has no observation at all", async () => {
        h = harness();
        h.world.checkers = [];
        const result = await h.run(alarmEvent());
        assert.equal(result.action, "not-confirmed");
        assert.match(result.reason ?? "", /no checker reported a status/);
        assert.equal(changingCalls(h), 0);
    });

    it("a failed status read changes nothing, tells people, releases the lock and fails so Lambda retries", async () => {
        h = harness();
        const denied = Object.assign(new Error("User is not authorized to perform: route53:GetHealthCheckStatus"), { name: "AccessDenied" });
        h.route53.on(GetHealthCheckStatusCommand).rejects(denied);

        assert.equal(await thrownBy(() => h.run(alarmEvent())), denied);

        assert.equal(h.rds.calls().length + h.eks.calls().length, 0);
        const [notice] = notices(h);
        assert.equal(notice.Subject, SUBJECTS.failed);
        assert.match(notice.Message ?? "", new RegExp(`^Automatic failover did not start: it could not read the status of Route 53 health check ${HEALTH_CHECK_ID}: AccessDenied: User is not authorized`, "m"));
        assert.match(notice.Message ?? "", /^Nothing was changed\./m);
        assert.equal(h.world.lock, undefined);
        assert.deepEqual([logsOf(h, "finished")[0].action, logsOf(h, "finished")[0].outcome], ["aborted", "failed"]);
    });

    describe("the rule", () => {
        it(`counts only "Failure..." statuses and confirms when at most ${ROUTE53_HEALTHY_PERCENT}% of checkers say anything else`, () => {
            assert.equal(judgeObservations(observations(82, 18)).down, true);
            assert.equal(judgeObservations(observations(81, 19)).down, false);
            assert.equal(judgeObservations(observations(82, 0, 18)).down, true);
            assert.equal(judgeObservations(observations(81, 0, 19)).down, false, "a status that is neither Success nor Failure never counts towards a failover");
            assert.equal(judgeObservations(observations(1)).down, true);
            assert.equal(judgeObservations([]).down, false);
        });

        it("describes the count and quotes at most three failing checkers", () => {
            const verdict = judgeObservations(observations(5, 1, 1));
            assert.equal(verdict.detail, "5 of 7 checkers report Failure, 1 Success, 1 neither");
            assert.deepEqual(verdict.failures, [
                `us-east-1 15.177.0.10: ${FAILURE_STATUS}`,
                `us-west-1 15.177.1.10: ${FAILURE_STATUS}`,
                `us-west-2 15.177.2.10: ${FAILURE_STATUS}`,
            ]);
        });
    });
});

describe("failover Lambda: one run at a time", () => {
    let h: Harness;
    afterEach(() => h.restore());

    it("takes the lock with a conditional put that only an absent or expired lock lets through", async () => {
        h = harness();
        await h.run(alarmEvent());

        const [put] = h.dynamodb.commandCalls(PutItemCommand).map(c => c.args[0].input);
        const taken = Number(put.ExpressionAttributeValues?.[":now"]?.N);
        assert.ok(taken >= START_SECONDS && taken <= START_SECONDS + 1);
        assert.deepEqual(put, {
            TableName: LOCK_TABLE,
            Item: {
                lockId: { S: FAILOVER_LOCK_ID },
                ownerId: { S: "run-1" },
                expiresAt: { N: String(taken + DEFAULT_LOCK_SECONDS) },
                acquiredAt: { S: put.Item?.acquiredAt?.S },
                eventId: { S: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92" },
            },
            ConditionExpression: "attribute_not_exists(#lockId) OR #expiresAt < :now",
            ExpressionAttributeNames: { "#lockId": "lockId", "#expiresAt": "expiresAt" },
            ExpressionAttributeValues: { ":now": { N: String(taken) } },
        });
        assert.match(put.Item?.acquiredAt?.S ?? "", /^2025-03-14T02:17:30\.\d{3}Z$/);
        assert.deepEqual(h.regions.dynamodb, ["ap-northeast-1"]);
    });

    it("releases the lock after the run, deleting it only if it is still this run's", async () => {
        h = harness();
        const result = await h.run(alarmEvent());

        assert.equal(result.action, "failed-over");
        assert.equal(h.world.lock, undefined);
        assert.deepEqual(h.dynamodb.commandCalls(DeleteItemCommand).map(c => c.args[0].input), [{
            TableName: LOCK_TABLE,
            Key: { lockId: { S: FAILOVER_LOCK_ID } },
            ConditionExpression: "#ownerId = :owner",
            ExpressionAttributeNames: { "#ownerId": "ownerId" },
            ExpressionAttributeValues: { ":owner": { S: "run-1" } },
        }]);
        assert.deepEqual(logsOf(h, "lock-released").map(l => l.ownerId), ["run-1"]);
    });

    it("releases the lock even when a step failed and the invocation fails", async () => {
        h = harness();
        h.rds.on(PromoteReadReplicaCommand).rejects(Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" }));

        await thrownBy(() => h.run(alarmEvent()));

        assert.equal(h.world.lock, undefined);
        assert.equal(h.dynamodb.commandCalls(DeleteItemCommand).length, 1);
    });

    it("a run that finds the lock held does nothing at all and says so in its log", async () => {
        h = harness();
        h.world.lock = { ownerId: "other-run", expiresAt: START_SECONDS + 100 };

        const result = await h.run(alarmEvent());

        assert.equal(result.action, "locked");
        assert.equal(result.reason, `another run holds the failover lock in table "${LOCK_TABLE}" (a lock lapses 150 s after it was taken if its run never releases it)`);
        assert.deepEqual(result.steps, []);
        assert.equal(h.route53.calls().length + h.rds.calls().length + h.eks.calls().length + h.sns.calls().length, 0);
        assert.equal(h.dynamodb.commandCalls(DeleteItemCommand).length, 0, "it does not release a lock it does not hold");
        assert.deepEqual(h.world.lock, { ownerId: "other-run", expiresAt: START_SECONDS + 100 });
        assert.deepEqual(logsOf(h, "locked").map(l => l.level), ["info"]);
    });

    it("takes over the lock of a run that crashed once it has expired", async () => {
        h = harness();
        h.world.lock = { ownerId: "crashed-run", expiresAt: START_SECONDS - 1 };

        const result = await h.run(alarmEvent());

        assert.equal(result.action, "failed-over");
        assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
        assert.equal(h.world.lock, undefined, "taken, then released");
    });

    it("of two concurrent alarms, exactly one promotes, scales and notifies", async () => {
        h = harness();
        const [first, second] = await Promise.all([h.run(alarmEvent()), h.run(alarmEvent())]);

        assert.deepEqual([first.action, second.action].sort(), ["failed-over", "locked"]);
        assert.equal(h.rds.commandCalls(PromoteReadReplicaCommand).length, 1);
        assert.equal(h.eks.commandCalls(UpdateNodegroupConfigCommand).length, 1);
        assert.equal(h.route53.commandCalls(GetHealthCheckStatusCommand).length, 1);
        assert.equal(notices(h).length, 1);
        assert.equal(h.world.lock, undefined);
    });

    it("a later alarm after a finished run takes the lock again and changes nothing (idempotent)", async () => {
        h = harness();
        await h.run(alarmEvent());
        h.forget();

        const again = await h.run(alarmEvent());

        assert.equal(again.action, "failed-over");
        assert.equal(changingCalls(h), 0);
        assert.deepEqual(again.steps.map(s => s.outcome), ["skipped", "skipped", "done"]);
    });

    it("cannot take the lock (table missing, access denied): changes nothing, tells people and fails so Lambda retries", async () => {
        h = harness();
        const missing = Object.assign(new Error("Requested resource not found"), { name: "ResourceNotFoundException" });
        h.dynamodb.on(PutItemCommand).rejects(missing);

        assert.equal(await thrownBy(() => h.run(alarmEvent())), missing);

        assert.equal(h.route53.calls().length + h.rds.calls().length + h.eks.calls().length, 0);
        const [notice] = notices(h);
        assert.equal(notice.Subject, SUBJECTS.failed);
        assert.equal(notice.Message, [
            ALARM_LINE,
            `Automatic failover did not start: it could not take the failover lock in DynamoDB table "${LOCK_TABLE}": ResourceNotFoundException: Requested resource not found`,
            "Nothing was changed. Lambda retries the invocation (after 1 and then 2 more minutes), but do not",
            "wait: check the primary and, if it is down, fail over with:",
            ...RECONCILE,
            "",
            EVENT_LINE,
        ].join("\n"));
        assert.deepEqual(logsOf(h, "precheck-failed").map(l => l.level), ["error"]);
    });

    it("a run that outlived its lock does not delete the lock another run took", async () => {
        h = harness();
        h.route53.on(GetHealthCheckStatusCommand).callsFake(() => {
            h.world.lock = { ownerId: "later-run", expiresAt: START_SECONDS + 400 };
            return { HealthCheckObservations: observations(16) };
        });

        const result = await h.run(alarmEvent());

        assert.equal(result.action, "failed-over");
        assert.deepEqual(h.world.lock, { ownerId: "later-run", expiresAt: START_SECONDS + 400 });
        assert.deepEqual(logsOf(h, "lock-lost").map(l => l.level), ["error"]);
    });

    it("a failed release does not fail a run that did its work: the lock lapses by itself", async () => {
        h = harness();
        h.dynamodb.on(DeleteItemCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));

        const result = await h.run(alarmEvent());

        assert.equal(result.action, "failed-over");
        assert.deepEqual(logsOf(h, "lock-release-failed").map(l => l.error), [{ name: "ThrottlingException", message: "Rate exceeded" }]);
    });

    it("with ENABLE_AUTO_FAILOVER off it neither locks nor asks Route 53: it only notifies", async () => {
        h = harness();
        const result = await h.run(alarmEvent(), { ...ENV, ENABLE_AUTO_FAILOVER: "false" });

        assert.equal(result.action, "notified");
        assert.equal(h.dynamodb.calls().length + h.route53.calls().length, 0);
    });
});
