import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../config/defaults";
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
    /** The URN, derived the same way for the same type, name and parent chain. */
    readonly urn: string;
    readonly protect: boolean;
    readonly parentUrn?: string;
    readonly custom: boolean;
}

/** What running the program produced. */
export interface ProgramRun<T> {
    readonly resources: DeclaredResource[];
    readonly outputs: T;
    /** Raw stack config the run used, keys with namespace. */
    readonly config: Record<string, string>;
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
    const registered: { type: string; name: string; inputs: Record<string, any>; custom: boolean }[] = [];
    const options = new Map<string, { protect: boolean; parentUrn?: string }>();
    const pending: Promise<void>[] = [];

    pulumi.runtime.setAllConfig(raw, []);
    pulumi.runtime.setMocks({
        newResource: args => {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
            return mockState(args.type, args.name, args.inputs);
        },
        call: args => mockCall(args.token, args.inputs),
    }, PROJECT, stack, false);

    const outputs = await runInPulumiStack(() => {
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
        return program();
    });
    await waitForRPCs();
    await Promise.all(pending);

    const resources = registered.map(r => {
        const opts = options.get(`${r.type}::${r.name}`);
        return {
            ...r,
            protect: opts?.protect ?? false,
            parentUrn: opts?.parentUrn,
            urn: `${opts?.parentUrn ?? "root"}>${r.type}::${r.name}`,
        };
    });
    return { resources, outputs: outputs as T, config: raw };
}

function valueOfUrn(urn: pulumi.Output<string>): Promise<string> {
    return new Promise(resolve => urn.apply(value => {
        resolve(value);
        return value;
    }));
}
