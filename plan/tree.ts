import { regionOf } from "./cost/estimate";
import { DeclaredResource } from "./runOffline";

/** A resource and what it parents. */
export interface TreeNode {
    readonly resource: DeclaredResource;
    readonly children: TreeNode[];
}

/** Arranges resources under their parents; the stack is the root. Orphans hang off the root. */
export function buildTree(resources: DeclaredResource[]): TreeNode {
    const nodes = new Map(resources.map(resource => [resource.urn, { resource, children: [] as TreeNode[] }]));
    const root = resources.find(r => r.type === "pulumi:pulumi:Stack");
    if (!root) {
        throw new Error("no stack resource among the declared resources");
    }
    const rootNode = nodes.get(root.urn)!;
    for (const node of nodes.values()) {
        if (node === rootNode) {
            continue;
        }
        const parent = node.resource.parentUrn ? nodes.get(node.resource.parentUrn) : undefined;
        (parent ?? rootNode).children.push(node);
    }
    return rootNode;
}

/** Counts of custom resources by type, most frequent first. */
export function countByType(resources: DeclaredResource[]): { type: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const r of resources.filter(isCloudResource)) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** Counts of custom resources by region or location ("global" for IAM, Route 53 and the like). */
export function countByRegion(resources: DeclaredResource[]): { region: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const r of resources.filter(isCloudResource)) {
        const region = regionOf(r) ?? "global";
        counts.set(region, (counts.get(region) ?? 0) + 1);
    }
    return [...counts].map(([region, count]) => ({ region, count })).sort((a, b) => b.count - a.count);
}

/** True for resources the clouds would hold (not components, not the stack). */
export function isCloudResource(r: DeclaredResource): boolean {
    return r.custom && !r.type.startsWith("pulumi:");
}

/** Renders the tree with box-drawing branches: `name  type  [region]`, components with their resource count. */
export function renderTree(root: TreeNode): string[] {
    const lines: string[] = [`${root.resource.name}  (${countCustom(root)} resources)`];
    const walk = (node: TreeNode, prefix: string) => {
        node.children.forEach((child, index) => {
            const last = index === node.children.length - 1;
            const r = child.resource;
            const region = regionOf(r);
            const label = r.custom
                ? `${r.name}  ${r.type}${region ? `  [${region}]` : ""}${r.protect ? "  protected" : ""}`
                : `${r.name}  ${r.type}  (${countCustom(child)})`;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${label}`);
            walk(child, `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(root, "");
    return lines;
}

function countCustom(node: TreeNode): number {
    return node.children.reduce((sum, child) => sum + (isCloudResource(child.resource) ? 1 : 0) + countCustom(child), 0);
}
