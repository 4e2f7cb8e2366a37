import { ProgramRun, StackConfig } from "../plan/runOffline";
import { workloadsStackConfig } from "../workloads/stackFiles";

/** What a dry run needs from the workloads project offline; tests may substitute it. */
export interface WorkloadsOffline {
    /** The `config:` map of `workloads/Pulumi.<stack>.yaml`; throws when there is no such file. */
    stackConfig(stack: string): StackConfig;
    /** Runs the workloads program under the mock runtime against the given infrastructure outputs. */
    run(options: { stack: string; config: Record<string, unknown>; infraOutputs: Record<string, unknown> }): Promise<ProgramRun<unknown>>;
}

/**
 * The workloads project's own stack-file reader and offline runner (`workloads/stackFiles.ts`,
 * `workloads/offline.ts`); the runner (and the workloads program) is loaded only when a dry run
 * needs it.
 */
export const projectWorkloadsOffline: WorkloadsOffline = {
    stackConfig: workloadsStackConfig,
    run: async options => (await import("../workloads/offline")).runWorkloadsOffline(options),
};
