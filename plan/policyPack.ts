import { evaluatePolicies } from "../policies/evaluate";
import { PolicyEvaluator } from "./policies";

/**
 * The policy pack's own offline evaluator, the same policy objects `pulumi preview --policy-pack
 * policies` runs, adapted to the plan. Throws the pack's PolicyConfigError for a bad policy config.
 */
export function loadPolicyEvaluator(): PolicyEvaluator {
    return async (resources, policyConfig) => {
        const evaluation = await evaluatePolicies(resources, { policyConfig: policyConfig ?? {} });
        return {
            policies: evaluation.policies.map(({ name, enforcementLevel }) => ({ name, enforcementLevel })),
            violations: evaluation.violations.map(({ policy, enforcementLevel, message, resource }) => ({ policy, enforcementLevel, message, resource })),
        };
    };
}
