import { parseConfig } from "../config";
import { DrConfig } from "../config/types";
import { defineStack } from "../program";
import { CostEstimate, estimateCost } from "./cost/estimate";
import { ImpliedObjectives, impliedObjectives } from "./objectives";
import { EvaluatedPolicy, PlanViolation, PolicyEvaluator } from "./policies";
import { DeclaredResource, runProgram } from "./runOffline";
import { projectValues, stackFileConfig } from "./stackFiles";

/** What to plan. */
export interface PlanRequest {
    readonly stack: string;
    /** Config overrides (`key=value`), keys without namespace belong to this project. */
    readonly sets?: Record<string, string>;
    /** The same JSON format as `pulumi preview --policy-pack-config`. */
    readonly policyConfig?: Record<string, unknown>;
}

/** Everything an offline plan learns about a stack. */
export interface Plan {
    readonly stack: string;
    readonly sets: Record<string, string>;
    readonly config: DrConfig;
    readonly resources: DeclaredResource[];
    readonly policies: EvaluatedPolicy[];
    readonly violations: PlanViolation[];
    readonly cost: CostEstimate;
    readonly objectives: ImpliedObjectives;
}

/**
 * Runs the real program for `stack` under Pulumi's mock runtime with the stack file's config
 * (secure values replaced by placeholders, `sets` on top), then evaluates policies, cost and
 * recovery objectives. Throws UnknownStackError, ConfigError when the config is invalid, or
 * ProgramFailure when the program fails otherwise.
 */
export async function makePlan(request: PlanRequest, evaluate: PolicyEvaluator): Promise<Plan> {
    const sets = request.sets ?? {};
    const config = { ...stackFileConfig(request.stack), ...namespaced(sets) };
    // Validate first: a rejected config then fails here, cleanly, before the runtime starts.
    const parsed = checkPlanConfig(request);
    const run = await runProgram(defineStack, config, request.stack);
    const { policies, violations } = await evaluate(run.resources, request.policyConfig);
    return {
        stack: request.stack,
        sets,
        config: parsed,
        resources: run.resources,
        policies,
        violations,
        cost: estimateCost(run.resources),
        objectives: impliedObjectives(parsed, run.resources),
    };
}

/** Parses the stack file with `request.sets` applied; throws the ConfigError naming every bad key. */
export function checkPlanConfig(request: Pick<PlanRequest, "stack" | "sets">): ReturnType<typeof parseConfig> {
    return parseConfig(projectValues({ ...stackFileConfig(request.stack), ...namespaced(request.sets ?? {}) }));
}

function namespaced(sets: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(sets).map(([key, value]) => [key.includes(":") ? key : `multicloud-dr:${key}`, value]));
}
