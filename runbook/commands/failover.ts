import { parseConfig } from "../../config";
import { PlanDiff } from "../../plan/diff";
import { diffText } from "../../plan/report";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";
import { DECLINED, DR_EXIT_OK, RunbookContext, RunbookRefusal } from "../context";
import { infrastructureDiff, printSteps } from "../dryRun";
import { DR_PROJECTS } from "../projects";
import { resourceDiffLines } from "../resourceDiff";
import { workloadsDryRun, WorkloadsDryRun } from "../workloadsDryRun";
import { openCheckedWorkloads, upWorkloads } from "../workloadsStep";
import { useStsAwayFromPrimary } from "./stsRegion";

/** The config change failover makes to the infrastructure stack. */
const FAILOVER_CHANGE = { failover: "true" };

/** Why Seoul's workloads stack is left alone during a failover; printed on the timeline and in the dry run. */
export const PRIMARY_UNTOUCHED = "not touched during a failover: Seoul's cluster may be unreachable; failback brings it back";

/** The ordered steps of a warm-standby failover across both projects, each prefixed with its project and stack. */
export function failoverSteps(ctx: Pick<RunbookContext, "stack" | "workloadsStacks">): string[] {
    const infra = `[${DR_PROJECTS.infrastructure.name} ${ctx.stack}]`;
    const standby = `[${DR_PROJECTS.workloads.name} ${ctx.workloadsStacks.standby}]`;
    const primary = `[${DR_PROJECTS.workloads.name} ${ctx.workloadsStacks.primary}]`;
    return [
        `${infra} check the strategy; ${standby} check the stack exists, deploys the standby site of ${ctx.stack} and has an imageTag (refuse before anything changes)`,
        "confirm with the operator (promotion cannot be undone)",
        `${infra} pulumi config set failover true; pulumi config set aws:stsRegion <standby region> (credential checks must not need Seoul)`,
        `${infra} pulumi up: promote the Tokyo replica in place (Multi-AZ), grow Tokyo's node group, export Tokyo's site as active`,
        `${infra} verify: standbyDatabaseRole is promoted, activeRegion is Tokyo, workloadSites.standby is active`,
        `${standby} pulumi up: Tokyo's pods active and full-size, DB_READ_ONLY=false`,
        `${standby} verify: the workloads stack reports role active`,
        `${primary} ${PRIMARY_UNTOUCHED}`,
    ];
}

/**
 * Warm-standby failover across both projects: the infrastructure first (promotion), then the
 * standby site's workloads, never the primary's. Also the reconciliation after an automatic
 * failover: the function promoted the replica, so setting `failover=true` makes the stack agree
 * with reality, and the workloads follow. Everything that can be checked is checked before the
 * promotion, which cannot be undone; after it, running the command again resumes.
 */
export async function failover(ctx: RunbookContext, json = false): Promise<number> {
    if (ctx.dryRun) {
        await failoverDryRun(ctx, json);
        return DR_EXIT_OK;
    }
    const stack = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => stack.getConfig(), c => `strategy ${c.strategy}, failover ${c.failover ?? "false"}`);
    if (config.strategy !== "warm-standby") {
        throw new RunbookRefusal(notWarmStandby(ctx.stack, config.strategy));
    }
    const workloads = await openCheckedWorkloads(ctx, "standby");
    if (config.failover !== "true") {
        const ok = await ctx.confirm(`Promote the Tokyo replica of stack ${ctx.stack} and turn Tokyo's workloads (${workloads.name}) active? The database becomes a standalone primary; this cannot be undone.`);
        if (!ok) {
            ctx.timeline.log("confirm", "skipped", "operator declined; nothing changed");
            return DECLINED;
        }
        await ctx.timeline.step("pulumi config set failover true", () => stack.setConfig("failover", "true"));
    } else {
        ctx.timeline.log("pulumi config set failover true", "skipped", "already set; reconciling");
    }
    await useStsAwayFromPrimary(ctx, stack, config);
    await ctx.timeline.step("pulumi up", () => stack.up(ctx.print), r => r.summary);
    const outputs = await ctx.timeline.step("verify", () => stack.outputs(), o => `standbyDatabaseRole ${o.standbyDatabaseRole}, activeRegion ${o.activeRegion}`);
    if (outputs.standbyDatabaseRole !== "promoted") {
        throw new RunbookRefusal(`after pulumi up the standby database reports ${String(outputs.standbyDatabaseRole)}, not promoted`);
    }
    const exportedRole = standbySiteRole(outputs.workloadSites);
    if (exportedRole !== undefined && exportedRole !== "active") {
        throw new RunbookRefusal(`after pulumi up the infrastructure exports the standby site as ${exportedRole}, not active; the workloads stack ${workloads.name} was not changed`);
    }
    try {
        await upWorkloads(ctx, workloads, "active");
    } catch (error) {
        ctx.timeline.log("resume", "info", `the database is promoted; fix the cause and run \`npm run dr -- failover --stack ${ctx.stack}\` again: it asks nothing, reconciles the infrastructure and retries ${workloads.name}`);
        throw error;
    }
    ctx.timeline.log(`workloads ${ctx.workloadsStacks.primary}`, "skipped", PRIMARY_UNTOUCHED);
    return DR_EXIT_OK;
}

