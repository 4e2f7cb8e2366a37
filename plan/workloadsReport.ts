import { policiesText, table } from "./report";
import { buildTree, countByType, isCloudResource, renderTree } from "./tree";
import { WorkloadsPlan } from "./workloadsPlan";

/** The machine-readable workloads plan (`--json`). */
export function workloadsPlanJson(plan: WorkloadsPlan): Record<string, unknown> {
    return {
        stack: plan.stack,
        project: plan.project,
        offline: true,
        infraStack: plan.infraStack,
        site: plan.site,
        sets: plan.sets,
        resources: plan.resources.filter(isCloudResource).map(r => ({ type: r.type, name: r.name, parent: r.parentUrn ?? null })),
        policies: plan.policies,
        violations: plan.violations,
    };
}

/** The workloads plan for people: tree, counts and policies; cost and objectives belong to the infrastructure's plan. */
export function workloadsPlanText(plan: WorkloadsPlan): string {
    const cloud = plan.resources.filter(isCloudResource);
    const sets = Object.entries(plan.sets);
    const out: string[] = [];
    out.push(`Offline plan of workloads stack "${plan.stack}" (project ${plan.project}, site ${plan.site}${sets.length ? `, with ${sets.map(([k, v]) => `${k}=${v}`).join(" ")}` : ""})`);
    out.push(`It reads the outputs of the infrastructure stack "${plan.infraStack}", planned offline from Pulumi.${plan.infraStack}.yaml.`);
    out.push("It is not a provider preview: no cluster or cloud was asked. Cost and recovery objectives: `npm run plan -- --stack " + plan.infraStack + "`.");
    out.push("");
    out.push(`Resources: ${cloud.length}`);
    out.push(...renderTree(buildTree(plan.resources)));
    out.push("");
    out.push(table(["type", "count"], countByType(plan.resources).map(c => [c.type, c.count])));
    out.push("");
    out.push(...policiesText(plan.policies, plan.violations));
    return out.join("\n");
}
