import { diffPlans } from "../plan/diff";
import { makePlan } from "../plan/plan";
import { loadPolicyEvaluator } from "../plan/policyPack";
import { diffText } from "../plan/report";
import { RunbookContext } from "./context";

/**
 * Shows, offline, what a config change would do to the stack as its stack file describes it:
 * resources added, removed and changed, the cost, and the steps the command would take.
 */
export async function showDryRun(ctx: RunbookContext, change: Record<string, string>, steps: string[]): Promise<void> {
    ctx.timeline.log("dry run", "info", `offline plan of Pulumi.${ctx.stack}.yaml with ${Object.entries(change).map(([k, v]) => `${k}=${v}`).join(" ")}; nothing is changed`);
    const evaluate = loadPolicyEvaluator();
    const before = await makePlan({ stack: ctx.stack }, evaluate);
    const after = await makePlan({ stack: ctx.stack, sets: change }, evaluate);
    ctx.print(diffText(diffPlans(before, after, change)));
    ctx.print("Steps it would take:");
    steps.forEach((step, index) => ctx.print(`  ${index + 1}. ${step}`));
}
