import { PolicyResource } from "@pulumi/policy";
import { readKnown, UNKNOWN, Unknown } from "./known";

/** What a resource can be referred to by: its physical name, id or ARN, as the provider reports them. */
export type IdentitiesOf = (target: PolicyResource) => unknown[];

/**
 * The resources among `targets` that the property `key` of `source` refers to, for rules that
 * join a side resource (a public access block, a versioning setting, a DNS record) to what it
 * configures. The engine's property dependencies decide when it recorded them; otherwise the
 * property's value is compared with each target's identities. Returns {@link UNKNOWN} when that
 * cannot be decided yet: the property, or some target's identity, is unknown at preview.
 */
export function referencedBy(source: PolicyResource, key: string, targets: PolicyResource[], identitiesOf: IdentitiesOf): PolicyResource[] | Unknown {
    const dependencies = source.propertyDependencies?.[key] ?? [];
    const byDependency = targets.filter(target => dependencies.some(dependency => dependency.urn === target.urn));
    if (byDependency.length > 0) {
        return byDependency;
    }
    const value = readKnown(() => source.props[key] as unknown);
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (value === undefined || value === null || value === "") {
        return [];
    }
    let undecided = false;
    const matches = targets.filter(target => {
        const identities = identitiesOf(target).map(identity => readKnown(() => identity));
        const known = identities.filter((identity): identity is string => typeof identity === "string" && identity.length > 0);
        if (known.length === 0) {
            undecided = true;
        }
        return known.includes(value as string);
    });
    return matches.length === 0 && undecided ? UNKNOWN : matches;
}

/** Physical name and id of a resource that carries its name in `nameKey` (e.g. `bucket`, `accountName`). */
export function identitiesBy(...keys: string[]): IdentitiesOf {
    return target => [...keys.map(key => safeProp(target, key)), safeProp(target, "id")];
}

function safeProp(target: PolicyResource, key: string): unknown {
    const value = readKnown(() => target.props[key] as unknown);
    return value === UNKNOWN ? undefined : value;
}
