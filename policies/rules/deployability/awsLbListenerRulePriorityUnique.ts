import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isKnownString, readKnown, UNKNOWN } from "../../lib/known";
import { identitiesBy, referencedBy } from "../../lib/references";
import { stackResourcesOfType } from "../../lib/typed";
import { ListenerRuleProps, T } from "../../lib/types";

/**
 * The listener a rule belongs to, as a comparable key: the stack's listener it refers to (by the
 * engine's property dependency or its ARN), else the ARN itself (a listener outside the stack).
 * `undefined` when that is unknown at preview.
 */
function listenerKey(rule: PolicyResource, listeners: PolicyResource[]): { key: string; label: string } | undefined {
    const found = referencedBy(rule, "listenerArn", listeners, identitiesBy("arn"));
    if (found === UNKNOWN) {
        return undefined;
    }
    if (found.length > 0) {
        return { key: found[0].urn, label: found[0].name };
    }
    const arn = readKnown(() => (rule.props as ListenerRuleProps).listenerArn);
    return isKnownString(arn) ? { key: arn, label: arn } : undefined;
}

/**
 * No two listener rules of the stack take the same priority on the same listener. ELB refuses the
 * second (`PriorityInUse`) when it creates it, after the preview passed. A rule without a priority
 * (the provider then takes the next free one), or whose listener or priority is unknown at
 * preview, is not compared.
 */
export const awsLbListenerRulePriorityUnique: StackValidationPolicy = {
    name: "aws-lb-listener-rule-priority-unique",
    description: "No two load balancer listener rules with the same listener and priority (a listener can't have multiple rules with the same priority; CreateRule fails with PriorityInUse: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Give every rule of a listener its own priority (1-50000), derived from something stable such as the service's name or position, so that adding a rule does not renumber the others.",
    validateStack: (args, reportViolation) => {
        const rules = stackResourcesOfType(args.resources, T.listenerRule, T.albListenerRule);
        if (rules.length === 0) {
            args.notApplicable("The stack declares no load balancer listener rule");
        }
        const listeners = stackResourcesOfType(args.resources, T.listener, T.albListener);
        const taken = new Map<string, PolicyResource>();
        for (const rule of rules) {
            const priority = readKnown(() => (rule.props as ListenerRuleProps).priority);
            const listener = listenerKey(rule, listeners);
            if (typeof priority !== "number" || listener === undefined) {
                continue;
            }
            const key = JSON.stringify([listener.key, priority]);
            const first = taken.get(key);
            if (first === undefined) {
                taken.set(key, rule);
            } else {
                reportViolation(`listener rules ${first.name} and ${rule.name} both take priority ${priority} on listener ${listener.label}: ELB refuses the second with PriorityInUse; give each rule its own priority`, rule.urn);
            }
        }
    },
};
