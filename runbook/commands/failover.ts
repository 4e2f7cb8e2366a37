import { RunbookContext, RunbookRefusal } from "../context";
import { showDryRun } from "../dryRun";

const STEPS = [
    "confirm with the operator (promotion cannot be undone)",
    "pulumi config set failover true",
    "pulumi up: promote the Tokyo replica in place, grow Tokyo's node group, turn Tokyo's workloads active",
    "verify: standbyDatabaseRole is promoted and activeRegion is Tokyo",
];

/**
 * Warm-standby failover. Also the reconciliation after an automatic failover: the function
 * promoted the replica, so setting `failover=true` makes the stack agree with reality and the
 * next `pulumi up` changes nothing it should not.
 */
export async function failover(ctx: RunbookContext): Promise<void> {
    if (ctx.dryRun) {
        return showDryRun(ctx, { failover: "true" }, STEPS);
    }
    const stack = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => stack.getConfig(), c => `strategy ${c.strategy}, failover ${c.failover ?? "false"}`);
    if (config.strategy !== "warm-standby") {
        throw new RunbookRefusal(`stack ${ctx.stack} runs ${config.strategy}; failover applies to warm-standby (use \`emergency on\` for pilot-light)`);
    }
    if (config.failover !== "true") {
        const ok = await ctx.confirm(`Promote the Tokyo replica of stack ${ctx.stack}? It becomes a standalone primary; this cannot be undone.`);
        if (!ok) {
            ctx.timeline.log("confirm", "skipped", "operator declined; nothing changed");
            return;
        }
        await ctx.timeline.step("pulumi config set failover true", () => stack.setConfig("failover", "true"));
    } else {
        ctx.timeline.log("pulumi config set failover true", "skipped", "already set; reconciling");
    }
    await ctx.timeline.step("pulumi up", () => stack.up(ctx.print), r => r.summary);
    const outputs = await ctx.timeline.step("verify", () => stack.outputs(), o => `standbyDatabaseRole ${o.standbyDatabaseRole}, activeRegion ${o.activeRegion}`);
    if (outputs.standbyDatabaseRole !== "promoted") {
        throw new RunbookRefusal(`after pulumi up the standby database reports ${String(outputs.standbyDatabaseRole)}, not promoted`);
    }
}
