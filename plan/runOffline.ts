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

/**
 * Runs `program` inside a Pulumi stack under the mock runtime, with `config` set (keys without
 * namespace go to this project), and returns every resource it declared and its outputs.
 * Rejects with the program's error when it throws.
 */
export async function runProgram<T>(program: () => T, config: StackConfig, stack = "test"): Promise<ProgramRun<T>> {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (value === undefined) {
            continue;
        }
        raw[key.includes(":") ? key : `${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const registered: Omit<DeclaredResource, "urn" | "protect" | "parentUrn">[] = [];
    const options = new Map<string, { protect: boolean; parentUrn?: string }>();
    const pending: Promise<void>[] = [];

    pulumi.runtime.setAllConfig(raw, []);
    pulumi.runtime.setMocks({
        newResource: args => {
            const secretInputs = Object.keys(args.inputs).filter(key => containsSecret(args.inputs[key]));
            const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
            const state = mockState(args.type, args.name, inputs);
            registered.push({ type: args.type, name: args.name, inputs, secretInputs, custom: args.custom ?? true, id: state.id, outputs: state.state });
            return state;
        },
        call: args => mockCall(args.token, args.inputs),
    }, PROJECT, stack, false);

    let outputs: T | undefined;
    const running = runInPulumiStack(() => {
        pulumi.runtime.registerStackTransformation(args => {
            const key = `${args.type}::${args.name}`;
            const parentUrn = args.opts.parent ? args.opts.parent.urn : undefined;
            const protect = args.opts.protect === true;
            options.set(key, { protect });
            if (parentUrn) {
                pending.push(valueOfUrn(parentUrn).then(urn => {
                    options.set(key, { protect, parentUrn: urn });
                }));
            }
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
    await Promise.all(pending);

    // Resources declared without a parent get the stack as parent, as the engine does.
    const stackUrn = urnOf("pulumi:pulumi:Stack", `${PROJECT}-${stack}`, undefined, stack);
    const resources = registered.map(r => {
        const opts = options.get(`${r.type}::${r.name}`);
        const parentUrn = r.type === "pulumi:pulumi:Stack" ? undefined : opts?.parentUrn ?? stackUrn;
        return { ...r, protect: opts?.protect ?? false, parentUrn, urn: urnOf(r.type, r.name, parentUrn, stack) };
    });
    return { resources, outputs: outputs as T, config: raw };
}

/** Builds a URN the way the engine does: the parent's qualified type, then `$type::name`. */
export function urnOf(type: string, name: string, parentUrn: string | undefined, stack: string): string {
    if (type === "pulumi:pulumi:Stack" || parentUrn === undefined) {
        return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
    }
    const parentType = parentUrn.split("::")[2];
    return `urn:pulumi:${stack}::${PROJECT}::${parentType}$${type}::${name}`;
}

function valueOfUrn(urn: pulumi.Output<string>): Promise<string> {
    return new Promise(resolve => urn.apply(value => {
        resolve(value);
        return value;
    }));
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
