import { STRATEGIES, Strategy } from "../config/types";
import { PROJECT } from "../config/defaults";
import { WorkloadSiteName } from "../lib/workloadSite";
import { stackFileConfig } from "../plan/stackFiles";
import { WORKLOADS_PROJECT } from "./config";
import { componentName } from "./program";

/** Organization of every stack in a self-managed backend (S3, Azure Blob, local file). */
export const SELF_MANAGED_ORGANIZATION = "organization";

/** The AWS sites each strategy deploys workloads to. */
export const STRATEGY_SITES: Readonly<Record<Strategy, WorkloadSiteName[]>> = {
    "warm-standby": ["primary", "standby"],
    "pilot-light": ["primary"],
};

/** Workloads stack of one site of an infrastructure stack: `warm-standby` + `standby` -> `warm-standby-standby`. */
export function workloadsStackName(infraStack: string, site: WorkloadSiteName): string {
    return `${infraStack}-${site}`;
}

/** URN of the component that held a site's workloads in the infrastructure stack (its children move with it). */
export function legacyComponentUrn(infraStack: string, site: WorkloadSiteName): string {
    return `urn:pulumi:${infraStack}::${PROJECT}::dr:k8s:ServiceWorkloads::${componentName(site)}`;
}

/**
 * The URN a resource gets when `pulumi state move` takes it from the infrastructure stack to a
 * workloads stack: stack and project renamed, type chain and name kept.
 */
export function movedUrn(urn: string, workloadsStack: string): string {
    const match = /^urn:pulumi:[^:]+::[^:]+::(.+)$/.exec(urn);
    if (!match) {
        throw new Error(`not a URN: ${urn}`);
    }
    return `urn:pulumi:${workloadsStack}::${WORKLOADS_PROJECT}::${match[1]}`;
}

/** The site a legacy workloads URN belongs to, by its component name (`primary-app*`, `standby-app*`). */
export function siteOfLegacyUrn(urn: string): WorkloadSiteName {
    const name = urn.split("::").pop() ?? "";
    const site = (["primary", "standby"] as const).find(candidate => name === componentName(candidate) || name.startsWith(`${componentName(candidate)}-`));
    if (!site) {
        throw new Error(`${urn} is not a workloads resource of the infrastructure program`);
    }
    return site;
}

/** The sites of an infrastructure stack, from its stack file's strategy. */
export function sitesOfInfraStack(infraStack: string): WorkloadSiteName[] {
    const strategy = stackFileConfig(infraStack)[`${PROJECT}:strategy`];
    if (typeof strategy !== "string" || !(STRATEGIES as readonly string[]).includes(strategy)) {
        throw new Error(`Pulumi.${infraStack}.yaml has no known ${PROJECT}:strategy (${STRATEGIES.join(", ")})`);
    }
    return STRATEGY_SITES[strategy as Strategy];
}

/** The image tag the infrastructure stack deployed: its stack file's `imageTag`, default `latest`. */
export function legacyImageTag(infraStack: string): string {
    const tag = stackFileConfig(infraStack)[`${PROJECT}:imageTag`];
    return typeof tag === "string" && tag !== "" ? tag : LEGACY_DEFAULT_IMAGE_TAG;
}

/** The infrastructure program's imageTag default before the workloads moved. */
export const LEGACY_DEFAULT_IMAGE_TAG = "latest";

/**
 * Shell commands (run from the repository root) that move one infrastructure stack's workloads
 * into their workloads stacks without deleting anything. Only the components are named: `pulumi
 * state move` takes their children, the Kubernetes provider included, and re-parents each
 * component on the destination's root stack. It must run before the infrastructure stack's first
 * `pulumi up` with the new code, which would otherwise delete the workloads.
 */
export function migrationCommands(infraStack: string, sites: readonly WorkloadSiteName[], imageTag: string, organization = SELF_MANAGED_ORGANIZATION): string[] {
    const source = `${organization}/${PROJECT}/${infraStack}`;
    const commands: string[] = [
        `# Move ${infraStack}'s workloads to ${sites.map(site => workloadsStackName(infraStack, site)).join(" and ")} (Pulumi CLI >= 3.120).`,
        "# Run before any `pulumi up` of the infrastructure with this version: it no longer declares the workloads.",
    ];
    for (const site of sites) {
        const dest = workloadsStackName(infraStack, site);
        commands.push(
            `pulumi -C workloads stack init ${dest}`,
            `pulumi -C workloads state move --source ${source} --dest ${dest} --yes '${legacyComponentUrn(infraStack, site)}'`,
            "# The tag the site runs today: while imageTag is unset the workloads scale to 0.",
            `pulumi -C workloads config set -s ${dest} imageTag ${imageTag}`,
        );
    }
    commands.push(
        "# Then deploy the infrastructure (load balancers, roles, the workloadSites output; no Kubernetes resource),",
        `pulumi up -s ${infraStack}`,
        "# and check each site: updates and creations (ServiceAccount, bindings, controller), no replacement.",
    );
    for (const site of sites) {
        commands.push(`pulumi -C workloads preview -s ${workloadsStackName(infraStack, site)} --diff`);
    }
    return commands;
}

function main(argv: string[]): void {
    const [infraStack, organization] = argv;
    if (!infraStack) {
        console.error("usage: ts-node workloads/migrate.ts <infrastructure stack, e.g. warm-standby> [organization]");
        process.exit(2);
    }
    console.log(migrationCommands(infraStack, sitesOfInfraStack(infraStack), legacyImageTag(infraStack), organization).join("\n"));
}

if (require.main === module) {
    main(process.argv.slice(2));
}
