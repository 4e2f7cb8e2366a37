import * as assert from "assert";
import { EvaluatedResource } from "../../../../policies/evaluate";
import { awsLbListenerRulePriorityUnique } from "../../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../harness";

const HTTPS_ARN = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/primary-https-f7aff0c/f7aff0c";
const EXTERNAL_ARN = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/shared/0a1b2c3";
const listener = resource("aws:lb/listener:Listener", "primary-https", { port: 443, protocol: "HTTPS" }, { id: HTTPS_ARN, outputs: { port: 443, protocol: "HTTPS", arn: HTTPS_ARN } });
const otherListener = resource("aws:lb/listener:Listener", "standby-https", { port: 443 }, { outputs: { port: 443, arn: HTTPS_ARN.replace("primary", "standby") } });
const team = resource("aws:lb/listenerRule:ListenerRule", "primary-route-team", { listenerArn: HTTPS_ARN, priority: 21613 });
const auth = resource("aws:lb/listenerRule:ListenerRule", "primary-route-auth", { listenerArn: HTTPS_ARN, priority: 27040 });
const standbyTeam = resource("aws:lb/listenerRule:ListenerRule", "standby-route-team", { listenerArn: HTTPS_ARN.replace("primary", "standby"), priority: 21613 });
const compliant = [listener, otherListener, team, auth, standbyTeam];

describe("policy aws-lb-listener-rule-priority-unique", () => {
    it("accepts distinct priorities on a listener, and the same priority on different listeners", async () => {
        assert.deepStrictEqual(await findings(awsLbListenerRulePriorityUnique, compliant), []);
    });

    it("reports two rules of one listener with the same priority", async () => {
        assert.deepStrictEqual(await findings(awsLbListenerRulePriorityUnique, [listener, otherListener, team, changed(auth, { priority: 21613 }), standbyTeam]), [
            "primary-route-auth: listener rules primary-route-team and primary-route-auth both take priority 21613 on listener primary-https: ELB refuses the second with PriorityInUse; give each rule its own priority",
        ]);
    });

    it("compares rules of a listener outside the stack by its ARN", async () => {
        const outside = [changed(team, { listenerArn: EXTERNAL_ARN }), changed(auth, { listenerArn: EXTERNAL_ARN, priority: 21613 })];
        assert.deepStrictEqual(await findings(awsLbListenerRulePriorityUnique, outside), [
            `primary-route-auth: listener rules primary-route-team and primary-route-auth both take priority 21613 on listener ${EXTERNAL_ARN}: ELB refuses the second with PriorityInUse; give each rule its own priority`,
        ]);
    });

    it("joins a rule to its new listener through the engine's property dependency while the ARN is unknown at preview", async () => {
        const pendingListener: EvaluatedResource = { ...listener, id: undefined, outputs: { port: 443, protocol: "HTTPS", arn: UNKNOWN_STRING } };
        const pending = (rule: EvaluatedResource, priority: number): EvaluatedResource => ({ ...changed(rule, { listenerArn: UNKNOWN_STRING, priority }), propertyDependencies: { listenerArn: [listener.urn] } });
        assert.deepStrictEqual(await findings(awsLbListenerRulePriorityUnique, [pendingListener, pending(team, 100), pending(auth, 100)]), [
            "primary-route-auth: listener rules primary-route-team and primary-route-auth both take priority 100 on listener primary-https: ELB refuses the second with PriorityInUse; give each rule its own priority",
        ]);
    });

    it("skips a rule whose listener or priority is unknown at preview, and one without a priority", async () => {
        const unknownListener = changed(auth, { listenerArn: UNKNOWN_STRING, priority: 21613 });
        const unknownPriority = changed(auth, { priority: UNKNOWN_NUMBER });
        const noPriority = changed(auth, { priority: undefined });
        for (const rule of [unknownListener, unknownPriority, noPriority]) {
            assert.deepStrictEqual(await findings(awsLbListenerRulePriorityUnique, [listener, team, rule]), []);
        }
    });

    it("is not applicable without listener rules", async () => {
        const evaluation = await evaluate(awsLbListenerRulePriorityUnique, [listener]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no load balancer listener rule"]);
    });
});
