import { WorkloadSiteName, WorkloadSiteRole } from "../lib/workloadSite";
import { RunbookContext, RunbookRefusal } from "./context";
import { DR_PROJECTS, workloadsStackProblems } from "./projects";
import { StackOps } from "./stackOps";

/**
 * Opens a site's workloads stack and checks its config against this infrastructure stack: it
 * must deploy `site`, read this stack, and (a site about to serve) have an image tag. Refuses,
 * changing nothing, when the stack cannot be opened or its config points elsewhere.
 */
export async function openCheckedWorkloads(ctx: RunbookContext, site: WorkloadSiteName): Promise<StackOps> {
    const name = ctx.workloadsStacks[site];
    const workloads = await ctx.timeline.step(`open workloads stack ${name}`, () => ctx.openWorkloadsStack(site), () => `project ${DR_PROJECTS.workloads.name}`);
    const config = await ctx.timeline.step(`read workloads stack config ${name}`, () => workloads.getConfig(), c => `site ${c.site}, infraStack ${c.infraStack}, imageTag ${c.imageTag ?? "(unset)"}`);
    const problems = workloadsStackProblems(config, { site, infraStack: ctx.stack, requireImageTag: true });
    if (problems.length > 0) {
        throw new RunbookRefusal(`workloads stack ${name} cannot be used for the ${site} site: ${problems.join("; ")} (pulumi -C workloads config set -s ${name} <key> <value>, or name another stack with --workloads-stack ${site}=<name>)`);
    }
    return workloads;
}

/** `pulumi up` of a workloads stack, then checks the role its outputs report. */
export async function upWorkloads(ctx: RunbookContext, workloads: StackOps, expectedRole: WorkloadSiteRole): Promise<string> {
    const result = await ctx.timeline.step(`workloads ${workloads.name}: pulumi up`, () => workloads.up(ctx.print), r => r.summary);
    const outputs = await ctx.timeline.step(`workloads ${workloads.name}: verify`, () => workloads.outputs(), o => `role ${o.role}, replicas ${o.replicas}, serving ${o.serving}`);
    if (outputs.role !== expectedRole) {
        throw new RunbookRefusal(`after pulumi up the workloads stack ${workloads.name} reports role ${String(outputs.role)}, not ${expectedRole}`);
    }
    return `${workloads.name}: ${result.summary}; role ${expectedRole}`;
}
