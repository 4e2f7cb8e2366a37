import { defineStack } from "../program";
import { setInvokeRecorder } from "../plan/mockCloud";
import { runProgram, StackConfig } from "../plan/runOffline";
import { stackFileConfig } from "../plan/stackFiles";
import { AWS_INVOKE_PERMISSIONS, AWS_RESOURCE_PERMISSIONS } from "./aws";
import { AZURE_INVOKE_PERMISSIONS, AZURE_RESOURCE_PERMISSIONS } from "./azure";
import { AwsPolicyOptions, AwsPolicySet, buildAwsPolicy } from "./awsPolicy";
import { AzureRoleOptions, AzureRoleSet, buildAzureRole } from "./azureRole";
import { noCloudInvokeReason, noCloudReason } from "./noCloud";
import { DeclaredUse, UnknownPermissionsError } from "./usage";

/** Region of the Route 53 health-check alarm and its topic, and of global services (IAM, Route 53). */
export const GLOBAL_REGION = "us-east-1";

/** One run of the program: a flag combination of the stack. */
export interface StackVariant {
    /** Readable name, e.g. `failover=true`. */
    readonly name: string;
    /** Config keys (this project's, without namespace) set on top of the stack file. */
    readonly overrides: Record<string, unknown>;
}

/**
 * Optional keys turned on in every run (unless the stack file sets them) so the policy also
 * covers them: a deployer whose policy came from this needs no new policy to list cluster
 * admins, subscribe to alerts or add interface endpoints.
 */
export const OPTIONAL_FEATURES: Readonly<Record<string, unknown>> = {
    clusterAdminArns: ["arn:aws:iam::123456789012:role/dr-operator"],
    alertSubscriptions: [{ protocol: "email", endpoint: "oncall@example.com" }],
    interfaceEndpoints: ["ecr.api"],
};

/**
 * The flag combinations a stack can be deployed with: warm standby with failover off and on;
 * pilot light with emergency off, on, and on serving the application.
 */
export function stackVariants(config: StackConfig): StackVariant[] {
    const strategy = config["multicloud-dr:strategy"];
    switch (strategy) {
        case "warm-standby":
            return [
                { name: "failover=false", overrides: { failover: false } },
                { name: "failover=true", overrides: { failover: true } },
            ];
        case "pilot-light":
            return [
                { name: "emergency=false serveApp=false", overrides: { emergency: false, serveApp: false } },
                { name: "emergency=true serveApp=false", overrides: { emergency: true, serveApp: false } },
                { name: "emergency=true serveApp=true", overrides: { emergency: true, serveApp: true } },
            ];
        default:
            throw new Error(`strategy ${JSON.stringify(strategy)} has no known flag combinations: expected warm-standby or pilot-light`);
    }
}

/** What every variant of a stack declared and called, merged. */
export interface StackUse extends DeclaredUse {
    readonly stack: string;
    readonly variants: string[];
}

/**
 * Runs the program under mocks for every variant of `stack` (its stack file plus each flag
 * combination and {@link OPTIONAL_FEATURES}) and merges what the runs declared and invoked.
 */
export async function collectStackUse(stack: string, config: StackConfig = stackFileConfig(stack)): Promise<StackUse> {
    const variants = stackVariants(config);
    const resources: DeclaredUse["resources"][number][] = [];
    const invokes = new Set<string>();
    const regions = new Set<string>([GLOBAL_REGION]);
    if (typeof config["aws:region"] === "string") {
        regions.add(config["aws:region"]);
    }
    for (const variant of variants) {
        const overrides: Record<string, unknown> = {};
        for (const [key, value] of Object.entries({ ...OPTIONAL_FEATURES, ...variant.overrides })) {
            const full = `multicloud-dr:${key}`;
            if (!(key in OPTIONAL_FEATURES) || config[full] === undefined) {
                overrides[full] = value;
            }
        }
        setInvokeRecorder(token => invokes.add(token));
        try {
            const run = await runProgram(defineStack as () => unknown, { ...config, ...overrides }, stack);
            for (const r of run.resources) {
                resources.push({ type: r.type, name: r.name, inputs: r.inputs, custom: r.custom });
                if (r.type.startsWith("aws:") && typeof r.inputs.region === "string") {
                    regions.add(r.inputs.region);
                }
            }
        } finally {
            setInvokeRecorder(undefined);
        }
    }
    return { stack, variants: variants.map(v => v.name), resources, invokes: [...invokes].sort(), awsRegions: [...regions].sort() };
}

/** Declared types and invokes no entry covers (AWS, Azure or no-cloud), sorted. */
export function uncovered(use: DeclaredUse): { types: string[]; invokes: string[] } {
    const types = new Set<string>();
    for (const r of use.resources) {
        if (noCloudReason(r.type, r.custom) === undefined && !AWS_RESOURCE_PERMISSIONS[r.type] && !AZURE_RESOURCE_PERMISSIONS[r.type]) {
            types.add(r.type);
        }
    }
    const invokes = use.invokes.filter(t => noCloudInvokeReason(t) === undefined && !AWS_INVOKE_PERMISSIONS[t] && !AZURE_INVOKE_PERMISSIONS[t]);
    return { types: [...types].sort(), invokes: [...new Set(invokes)].sort() };
}

/** A stack's deployer permissions. */
export interface StackPermissions {
    readonly stack: string;
    readonly variants: string[];
    /** Every resource type declared across the variants, sorted. */
    readonly resourceTypes: string[];
    readonly invokes: string[];
    readonly awsRegions: string[];
    readonly aws: AwsPolicySet;
    /** Undefined when the stack declares nothing in Azure. */
    readonly azure?: AzureRoleSet;
}

/** Builds the permissions for what `use` declares; throws {@link UnknownPermissionsError} naming every type or invoke without an entry. */
export function permissionsFor(use: StackUse, options: AwsPolicyOptions & AzureRoleOptions = {}): StackPermissions {
    const missing = uncovered(use);
    if (missing.types.length > 0 || missing.invokes.length > 0) {
        throw new UnknownPermissionsError(missing.types, missing.invokes);
    }
    return {
        stack: use.stack,
        variants: use.variants,
        resourceTypes: [...new Set(use.resources.map(r => r.type))].sort(),
        invokes: [...use.invokes],
        awsRegions: [...use.awsRegions],
        aws: buildAwsPolicy(use, options),
        azure: buildAzureRole(use.stack, use, options),
    };
}

/** Runs every variant of `stack` and builds its deployer permissions. */
export async function deriveStackPermissions(stack: string, options: AwsPolicyOptions & AzureRoleOptions = {}): Promise<StackPermissions> {
    return permissionsFor(await collectStackUse(stack), options);
}
