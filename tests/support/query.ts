import { DeclaredResource } from "../../plan/runOffline";

/** Resources of one type token, e.g. `aws:rds/instance:Instance`. */
export function ofType(resources: DeclaredResource[], type: string): DeclaredResource[] {
    return resources.filter(r => r.type === type);
}

/** The one resource of `type` called `name`; throws when absent so a test fails with a reason. */
export function named(resources: DeclaredResource[], type: string, name: string): DeclaredResource {
    const found = resources.find(r => r.type === type && r.name === name);
    if (!found) {
        const names = ofType(resources, type).map(r => r.name).join(", ") || "none";
        throw new Error(`no ${type} named ${name}; declared: ${names}`);
    }
    return found;
}

/** Region a declared AWS resource is managed in (its `region` input). */
export function regionOf(resource: DeclaredResource): string | undefined {
    return resource.inputs.region as string | undefined;
}

/** Resources that are not components: what the cloud would actually hold. */
export function cloudResources(resources: DeclaredResource[]): DeclaredResource[] {
    return resources.filter(r => r.custom && !r.type.startsWith("pulumi:"));
}

/** Parses a policy document input (a JSON string) into its statements. */
export function statementsOf(policy: unknown): { Effect: string; Action: string | string[]; Principal?: unknown; Resource?: unknown; Condition?: unknown }[] {
    const document = typeof policy === "string" ? JSON.parse(policy) : policy;
    const statements = (document as { Statement: unknown }).Statement;
    return (Array.isArray(statements) ? statements : [statements]) as ReturnType<typeof statementsOf>;
}
