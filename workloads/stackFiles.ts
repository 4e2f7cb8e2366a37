import * as path from "path";
import { StackConfig } from "../plan/runOffline";
import { knownStacks, stackFileConfig } from "../plan/stackFiles";

/** The workloads project's folder, where its Pulumi.yaml and stack files live. */
export const WORKLOADS_ROOT = path.resolve(__dirname);

/** Workloads stacks with a `workloads/Pulumi.<stack>.yaml`. */
export function knownWorkloadsStacks(): string[] {
    return knownStacks(WORKLOADS_ROOT);
}

/**
 * The `config:` map of `workloads/Pulumi.<stack>.yaml` as the CLI would hand it to the program
 * (`secure:` values replaced by a placeholder). Throws naming the known stacks when there is no
 * such file.
 */
export function workloadsStackConfig(stack: string): StackConfig {
    return stackFileConfig(stack, WORKLOADS_ROOT);
}
