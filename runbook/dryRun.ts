import { diffPlans, PlanDiff } from "../plan/diff";
import { makePlan } from "../plan/plan";
import { loadPolicyEvaluator } from "../plan/policyPack";
import { diffText } from "../plan/report";
import { RunbookContext } from "./context";

/** Offline plan diff of `Pulumi.<stack>.yaml` with `change` on top: resources added, removed, changed, and the cost. */
export async function infrastructureDiff(stack: string, change: Record<string, string>): Promise<PlanDiff> {
    const evaluate = loadPolicyEvaluator();
    const before = await makePlan({ stack }, evaluate);
    const after = await makePlan({ stack, sets: change }, evaluate);
    return diffPlans(before, after, change);
}

/** Prints the numbered steps a command would take. */
export function printSteps(ctx: Pick<RunbookContext, "print">, steps: readonly string[]): void {
    ctx.print("Steps it would take:");
    steps.forEach((step, index) => ctx.print(`  ${index + 1}. ${step}`));
}

/**
 * Shows, offline, what a config change would do to the stack as its stack file describes it:
 * resources added, removed and changed, the cost, and the steps the command would take.
 */
export async function showDryRun(ctx: RunbookContext, change: Record<string, string>, steps: string[]): Promise<void> {
    ctx.timeline.log("dry run", "info", `offline plan of Pulumi.${ctx.stack}.yaml with ${Object.entries(change).map(([k, v]) => `${k}=${v}`).join(" ")}; nothing is changed`);
    ctx.print(diffText(await infrastructureDiff(ctx.stack, change)));
    printSteps(ctx, steps);
}