function notWarmStandby(stack: string, strategy: string | undefined): string {
    return `stack ${stack} runs ${strategy}; failover applies to warm-standby (use \`emergency on\` for pilot-light)`;
}

function standbySiteRole(sites: unknown): string | undefined {
    // A secret output reads as "[secret]": nothing to check then.
    const role = (sites as { standby?: { role?: unknown } } | undefined)?.standby?.role;
    return typeof role === "string" ? role : undefined;
}

/** What `failover --dry-run --json` prints. */
export interface FailoverDryRunReport {
    readonly infrastructure: { readonly project: string; readonly stack: string; readonly change: Record<string, string>; readonly diff: PlanDiff };
    readonly workloads: WorkloadsDryRun;
    readonly untouched: { readonly project: string; readonly stack: string; readonly site: "primary"; readonly reason: string };
    readonly steps: string[];
}

async function failoverDryRun(ctx: RunbookContext, json: boolean): Promise<void> {
    const strategy = parseConfig(projectValues(stackFileConfig(ctx.stack))).strategy;
    if (strategy !== "warm-standby") {
        throw new RunbookRefusal(notWarmStandby(ctx.stack, strategy));
    }
    const infraProject = DR_PROJECTS.infrastructure.name;
    ctx.timeline.log("dry run", "info", `offline plans of ${infraProject} (Pulumi.${ctx.stack}.yaml with failover=true), then ${DR_PROJECTS.workloads.name} (workloads/Pulumi.${ctx.workloadsStacks.standby}.yaml); nothing is changed`);
    const diff = await infrastructureDiff(ctx.stack, FAILOVER_CHANGE);
    const workloads = await workloadsDryRun(ctx.workloadsOffline, { infraStack: ctx.stack, workloadsStack: ctx.workloadsStacks.standby, site: "standby", change: FAILOVER_CHANGE });
    const report: FailoverDryRunReport = {
        infrastructure: { project: infraProject, stack: ctx.stack, change: FAILOVER_CHANGE, diff },
        workloads,
        untouched: { project: workloads.project, stack: ctx.workloadsStacks.primary, site: "primary", reason: PRIMARY_UNTOUCHED },
        steps: failoverSteps(ctx),
    };
    if (json) {
        ctx.print(JSON.stringify(report, null, 2));
        return;
    }
    ctx.print(`1) ${infraProject}, stack ${ctx.stack}:`);
    ctx.print(diffText(diff));
    ctx.print("");
    ctx.print(`2) ${workloads.project}, stack ${workloads.stack} (site standby${workloads.roleBefore ? `, role ${workloads.roleBefore} -> ${workloads.roleAfter}` : ""}):`);
    workloads.notes.forEach(note => ctx.print(`  note: ${note}`));
    resourceDiffLines(workloads.diff).forEach(line => ctx.print(line));
    ctx.print("");
    ctx.print(`3) ${report.untouched.project}, stack ${report.untouched.stack} (site primary): ${PRIMARY_UNTOUCHED}`);
    ctx.print("");
    printSteps(ctx, report.steps);
}
