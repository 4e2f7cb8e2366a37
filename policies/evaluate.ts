import {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { checkPack, resolvePolicyConfig, ResolvedPolicyConfig } from "./evaluator/config";
import { EvaluatedResource, isTypeOf, runtimeOptions, runtimeProps, runtimeProvider, runtimeStackTags } from "./evaluator/args";
import { policyProxy } from "./lib/policyInternals";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, PACK_VERSION } from "./pack";
import { allPolicies } from "./rules";

export { EvaluatedProvider, EvaluatedResource } from "./evaluator/args";
export { PolicyConfigError } from "./evaluator/config";

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
    /** The same JSON as `pulumi preview --policy-pack-config`: `{ "<policy>": "<level>" | { enforcementLevel?, ...props }, "all"?: ... }`. */
    readonly policyConfig?: unknown;
    /** Stack tags, as `args.stackTags` shows them to policies. */
    readonly stackTags?: Record<string, string> | ReadonlyMap<string, string>;
    /** The policies to run; default: the whole pack. */
    readonly policies?: Policies;
    /** Level for policies that set none; default: the pack's. */
    readonly packEnforcementLevel?: EnforcementLevel;
}

/** A policy of the pack and the level it ran at (`disabled` ones did not run). */
export interface EvaluatedPolicy {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly kind: "resource" | "stack";
}

/** The resource a violation is about. */
export interface ViolatingResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
}

/** One violation, at the level the engine would report it (remediate reports as mandatory). */
export interface PolicyViolation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    /** What the policy reported (the CLI prints it under the description). */
    readonly message: string;
    readonly description: string;
    readonly severity?: string;
    /** Absent when a stack policy reported against the stack as a whole. */
    readonly resource?: ViolatingResource;
}

/** A policy that declared itself not applicable, to a resource or to the stack. */
export interface NotApplicable {
    readonly policy: string;
    readonly reason?: string;
    readonly resource?: ViolatingResource;
}

/** Everything one evaluation found. */
export interface PolicyEvaluation {
    readonly policies: EvaluatedPolicy[];
    readonly violations: PolicyViolation[];
    readonly notApplicable: NotApplicable[];
}

/**
 * Runs the pack's policies over resources without a Pulumi engine, as the CrossGuard analyzer
 * would: every resource policy on every resource (`Analyze`, with the resource's inputs), then
 * every stack policy once on all of them (`AnalyzeStack`), with args built as the analyzer builds
 * them (props through its deserializer and unknown-checking proxy, `opts`, `stackTags`,
 * `getConfig` with schema defaults applied and validated, `notApplicable`). Disabled policies do
 * not run; `remediate` reports as `mandatory`, as the analyzer does for violations that remain.
 * A read of a value unknown at preview becomes the analyzer's advisory "can't run ... during
 * preview" diagnostic. Throws {@link PolicyConfigError} for bad config, and rethrows a policy's
 * own error as the analyzer does (the preview fails).
 */
export async function evaluatePolicies(resources: readonly EvaluatedResource[], options: EvaluateOptions = {}): Promise<PolicyEvaluation> {
    const policies = options.policies ?? allPolicies;
    checkPack(policies);
    const config = resolvePolicyConfig(policies, options.packEnforcementLevel ?? PACK_ENFORCEMENT_LEVEL, options.policyConfig ?? {});
    const run = new Run(config, runtimeStackTags(options.stackTags), resources);
    for (const resource of resources) {
        for (const policy of policies.filter(isResourcePolicy)) {
            await run.analyzeResource(policy, resource);
        }
    }
    for (const policy of policies.filter(isStackPolicy)) {
        await run.analyzeStack(policy);
    }
    return {
        policies: policies.map(policy => ({ name: policy.name, enforcementLevel: config.get(policy.name)!.enforcementLevel, kind: isStackPolicy(policy) ? "stack" : "resource" })),
        violations: run.violations,
        notApplicable: run.notApplicable,
    };
}

