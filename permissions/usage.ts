/** What a program run used: the inputs every policy builder in this folder starts from. */
export interface DeclaredUse {
    /** Every resource declared, with the inputs the engine saw (custom false: a component). */
    readonly resources: readonly { readonly type: string; readonly name: string; readonly inputs: Record<string, any>; readonly custom: boolean }[];
    /** Every invoke token called (data sources). */
    readonly invokes: readonly string[];
    /** AWS regions requests go to: the default provider's, every `region` input, and us-east-1 for global services. */
    readonly awsRegions: readonly string[];
}

/** Types or invokes without a permissions entry: adding a type to the program means adding its permissions. */
export class UnknownPermissionsError extends Error {
    constructor(readonly types: readonly string[], readonly invokes: readonly string[]) {
        super([
            types.length > 0 ? `no permissions entry for resource type(s): ${types.join(", ")}` : "",
            invokes.length > 0 ? `no permissions entry for invoke(s): ${invokes.join(", ")}` : "",
        ].filter(Boolean).join("; ") + " (add them to permissions/aws.ts, permissions/azure.ts or permissions/noCloud.ts)");
        this.name = "UnknownPermissionsError";
    }
}
