import { PolicyProviderResource, PolicyResourceOptions } from "@pulumi/policy";
import { policyDeserialize, policyProxy } from "../lib/policyInternals";

/** A resource's provider, as the engine describes it to policies. */
export interface EvaluatedProvider {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
}

/**
 * A resource as the evaluator takes it: what the offline plan's `DeclaredResource` carries, plus
 * optional facts a real engine would also know. Resource policies see `inputs` (as `Analyze` does);
 * stack policies see `outputs` when given, else `inputs` (as `AnalyzeStack` sees outputs after an
 * update and planned state during a preview), with `id` added when known.
 */
export interface EvaluatedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
    readonly protect?: boolean;
    readonly parentUrn?: string;
    /** The provider-assigned id, when known (after an update, or from the mock runtime). */
    readonly id?: string;
    /** The resource's state as the provider returned it. */
    readonly outputs?: Record<string, unknown>;
    /** URNs the resource depends on. */
    readonly dependencies?: readonly string[];
    /** For each input, the URNs its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: EvaluatedProvider;
}

/**
 * Properties as the analyzer hands them to a policy: reduced to what a protobuf Struct carries
 * (no undefined, no functions), decoded by the analyzer's own deserializer (assets, secrets
 * unwrapped), then wrapped in its unknown-checking proxy, so reading a value unknown at preview
 * throws as it does under `pulumi preview`.
 */
export function runtimeProps(properties: Record<string, unknown>): Record<string, any> {
    const struct = structValue(properties) as Record<string, unknown>;
    return policyProxy.unknownCheckingProxy(policyDeserialize.deserializeProperties({ toJavaScript: () => struct }, false));
}

/** Resource options as the analyzer reports them; the engine sends empty lists for unset options. */
export function runtimeOptions(resource: EvaluatedResource): PolicyResourceOptions {
    const options: PolicyResourceOptions = {
        protect: resource.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (resource.parentUrn) {
        options.parent = resource.parentUrn;
    }
    return options;
}

/** The provider argument, or undefined when the caller did not describe one. */
export function runtimeProvider(resource: EvaluatedResource): PolicyProviderResource | undefined {
    const provider = resource.provider;
    return provider ? { type: provider.type, name: provider.name, urn: provider.urn, props: runtimeProps(provider.inputs) } : undefined;
}

/** Stack tags as the analyzer exposes them: a frozen, read-only map. */
export function runtimeStackTags(tags: Record<string, string> | ReadonlyMap<string, string> = {}): ReadonlyMap<string, string> {
    const map = new Map<string, string>(tags instanceof Map ? [...tags] : Object.entries(tags as Record<string, string>));
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as ReadonlyMap<string, string>;
}

/** `isType` as the analyzer implements it: by `__pulumiType`, else by the class's `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    if (typeof pulumiType === "string" && pulumiType.length > 0) {
        return type === pulumiType;
    }
    const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function structValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(item => (item === undefined ? null : structValue(item)));
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value).filter(([, item]) => item !== undefined && typeof item !== "function");
        return Object.fromEntries(entries.map(([key, item]) => [key, structValue(item)]));
    }
    return value;
}
