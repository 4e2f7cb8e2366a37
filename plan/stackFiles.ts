import * as fs from "fs";
import * as path from "path";
import { parse, YAMLError } from "yaml";
import { editDistance } from "../lib/editDistance";
import { StackConfig } from "./runOffline";

/** The repository root, where Pulumi.yaml and the stack files live. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** Stands in for a `secure:` value offline: the ciphertext cannot be read without the stack's key. */
export const SECURE_PLACEHOLDER = "offline-plan-placeholder";

/** Stacks with a `Pulumi.<stack>.yaml` beside Pulumi.yaml. */
export function knownStacks(root: string = REPO_ROOT): string[] {
    return fs.readdirSync(root)
        .map(file => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * The `config:` map of `Pulumi.<stack>.yaml`, as the CLI would hand it to the program, with every
 * `secure:` value replaced by {@link SECURE_PLACEHOLDER}. Throws naming the known stacks when the
 * file does not exist.
 */
export function stackFileConfig(stack: string, root: string = REPO_ROOT): StackConfig {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(file)) {
        throw new UnknownStackError(stack, knownStacks(root));
    }
    const name = path.basename(file);
    let document: unknown;
    try {
        document = parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        if (error instanceof YAMLError) {
            const at = error.linePos?.[0];
            const where = at ? `${name}:${at.line}:${at.col}` : name;
            throw new StackFileError(`${where}: not valid YAML: ${error.message.split("\n")[0]}; fix the file (spaces, not tabs, for indentation)`);
        }
        throw error;
    }
    const config = document === null || document === undefined ? undefined : (document as { config?: unknown }).config;
    if (document !== null && document !== undefined && (typeof document !== "object" || Array.isArray(document))) {
        throw new StackFileError(`${name}: the file must be a map with a \`config:\` key, not ${Array.isArray(document) ? "a list" : typeof document}`);
    }
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
        throw new StackFileError(`${name}: \`config:\` must be a map of keys to values (key: value), not ${Array.isArray(config) ? "a list" : typeof config}`);
    }
    return Object.fromEntries(Object.entries((config ?? {}) as StackConfig).map(([key, value]) => [key, isSecure(value) ? SECURE_PLACEHOLDER : value]));
}

/** A stack file that cannot be used: it does not exist, or it is not the YAML map Pulumi expects. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** There is no stack file for the requested stack. */
export class UnknownStackError extends StackFileError {
    constructor(readonly stack: string, readonly known: string[]) {
        super(`unknown stack "${stack}": no Pulumi.${stack}.yaml; ${nearestGuess(stack, known)}known stacks: ${known.join(", ") || "none"}`);
        this.name = "UnknownStackError";
    }
}

/** "did you mean X? " for the known name a few edits from `name`, or "". */
export function nearestGuess(name: string, known: readonly string[]): string {
    const nearest = [...known].sort((a, b) => editDistance(name, a) - editDistance(name, b))[0];
    return nearest !== undefined && editDistance(name, nearest) <= 3 ? `did you mean ${nearest}? ` : "";
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/**
 * This project's keys from a stack config, without namespace and with values as the program sees
 * them (strings; lists and maps as JSON), with `overrides` applied (`undefined` removes a key).
 */
export function projectValues(config: StackConfig, overrides: Record<string, unknown> = {}): Record<string, string> {
    const values: Record<string, string> = {};
    const merged: Record<string, unknown> = { ...config };
    for (const [key, value] of Object.entries(overrides)) {
        merged[key.includes(":") ? key : `multicloud-dr:${key}`] = value;
    }
    for (const [key, value] of Object.entries(merged)) {
        if (!key.startsWith("multicloud-dr:") || value === undefined) {
            continue;
        }
        values[key.slice("multicloud-dr:".length)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return values;
}

/** Config namespaces besides the projects' own: the providers the programs use, and Pulumi's. */
export const PROVIDER_NAMESPACES: readonly string[] = ["aws", "azure-native", "kubernetes", "random", "tls", "pulumi"];

/**
 * Why a config key's namespace (the part before the first `:`) is wrong, or undefined when the key
 * has none or one of `projects`' or {@link PROVIDER_NAMESPACES}. A typo would otherwise set a key
 * nothing reads, silently.
 */
export function namespaceProblem(key: string, projects: readonly string[]): string | undefined {
    const at = key.indexOf(":");
    if (at < 0) {
        return undefined;
    }
    const namespace = key.slice(0, at);
    const known = [...projects, ...PROVIDER_NAMESPACES];
    if (known.includes(namespace)) {
        return undefined;
    }
    if (namespace === "") {
        return `"${key}": empty namespace; write ${key.slice(1)} for the project's own key, or <namespace>${key}. Known namespaces: ${known.join(", ")}`;
    }
    // A prefix ("azure" for azure-native) is a closer guess than a short name a few edits away ("aws").
    const distance = (candidate: string) => (candidate.startsWith(namespace) ? 0 : editDistance(namespace, candidate));
    const nearest = [...known].sort((a, b) => distance(a) - distance(b))[0];
    return `"${key}": unknown namespace "${namespace}", so nothing would read it; did you mean ${nearest}:${key.slice(at + 1)}? Known namespaces: ${known.join(", ")}`;
}
