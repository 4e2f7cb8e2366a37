import { DeclaredResource } from "../plan/runOffline";
import { isCloudResource } from "../plan/tree";

/** Stands in for the values of an input that holds a secret. */
export const SECRET = "[secret]";

/** One input value that changes, by its path inside the inputs (`spec.replicas`, `data.ROLE`). */
export interface ValueChange {
    readonly path: string;
    /** Undefined when the value is added or removed. */
    readonly before: unknown;
    readonly after: unknown;
}

/** A resource on one side of a diff. */
export interface ResourceRef {
    readonly type: string;
    readonly name: string;
}

/** Two runs of a program compared value by value, for resources a provider would hold. */
export interface ResourceDiff {
    readonly added: ResourceRef[];
    readonly removed: ResourceRef[];
    readonly changed: (ResourceRef & { readonly changes: ValueChange[] })[];
}

/**
 * Compares two runs of the same program resource by resource (by URN) and, for resources in
 * both, input by input down to the changed values: unlike plan/diff.ts, which names only the
 * top-level inputs, this shows `spec.replicas: 1 -> 2`. Lists whose items all have a string
 * `name` (containers, env) are matched by name, so an inserted item is not a change to the rest.
 * Inputs that hold a secret show as changed, with {@link SECRET} for both values.
 */
export function diffResources(before: readonly DeclaredResource[], after: readonly DeclaredResource[]): ResourceDiff {
    const ref = (r: DeclaredResource): ResourceRef => ({ type: r.type, name: r.name });
    const beforeByUrn = new Map(before.filter(isCloudResource).map(r => [r.urn, r]));
    const afterByUrn = new Map(after.filter(isCloudResource).map(r => [r.urn, r]));
    return {
        added: [...afterByUrn.values()].filter(r => !beforeByUrn.has(r.urn)).map(ref),
        removed: [...beforeByUrn.values()].filter(r => !afterByUrn.has(r.urn)).map(ref),
        changed: [...afterByUrn.values()].flatMap(r => {
            const old = beforeByUrn.get(r.urn);
            if (!old) {
                return [];
            }
            const secret = new Set([...old.secretInputs, ...r.secretInputs]);
            const changes = Object.keys({ ...old.inputs, ...r.inputs }).flatMap(key => {
                const inner = valueChanges(old.inputs[key], r.inputs[key], propertyPath(key, true));
                // A secret input says only that it changes, never its values.
                return secret.has(key) && inner.length > 0 ? [{ path: propertyPath(key, true), before: SECRET, after: SECRET }] : inner;
            });
            return changes.length > 0 ? [{ ...ref(r), changes }] : [];
        }),
    };
}

/** The leaf values that differ between two input trees, each with its path. */
export function valueChanges(before: unknown, after: unknown, at = ""): ValueChange[] {
    if (isPlainObject(before) && isPlainObject(after)) {
        return [...new Set([...Object.keys(before), ...Object.keys(after)])]
            .flatMap(key => valueChanges(before[key], after[key], `${at}${propertyPath(key, at === "")}`));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const beforeByName = byName(before);
        const afterByName = byName(after);
        if (beforeByName && afterByName) {
            return [...new Set([...beforeByName.keys(), ...afterByName.keys()])]
                .flatMap(name => valueChanges(beforeByName.get(name), afterByName.get(name), `${at}[${name}]`));
        }
        return Array.from({ length: Math.max(before.length, after.length) }, (_, i) => valueChanges(before[i], after[i], `${at}[${i}]`)).flat();
    }
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: at, before, after }];
}

/** A value for one line of text: strings bare, others as JSON, long ones shortened, absent as `(none)`. */
export function shortValue(value: unknown, max = 60): string {
    const text = value === undefined ? "(none)" : typeof value === "string" && value !== "" ? value : JSON.stringify(value);
    return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The diff for people: one line per added or removed resource, one per changed value. */
export function resourceDiffLines(diff: ResourceDiff): string[] {
    const lines = [`+${diff.added.length} added, -${diff.removed.length} removed, ~${diff.changed.length} changed`];
    lines.push(...diff.added.map(r => `  + ${r.type}  ${r.name}`));
    lines.push(...diff.removed.map(r => `  - ${r.type}  ${r.name}`));
    for (const r of diff.changed) {
        lines.push(`  ~ ${r.type}  ${r.name}`);
        lines.push(...r.changes.map(c => `      ${c.path}: ${shortValue(c.before)} -> ${shortValue(c.after)}`));
    }
    return lines;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function byName(items: unknown[]): Map<string, unknown> | undefined {
    const names = items.map(item => (isPlainObject(item) && typeof item.name === "string" ? item.name : undefined));
    if (names.some(name => name === undefined) || new Set(names).size !== names.length) {
        return undefined;
    }
    return new Map(items.map((item, i) => [names[i]!, item]));
}

function propertyPath(key: string, first: boolean): string {
    if (/^[A-Za-z_$][\w$]*$/.test(key)) {
        return first ? key : `.${key}`;
    }
    return `[${JSON.stringify(key)}]`;
}
