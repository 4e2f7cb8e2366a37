import { PolicyEvaluator } from "./policies";

/**
 * The pack's offline evaluator, adapted to the plan. Wired to `policies/evaluate.ts` once the
 * pack exists; until then the plan refuses to pretend policies passed.
 */
export function loadPolicyEvaluator(): PolicyEvaluator {
    throw new Error("the policy pack's evaluator (policies/evaluate.ts) is not available yet");
}
