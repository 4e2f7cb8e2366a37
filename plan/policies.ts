import { DeclaredResource } from "./runOffline";

/** A policy as the plan reports it. */
export interface EvaluatedPolicy {
    readonly name: string;
    readonly enforcementLevel: string;
}

/** One policy violation, with the resource it concerns when it concerns one. */
export interface PlanViolation {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly message: string;
    readonly resource?: { readonly type: string; readonly name: string; readonly urn: string };
}

/** Runs policies over declared resources; the pack's offline evaluator has this shape. */
export type PolicyEvaluator = (
    resources: DeclaredResource[],
    policyConfig: Record<string, unknown> | undefined,
) => Promise<{ policies: EvaluatedPolicy[]; violations: PlanViolation[] }>;

/** True when a violation blocks a deployment (`pulumi preview` fails on these). */
export function isMandatory(violation: PlanViolation): boolean {
    return violation.enforcementLevel === "mandatory";
}
