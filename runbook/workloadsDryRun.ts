import { WorkloadSiteName } from "../lib/workloadSite";
import { offlineInfraOutputs } from "../plan/offlineInfra";
import { DR_PROJECTS, workloadsStackProblems } from "./projects";
import { diffResources, ResourceDiff } from "./resourceDiff";
import { WorkloadsOffline } from "./workloadsOffline";

/** Image tag a dry run assumes when the workloads stack file sets none, so replica counts show. */
export const DRY_RUN_IMAGE_TAG = "dry-run";

/** What an infrastructure change does to one site's workloads stack, offline. */
export interface WorkloadsDryRun {
    readonly project: string;
    readonly stack: string;
    readonly site: WorkloadSiteName;
    /** The site's role as the workloads stack reads it before and after (`standby` -> `active`). */
    readonly roleBefore?: string;
    readonly roleAfter?: string;
    /** What the offline view assumed or found that the live command treats differently. */
    readonly notes: string[];
    readonly diff: ResourceDiff;
}

/**
 * Runs the workloads program for `workloadsStack` (its stack file in `workloads/`) against the
 * infrastructure's offline outputs before and after `change`, and compares the two runs. Both
 * infrastructure runs and both workloads runs happen one after the other: the mock runtime is
 * process-wide.
 */
export async function workloadsDryRun(
    offline: WorkloadsOffline,
    request: { readonly infraStack: string; readonly workloadsStack: string; readonly site: WorkloadSiteName; readonly change: Record<string, string> },
): Promise<WorkloadsDryRun> {
    const { name: project } = DR_PROJECTS.workloads;
    // A qualified name (org/project/stack) has its stack file under the last part.
    const stackFile = request.workloadsStack.split("/").pop()!;
    const fileConfig = offline.stackConfig(stackFile);
    const values: Record<string, string> = {};
    const notes: string[] = [];
    const config: Record<string, unknown> = { ...fileConfig };
    for (const [key, value] of Object.entries(fileConfig)) {
        if (key.startsWith(`${project}:`)) {
            values[key.slice(project.length + 1)] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    const problems = workloadsStackProblems(values, { site: request.site, infraStack: request.infraStack });
    notes.push(...problems.map(p => `workloads/Pulumi.${stackFile}.yaml: ${p}; the live command refuses until the stack's config is right`));
    if (!values.imageTag) {
        config[`${project}:imageTag`] = DRY_RUN_IMAGE_TAG;
        notes.push(`imageTag is not set in workloads/Pulumi.${stackFile}.yaml: assumed "${DRY_RUN_IMAGE_TAG}" so pod counts show (unset, every Deployment runs 0 pods, and the live command refuses)`);
    }
    const infraBefore = await offlineInfraOutputs(request.infraStack);
    const infraAfter = await offlineInfraOutputs(request.infraStack, request.change);
    const before = await offline.run({ stack: stackFile, config, infraOutputs: infraBefore });
    const after = await offline.run({ stack: stackFile, config, infraOutputs: infraAfter });
    return {
        project,
        stack: request.workloadsStack,
        site: request.site,
        roleBefore: roleOf(before.outputs),
        roleAfter: roleOf(after.outputs),
        notes,
        diff: diffResources(before.resources, after.resources),
    };
}

function roleOf(outputs: unknown): string | undefined {
    const role = (outputs as { role?: unknown } | undefined)?.role;
    return typeof role === "string" ? role : undefined;
}
