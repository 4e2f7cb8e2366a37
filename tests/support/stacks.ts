import { defineStack } from "../../program";
import { ProgramRun, runProgram } from "../../plan/runOffline";
import { stackFileConfig } from "../../plan/stackFiles";

const runs = new Map<string, Promise<ProgramRun<unknown>>>();

/**
 * Runs the whole program for a shipped stack file plus overrides, once per distinct config in
 * this test process: many files assert different things about the same stack. Results are shared,
 * so tests must not modify them. Failing runs are not cached.
 */
export function runStack<T>(stack: string, overrides: Record<string, unknown> = {}): Promise<ProgramRun<T>> {
    const key = JSON.stringify([stack, Object.entries(overrides).sort()]);
    let run = runs.get(key);
    if (!run) {
        run = runProgram(defineStack as () => unknown, { ...stackFileConfig(stack), ...overrides }, stack);
        runs.set(key, run);
        run.catch(() => runs.delete(key));
    }
    return run as Promise<ProgramRun<T>>;
}
