import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../plan/mockCloud";
import { ProgramRun, RunOptions, runProgram, StackConfig } from "../plan/runOffline";
import { WORKLOADS_PROJECT } from "./config";
import { defineWorkloads } from "./program";
import { workloadsStackConfig } from "./stackFiles";

/** Type token a StackReference registers as. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** What {@link runWorkloadsOffline} needs. */
export interface WorkloadsOfflineOptions {
    /** Workloads stack name, e.g. `warm-standby-standby` (URNs carry it). */
    readonly stack: string;
    /** Stack config; keys without namespace go to `multicloud-dr-workloads`. */
    readonly config: StackConfig;
    /** The infrastructure stack's outputs, e.g. `runStack(...).outputs`; Outputs are resolved first. */
    readonly infraOutputs: Record<string, unknown>;
}

/** Stack outputs as a StackReference delivers them: plain values, and which outputs held a secret. */
export interface ResolvedStackOutputs {
    readonly outputs: Record<string, unknown>;
    readonly secretOutputNames: string[];
}

/**
 * Resolves every Output in a stack's outputs (nested ones too) and notes which top-level outputs
 * held a secret, as the engine records them for a StackReference.
 */
export async function resolveStackOutputs(outputs: Record<string, unknown>): Promise<ResolvedStackOutputs> {
    const resolved: Record<string, unknown> = {};
    const secretOutputNames: string[] = [];
    for (const [name, value] of Object.entries(outputs ?? {})) {
        const secret = { found: false };
        resolved[name] = await resolveDeep(value, secret);
        if (secret.found) {
            secretOutputNames.push(name);
        }
    }
    return { outputs: resolved, secretOutputNames };
}

async function resolveDeep(value: unknown, secret: { found: boolean }): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value)) {
            secret.found = true;
        }
        return resolveDeep(await valueOf(value), secret);
    }
    if (value instanceof Promise) {
        return resolveDeep(await value, secret);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map(item => resolveDeep(item, secret)));
    }
    if (typeof value === "object" && value !== null) {
        const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await resolveDeep(item, secret)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}

/**
 * Runs the workloads program under the mock runtime for one workloads stack, its StackReference
 * answered with `infraOutputs`. Returns every resource declared (URNs in the
 * `multicloud-dr-workloads` project) and the stack's outputs, resolved. Used by the tests, the
 * offline plan and the runbook's dry run. Rejects with the program's error (a ProgramFailure).
 */
export async function runWorkloadsOffline(options: WorkloadsOfflineOptions): Promise<ProgramRun<unknown>> {
    const reference = await resolveStackOutputs(options.infraOutputs);
    const run = await runProgram(defineWorkloads, options.config, options.stack, workloadsRunOptions(reference));
    return { ...run, outputs: await run.outputs };
}

/**
 * Options that run a program as the workloads project: its config namespace and URNs, and every
 * StackReference answered with `reference` (its `outputs` and `secretOutputNames`, as the engine reads them).
 */
export function workloadsRunOptions(reference: ResolvedStackOutputs): RunOptions {
    return {
        project: WORKLOADS_PROJECT,
        mockState: (type, name, inputs) => type === STACK_REFERENCE_TYPE
            ? { id: (inputs.name as string | undefined) ?? name, state: { name: inputs.name ?? name, outputs: reference.outputs, secretOutputNames: reference.secretOutputNames } }
            : undefined,
    };
}

/**
 * {@link runWorkloadsOffline} for a shipped workloads stack file (`workloads/Pulumi.<stack>.yaml`)
 * plus overrides (keys without namespace go to `multicloud-dr-workloads`; `undefined` removes one).
 */
export function runWorkloadsStack(stack: string, infraOutputs: Record<string, unknown>, overrides: Record<string, unknown> = {}): Promise<ProgramRun<unknown>> {
    const config: StackConfig = { ...workloadsStackConfig(stack) };
    for (const [key, value] of Object.entries(overrides)) {
        const qualified = key.includes(":") ? key : `${WORKLOADS_PROJECT}:${key}`;
        if (value === undefined) {
            delete config[qualified];
        } else {
            config[qualified] = value;
        }
    }
    return runWorkloadsOffline({ stack, config, infraOutputs });
}
