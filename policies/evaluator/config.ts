import { EnforcementLevel, Policies } from "@pulumi/policy";
import { isPlainObject, unsupportedKeywords, validateAgainstSchema } from "./schema";
import { editDistance } from "../lib/editDistance";

/** The four levels a policy can run at, as `--policy-pack-config` spells them. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's settings after reconciliation: its level and its config with defaults applied. */
export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

/** Bad policy config: every problem, each naming the policy and key. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid policy config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(p => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

/**
 * Checks what the analyzer would refuse at start-up (names, schemas) plus what the evaluator
 * cannot honour (schema keywords it does not implement, remediations), and throws if any.
 */
export function checkPack(policies: Policies): void {
    const problems: string[] = [];
    const names = policies.map(policy => policy.name);
    for (const policy of policies) {
        if (policy.name === "all") problems.push(`policy name "all" is reserved`);
        if (names.filter(name => name === policy.name).length > 1) problems.push(`policy name ${policy.name} is used twice`);
        if (policy.configSchema?.properties?.enforcementLevel) problems.push(`${policy.name}: enforcementLevel cannot be a config property`);
        if (policy.configSchema?.required?.includes("enforcementLevel")) problems.push(`${policy.name}: enforcementLevel cannot be required`);
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            for (const keyword of unsupportedKeywords(schema)) problems.push(`${policy.name}.${key}: schema keyword ${keyword} is not implemented by the offline evaluator`);
        }
        if ("remediateResource" in policy && policy.remediateResource) problems.push(`${policy.name}: the offline evaluator does not run remediations`);
    }
    if (problems.length > 0) {
        throw new Error(`The policy pack is invalid:\n${problems.map(p => `  - ${p}`).join("\n")}`);
    }
}

/**
 * Reconciles a `--policy-pack-config` document with the pack the way the Pulumi engine does
 * (schema defaults, then `all`'s level, then each policy's level and properties, shallow-merged),
 * then validates each policy's resulting config against its schema. Stricter than the engine in
 * two ways, because a typo must not silently relax a check: an unknown policy name and a key
 * missing from a policy's schema are errors. Throws {@link PolicyConfigError} listing every problem.
 */
export function resolvePolicyConfig(policies: Policies, packLevel: EnforcementLevel, config: unknown = {}): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    if (!isPlainObject(config)) {
        throw new PolicyConfigError(["the policy config must be a JSON object keyed by policy name"]);
    }
    const resolved = new Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>();
    for (const policy of policies) {
        const defaults = Object.entries(policy.configSchema?.properties ?? {})
            .filter(([, schema]) => typeof schema === "object" && schema.default !== undefined)
            .map(([key, schema]) => [key, structuredClone((schema as { default: unknown }).default)]);
        resolved.set(policy.name, { enforcementLevel: policy.enforcementLevel ?? packLevel, properties: Object.fromEntries(defaults) });
    }
    const given = new Map<string, { level?: EnforcementLevel; properties: Record<string, unknown> }>();
    for (const [name, value] of Object.entries(config)) {
        const parsed = parseEntry(name, value, problems);
        if (parsed === undefined) {
            continue;
        }
        if (name !== "all" && !resolved.has(name)) {
            problems.push(`${name}: not a policy in this pack${suggestion(name, [...resolved.keys()])}`);
            continue;
        }
        if (name === "all" && Object.keys(parsed.properties).length > 0) {
            problems.push(`all: only enforcementLevel applies to every policy; put properties under a policy's name`);
        }
        given.set(name, parsed);
    }
    const all = given.get("all")?.level;
    for (const [name, entry] of resolved) {
        const own = given.get(name);
        entry.enforcementLevel = own?.level ?? all ?? entry.enforcementLevel;
        Object.assign(entry.properties, own?.properties ?? {});
    }
    for (const policy of policies) {
        const properties = resolved.get(policy.name)!.properties;
        const schema = policy.configSchema;
        const known = Object.keys(schema?.properties ?? {});
        for (const key of Object.keys(properties).filter(key => !known.includes(key))) {
            problems.push(`${policy.name}.${key}: unknown key${known.length > 0 ? `${suggestion(key, known)}; known keys: ${known.join(", ")}` : "; the policy takes no config"}`);
        }
        if (schema) {
            problems.push(...validateAgainstSchema(properties, { type: "object", properties: schema.properties, required: schema.required }, policy.name));
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return resolved;
}

function parseEntry(name: string, value: unknown, problems: string[]): { level?: EnforcementLevel; properties: Record<string, unknown> } | undefined {
    if (typeof value === "string") {
        if (!isLevel(value)) {
            problems.push(`${name}: ${JSON.stringify(value)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
            return undefined;
        }
        return { level: value, properties: {} };
    }
    if (!isPlainObject(value)) {
        problems.push(`${name}: must be an enforcement level or an object, got ${JSON.stringify(value)}`);
        return undefined;
    }
    const { enforcementLevel, ...properties } = value;
    if (enforcementLevel !== undefined && (typeof enforcementLevel !== "string" || !isLevel(enforcementLevel))) {
        problems.push(`${name}.enforcementLevel: ${JSON.stringify(enforcementLevel)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
        return undefined;
    }
    return { level: enforcementLevel as EnforcementLevel | undefined, properties };
}

function isLevel(value: string): value is EnforcementLevel {
    return (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** ` (did you mean x?)` for the closest candidate within a few edits, else "". */
function suggestion(word: string, candidates: string[]): string {
    const scored = candidates.map(candidate => ({ candidate, distance: editDistance(word, candidate) })).sort((a, b) => a.distance - b.distance);
    return scored.length > 0 && scored[0].distance <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean ${scored[0].candidate}?)` : "";
}
