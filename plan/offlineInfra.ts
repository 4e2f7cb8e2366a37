import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/defaults";
import { defineStack } from "../program";
import { runProgram } from "./runOffline";
import { stackFileConfig } from "./stackFiles";

/**
 * The stack outputs the infrastructure program would export for `Pulumi.<stack>.yaml` with
 * `sets` on top (keys without namespace belong to this project), run under the mock runtime.
 * Values are resolved right away, before another run replaces the mock runtime; outputs that
 * held a secret stay secret, as a StackReference would deliver them.
 */
export async function offlineInfraOutputs(stack: string, sets: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const config = { ...stackFileConfig(stack), ...Object.fromEntries(Object.entries(sets).map(([key, value]) => [key.includes(":") ? key : `${PROJECT}:${key}`, value])) };
    const run = await runProgram(defineStack as () => unknown, config, stack);
    const { resolveStackOutputs } = await import("../workloads/offline");
    const { outputs, secretOutputNames } = await resolveStackOutputs(run.outputs as Record<string, unknown>);
    return Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, secretOutputNames.includes(name) ? pulumi.secret(value) : value]));
}
