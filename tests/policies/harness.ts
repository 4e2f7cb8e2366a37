import { Policy } from "@pulumi/policy";
import { EvaluatedResource, evaluatePolicies, PolicyEvaluation } from "../../policies/evaluate";
import { policyProxy } from "../../policies/lib/policyInternals";

/** The sentinels the engine sends for values unknown at preview (string, number, boolean, array, object). */
export const UNKNOWN_STRING = policyProxy.unknownStringValue;
export const UNKNOWN_NUMBER = policyProxy.unknownNumberValue;
export const UNKNOWN_BOOLEAN = policyProxy.unknownBooleanValue;
export const UNKNOWN_ARRAY = policyProxy.unknownArrayValue;

/** A resource for a fixture, with a URN shaped like the engine's. */
export function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<EvaluatedResource> = {}): EvaluatedResource {
    return { type, name, urn: `urn:pulumi:test::multicloud-dr::${type}::${name}`, inputs, ...extra };
}

/** The same resource with some inputs replaced: one field changed from a compliant fixture. */
export function changed(base: EvaluatedResource, inputs: Record<string, unknown>): EvaluatedResource {
    return { ...base, inputs: { ...base.inputs, ...inputs } };
}

/** Runs one policy through the evaluator (runtime-faithful args) and returns the whole evaluation. */
export function evaluate(policy: Policy, resources: EvaluatedResource[], policyConfig: Record<string, unknown> = {}, stackTags: Record<string, string> = {}): Promise<PolicyEvaluation> {
    return evaluatePolicies(resources, { policies: [policy], policyConfig: Object.keys(policyConfig).length > 0 ? { [policy.name]: policyConfig } : {}, stackTags });
}

/** `<resource name>: <message>` for each violation of one policy, in the order reported. */
export async function findings(policy: Policy, resources: EvaluatedResource[], policyConfig: Record<string, unknown> = {}): Promise<string[]> {
    const evaluation = await evaluate(policy, resources, policyConfig);
    return evaluation.violations.map(violation => `${violation.resource?.name ?? "(stack)"}: ${violation.message}`);
}

/** The analyzer's advisory for a policy that read a value unknown at preview. */
export function cannotRunDuringPreview(policy: string, detail: string): string {
    return `can't run policy '${policy}' from policy pack 'multicloud-dr@v0.1.0' during preview: ${detail}`;
}
