import * as path from "path";
import { PROJECT } from "../config/defaults";
import { WorkloadSiteName } from "../lib/workloadSite";
import { REPO_ROOT } from "../plan/stackFiles";
import { WORKLOADS_PROJECT } from "../workloads/config";

/** The two Pulumi projects the runbook drives: the infrastructure (repository root) and the workloads (`workloads/`). */
export type DrProject = "infrastructure" | "workloads";

/** A project's name (its config namespace) and the folder holding its Pulumi.yaml. */
export interface ProjectInfo {
    readonly name: string;
    readonly workDir: string;
}

/** Where each project lives. */
export const DR_PROJECTS: Readonly<Record<DrProject, ProjectInfo>> = {
    infrastructure: { name: PROJECT, workDir: REPO_ROOT },
    workloads: { name: WORKLOADS_PROJECT, workDir: path.join(REPO_ROOT, "workloads") },
};

/** The sites a strategy has workloads on: warm standby runs both clusters, the pilot light only Seoul's. */
export function workloadSitesOf(strategy: "warm-standby" | "pilot-light"): WorkloadSiteName[] {
    return strategy === "warm-standby" ? ["primary", "standby"] : ["primary"];
}

/** The workloads stack per site that a command on an infrastructure stack drives. */
export type WorkloadsStackNames = Readonly<Record<WorkloadSiteName, string>>;

const SITES: readonly WorkloadSiteName[] = ["primary", "standby"];
// A stack name, optionally qualified with organization and project as the Pulumi CLI accepts it.
const STACK_NAME = /^[\w.-]+(\/[\w.-]+){0,2}$/;

/**
 * The workloads stack of each site: `<infraStack>-<site>` (the stack files in `workloads/`), or
 * what `--workloads-stack <site>=<name>` says. Throws a {@link RunbookUsageError} naming every
 * malformed or repeated override.
 */
export function workloadsStackNames(infraStack: string, overrides: readonly string[] = []): WorkloadsStackNames {
    const names: Record<WorkloadSiteName, string> = { primary: `${infraStack}-primary`, standby: `${infraStack}-standby` };
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const override of overrides) {
        const match = /^([^=]*)=(.*)$/.exec(override);
        const site = match?.[1] as WorkloadSiteName | undefined;
        if (!match || !SITES.includes(site!) || !STACK_NAME.test(match[2])) {
            problems.push(`"${override}" is not <site>=<stack> with site ${SITES.join(" or ")} and a stack name`);
        } else if (seen.has(site!)) {
            problems.push(`site ${site} is given twice`);
        } else {
            seen.add(site!);
            names[site!] = match[2];
        }
    }
    if (problems.length > 0) {
        throw new RunbookUsageError(`--workloads-stack: ${problems.join("; ")}`);
    }
    return names;
}

/**
 * What is wrong with a workloads stack's config for driving `site` of `infraStack`: it must
 * deploy that site and read that infrastructure stack (`infraStack` is fully qualified,
 * `<org>/multicloud-dr/<stack>`). With `requireImageTag`, an unset `imageTag` (every Deployment
 * at 0 pods) is a problem too: a site about to serve must run something.
 */
export function workloadsStackProblems(
    config: Readonly<Record<string, string>>,
    expected: { readonly site: WorkloadSiteName; readonly infraStack: string; readonly requireImageTag?: boolean },
): string[] {
    const problems: string[] = [];
    if (config.site !== expected.site) {
        problems.push(`${WORKLOADS_PROJECT}:site is ${config.site === undefined ? "not set" : `"${config.site}"`}, expected ${expected.site}`);
    }
    const reference = config.infraStack?.split("/");
    if (reference === undefined) {
        problems.push(`${WORKLOADS_PROJECT}:infraStack is not set`);
    } else if (reference.length !== 3 || reference[1] !== PROJECT || reference[2] !== expected.infraStack) {
        problems.push(`${WORKLOADS_PROJECT}:infraStack is "${config.infraStack}", expected <organization>/${PROJECT}/${expected.infraStack}`);
    }
    if (expected.requireImageTag && !config.imageTag) {
        problems.push(`${WORKLOADS_PROJECT}:imageTag is not set, so every Deployment would run 0 pods; set it to the tag the primary runs`);
    }
    return problems;
}

/** The command line is wrong (exit 2): a malformed option value. */
export class RunbookUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RunbookUsageError";
    }
}