/** True when any violation is mandatory: `pulumi up` would refuse to proceed. */
export function hasMandatoryViolation(evaluation: PolicyEvaluation): boolean {
    return evaluation.violations.some(violation => violation.enforcementLevel === "mandatory");
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** The state of one evaluation: resolved config, tags, and what has been found. */
class Run {
    readonly violations: PolicyViolation[] = [];
    readonly notApplicable: NotApplicable[] = [];
    private readonly byUrn: Map<string, EvaluatedResource>;

    constructor(private readonly config: Map<string, ResolvedPolicyConfig>, private readonly stackTags: ReadonlyMap<string, string>, private readonly resources: readonly EvaluatedResource[]) {
        this.byUrn = new Map(resources.map(resource => [resource.urn, resource]));
    }

    async analyzeResource(policy: ResourceValidationPolicy, resource: EvaluatedResource): Promise<void> {
        const level = this.levelOf(policy);
        if (level === "disabled") {
            return;
        }
        const about = describe(resource);
        if (!policy.validateResource) {
            this.notApplicable.push({ policy: policy.name, reason: "Policy does not implement validateResource", resource: about });
            return;
        }
        const single = Array.isArray(policy.validateResource) ? undefined : policy.validateResource;
        const fastType = single && pulumiTypeOf(single);
        if (fastType && resource.type !== fastType) {
            this.notApplicable.push({ policy: policy.name, reason: `Policy only applies to resources of type '${fastType}'`, resource: about });
            return;
        }
        const report = this.reporter(policy, level, () => about);
        const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const validation of validations) {
            const props = runtimeProps(resource.inputs);
            const args: ResourceValidationArgs = {
                type: resource.type,
                props,
                urn: resource.urn,
                name: resource.name,
                opts: runtimeOptions(resource),
                stackTags: this.stackTags,
                isType: resourceClass => isTypeOf(resource.type, resourceClass),
                asType: resourceClass => (isTypeOf(resource.type, resourceClass) ? props : undefined) as any,
                getConfig: <T extends object>() => this.configOf(policy) as T,
                notApplicable: throwNotApplicable,
            };
            const provider = runtimeProvider(resource);
            if (provider) {
                args.provider = provider;
            }
            await this.guard(policy, about, () => validation(args, report));
        }
    }

    async analyzeStack(policy: StackValidationPolicy): Promise<void> {
        const level = this.levelOf(policy);
        if (level === "disabled") {
            return;
        }
        const fastType = pulumiTypeOf(policy.validateStack);
        if (fastType && !this.resources.some(resource => resource.type === fastType)) {
            this.notApplicable.push({ policy: policy.name, reason: `Policy only applies to resources of type '${fastType}'` });
            return;
        }
        const report = this.reporter(policy, level, urn => (urn === undefined ? undefined : describe(this.byUrn.get(urn) ?? { type: "", name: "", urn })));
        const args: StackValidationArgs = {
            resources: stackResources(this.resources),
            getConfig: <T extends object>() => this.configOf(policy) as T,
            stackTags: this.stackTags,
            notApplicable: throwNotApplicable,
        };
        await this.guard(policy, undefined, () => policy.validateStack(args, report));
    }

    /** The analyzer's handling of what a validation throws. */
    private async guard(policy: Policy, about: ViolatingResource | undefined, validate: () => void | Promise<void>): Promise<void> {
        try {
            await Promise.resolve(validate());
        } catch (error) {
            const from = `policy '${policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}'`;
            if (error instanceof policyProxy.UnknownValueError) {
                this.violations.push({
                    policy: policy.name,
                    enforcementLevel: "advisory",
                    message: `can't run ${from} during preview: ${error.message}`,
                    description: policy.description,
                    severity: policy.severity,
                    resource: about,
                });
            } else if (error instanceof NotApplicableError) {
                this.notApplicable.push({ policy: policy.name, reason: error.reason, resource: about });
            } else {
                throw new Error(`Error validating ${about ? "resource" : "stack"} with ${from}: ${(error as Error).message}`, { cause: error });
            }
        }
    }

    /** reportViolation as the analyzer builds it; `locate` turns the reported URN into a resource. */
    private reporter(policy: Policy, level: EnforcementLevel, locate: (urn?: string) => ViolatingResource | undefined): ReportViolation {
        return (message: string | Record<string, any>, urn?: string) => {
            const detail = typeof message === "object" && message !== null ? message : { message };
            this.violations.push({
                policy: detail.name ?? policy.name,
                enforcementLevel: detail.enforcementLevel ?? level,
                message: detail.message || detail.description || policy.description,
                description: detail.description ?? policy.description,
                severity: detail.severity ?? policy.severity,
                resource: locate(detail.urn ?? urn),
            });
        };
    }

    private levelOf(policy: Policy): EnforcementLevel {
        const level = this.config.get(policy.name)!.enforcementLevel;
        return level === "remediate" ? "mandatory" : level;
    }

    private configOf(policy: Policy): Record<string, unknown> {
        return structuredClone(this.config.get(policy.name)!.properties);
    }
}

/** The stack as `AnalyzeStack` presents it: outputs (or inputs), parents and dependencies linked. */
function stackResources(resources: readonly EvaluatedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map(resource => {
        const state = resource.outputs ?? resource.inputs;
        const props = runtimeProps(resource.id !== undefined && state.id === undefined ? { ...state, id: resource.id } : state);
        const policyResource: PolicyResource = {
            type: resource.type,
            props,
            urn: resource.urn,
            name: resource.name,
            opts: runtimeOptions(resource),
            dependencies: [],
            propertyDependencies: {},
            isType: resourceClass => isTypeOf(resource.type, resourceClass),
            asType: resourceClass => (isTypeOf(resource.type, resourceClass) ? props : undefined) as any,
        };
        const provider = runtimeProvider(resource);
        if (provider) {
            policyResource.provider = provider;
        }
        byUrn.set(resource.urn, policyResource);
        return policyResource;
    });
    resources.forEach((resource, index) => {
        const target = built[index];
        const parent = resource.parentUrn ? byUrn.get(resource.parentUrn) : undefined;
        if (parent) {
            target.parent = parent;
        }
        const lookup = (urns: readonly string[]) => urns.map(urn => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
        target.dependencies = lookup(resource.dependencies ?? []);
        for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            target.propertyDependencies[key] = lookup(urns);
        }
    });
    return built;
}

function describe(resource: Pick<EvaluatedResource, "type" | "name" | "urn">): ViolatingResource {
    return { type: resource.type, name: resource.name, urn: resource.urn };
}

function pulumiTypeOf(fn: unknown): string | undefined {
    const type = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof type === "string" && type.length > 0 ? type : undefined;
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
    const { validateResource, remediateResource } = policy as ResourceValidationPolicy;
    if (typeof validateResource === "function" || typeof remediateResource === "function") {
        return true;
    }
    return Array.isArray(validateResource) && validateResource.every(validation => typeof validation === "function");
}

function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}
