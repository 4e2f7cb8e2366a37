import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/defaults";
import { mockCall, mockState } from "./mockCloud";

// Internal runtime entry points: the same ones `pulumi up` uses to run a program inside its stack.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runInPulumiStack } = require("@pulumi/pulumi/runtime/stack") as { runInPulumiStack(init: () => unknown): Promise<unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** A resource as the engine saw it: what was registered, with which options. */
export interface DeclaredResource {
    readonly type: string;
    readonly name: string;
    /** Inputs after the SDK resolved them (Outputs unwrapped, secrets unwrapped). */
    readonly inputs: Record<string, any>;
    /** Top-level input names that held a secret. */
    readonly secretInputs: string[];
    /** The id and state the mocks answered with: what a provider would report after creating it. */
    readonly id?: string;
    readonly outputs?: Record<string, any>;
    /** The URN the engine would give it: stack, project, the parent's type chain, type and name. */
    readonly urn: string;
    readonly protect: boolean;
    readonly parentUrn?: string;
    readonly custom: boolean;
}

/** What running the program produced. */
export interface ProgramRun<T> {
    readonly resources: DeclaredResource[];
    /** What the program returned, Outputs and their secret marks intact. */
    readonly outputs: T;
    /** Raw stack config the run used, keys with namespace. */
    readonly config: Record<string, string>;
}

/** The program threw; `declared` lists what it had registered by then (besides the stack itself). */
export class ProgramFailure extends Error {
    constructor(readonly cause: Error, readonly declared: string[]) {
        super(cause.message);
        this.name = "ProgramFailure";
    }
}

/** Stack config as a stack file holds it: plain values or YAML lists and maps. */
export type StackConfig = Record<string, unknown>;

/** Options of {@link runProgram}. */
export interface RunOptions {
    /** Project the program belongs to (config namespace and URNs). Default `multicloud-dr`. */
    readonly project?: string;
    /** Answers a resource's mock state before {@link mockState}; undefined leaves it to mockState. */
    readonly mockState?: (type: string, name: string, inputs: Record<string, any>) => { id: string; state: Record<string, unknown> } | undefined;
}

/**
 * Runs `program` inside a Pulumi stack under the mock runtime, with `config` set (keys without
 * namespace go to the project), and returns every resource it declared and its outputs.
 * Rejects with the program's error when it throws.
 */
export async function runProgram<T>(program: () => T, config: StackConfig, stack = "test", runOptions: RunOptions = {}): Promise<ProgramRun<T>> {
    const project = runOptions.project ?? PROJECT;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (value === undefined) {
            continue;
        }
        raw[key.includes(":") ? key : `${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const registered: Omit<DeclaredResource, "urn" | "protect" | "parentUrn">[] = [];
    const options = new Map<string, { protect: boolean; parent?: { type: string; name: string } }>();

    pulumi.runtime.setAllConfig(raw, []);
    pulumi.runtime.setMocks({
        newResource: args => {
            const secretInputs = Object.keys(args.inputs).filter(key => containsSecret(args.inputs[key]));
            const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
            const state = runOptions.mockState?.(args.type, args.name, inputs) ?? mockState(args.type, args.name, inputs);
            registered.push({ type: args.type, name: args.name, inputs, secretInputs, custom: args.custom ?? true, id: state.id, outputs: state.state });
            return state;
        },
        call: args => mockCall(args.token, args.inputs),
    }, project, stack, false);

    let outputs: T | undefined;
    const running = runInPulumiStack(() => {
        pulumi.runtime.registerStackTransformation(args => {
            // The parent's own type and name, not the mock's URN for it: the mock monitor keeps only
            // the last type of a parent's chain, where the engine keeps all of it.
            const { __pulumiType: type, __name: name } = (args.opts.parent ?? {}) as { __pulumiType?: string; __name?: string };
            options.set(`${args.type}::${args.name}`, { protect: args.opts.protect === true, parent: type && name ? { type, name } : undefined });
            return undefined;
        });
        outputs = program();
        // A component returned for inspection is not a stack output.
        return pulumi.Resource.isInstance(outputs) ? undefined : outputs;
    });
    try {
        await running;
    } catch (error) {
        await waitForRPCs().catch(() => undefined);
        throw new ProgramFailure(error as Error, registered.filter(r => !r.type.startsWith("pulumi:")).map(r => `${r.type}::${r.name}`));
    }
    await waitForRPCs();

    // Resources declared without a parent get the stack as parent, as the engine does.
    const stackUrn = urnOf("pulumi:pulumi:Stack", `${project}-${stack}`, undefined, stack, project);
    const parentUrnOf = (key: string): string => {
        const parent = options.get(key)?.parent;
        return parent ? urnOf(parent.type, parent.name, parentUrnOf(`${parent.type}::${parent.name}`), stack, project) : stackUrn;
    };
    const resources = registered.map(r => {
        const key = `${r.type}::${r.name}`;
        const parentUrn = r.type === "pulumi:pulumi:Stack" ? undefined : parentUrnOf(key);
        return { ...r, protect: options.get(key)?.protect ?? false, parentUrn, urn: urnOf(r.type, r.name, parentUrn, stack, project) };
    });
    return { resources, outputs: outputs as T, config: raw };
}

/**
 * Builds a URN the way the engine does: the parent's qualified type, then `$type::name`; the stack
 * is no parent type, so a child of the stack has just its own type (`...::aws:ec2/vpc:Vpc::name`).
 */
export function urnOf(type: string, name: string, parentUrn: string | undefined, stack: string, project: string = PROJECT): string {
    const parentType = parentUrn?.split("::")[2];
    if (type === "pulumi:pulumi:Stack" || parentType === undefined || parentType === "pulumi:pulumi:Stack") {
        return `urn:pulumi:${stack}::${project}::${type}::${name}`;
    }
    return `urn:pulumi:${stack}::${project}::${parentType}$${type}::${name}`;
}

// How the runtime marks a secret value when it hands inputs to mocks.
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

function containsSecret(value: unknown): boolean {
    if (isSecretValue(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsSecret);
    }
    return typeof value === "object" && value !== null && Object.values(value).some(containsSecret);
}

function unwrapSecrets(value: unknown): unknown {
    if (isSecretValue(value)) {
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}
