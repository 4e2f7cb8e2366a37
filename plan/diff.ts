import { regionOf } from "./cost/estimate";
import { isCloudResource } from "./tree";
import { Plan } from "./plan";

/** A resource on one side of a diff. */
export interface DiffEntry {
    readonly type: string;
    readonly name: string;
    readonly region?: string;
}

/** What changing some config does to a stack. */
export interface PlanDiff {
    readonly change: Record<string, string>;
    readonly added: DiffEntry[];
    readonly removed: DiffEntry[];
    /** Resources kept whose inputs change, with the inputs that do. */
    readonly changed: (DiffEntry & { readonly inputs: string[] })[];
    /** Resources that would be deleted although protected: `pulumi up` would stop on them. */
    readonly blockedByProtection: DiffEntry[];
    readonly monthlyUsdBefore: number;
    readonly monthlyUsdAfter: number;
}

/** Compares two plans of the same stack resource by resource (by URN). */
export function diffPlans(before: Plan, after: Plan, change: Record<string, string>): PlanDiff {
    const entry = (r: Plan["resources"][number]): DiffEntry => ({ type: r.type, name: r.name, region: regionOf(r) });
    const beforeByUrn = new Map(before.resources.filter(isCloudResource).map(r => [r.urn, r]));
    const afterByUrn = new Map(after.resources.filter(isCloudResource).map(r => [r.urn, r]));
    const removedResources = [...beforeByUrn.values()].filter(r => !afterByUrn.has(r.urn));
    const changed = [...afterByUrn.values()].flatMap(r => {
        const old = beforeByUrn.get(r.urn);
        if (!old) {
            return [];
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])]
            .filter(key => JSON.stringify(old.inputs[key]) !== JSON.stringify(r.inputs[key]))
            .sort();
        return keys.length > 0 ? [{ ...entry(r), inputs: keys }] : [];
    });
    return {
        change,
        added: [...afterByUrn.values()].filter(r => !beforeByUrn.has(r.urn)).map(entry),
        removed: removedResources.map(entry),
        changed,
        blockedByProtection: removedResources.filter(r => r.protect).map(entry),
        monthlyUsdBefore: before.cost.monthlyUsd,
        monthlyUsdAfter: after.cost.monthlyUsd,
    };
}
