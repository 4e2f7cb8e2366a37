import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { PROJECT } from "../config/defaults";
import { REPO_ROOT } from "../plan/stackFiles";

/** What the runbook needs from a Pulumi stack; the Automation API provides it, tests fake it. */
export interface StackOps {
    readonly name: string;
    /** This project's config values, keys without namespace. */
    getConfig(): Promise<Record<string, string>>;
    setConfig(key: string, value: string): Promise<void>;
    /** `pulumi up`, streaming the engine's output. */
    up(onOutput: (line: string) => void): Promise<{ summary: string }>;
    outputs(): Promise<Record<string, unknown>>;
    /** Clears `protect` on the resources whose URN matches, and returns the URNs changed. */
    unprotect(match: (urn: string) => boolean): Promise<string[]>;
}

/** Opens `stack` of this project through Pulumi's Automation API (needs the Pulumi CLI). */
export async function automationStack(stack: string): Promise<StackOps> {
    const selected: Stack = await LocalWorkspace.selectStack({ stackName: stack, workDir: REPO_ROOT });
    const prefix = `${PROJECT}:`;
    return {
        name: stack,
        async getConfig() {
            const all = await selected.getAllConfig();
            return Object.fromEntries(Object.entries(all)
                .filter(([key]) => key.startsWith(prefix))
                .map(([key, value]) => [key.slice(prefix.length), value.value]));
        },
        async setConfig(key, value) {
            await selected.setConfig(`${prefix}${key}`, { value });
        },
        async up(onOutput) {
            const result = await selected.up({ onOutput: text => onOutput(text.trimEnd()) });
            return { summary: `${result.summary.result}: ${JSON.stringify(result.summary.resourceChanges ?? {})}` };
        },
        async outputs() {
            const outputs = await selected.outputs();
            return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.secret ? "[secret]" : output.value]));
        },
        async unprotect(match) {
            // The Automation API edits state by export and import; only the protect flags change.
            const deployment = await selected.exportStack();
            const resources = (deployment.deployment as { resources?: { urn: string; protect?: boolean }[] }).resources ?? [];
            const changed = resources.filter(r => r.protect && match(r.urn));
            changed.forEach(r => { r.protect = false; });
            if (changed.length > 0) {
                await selected.importStack(deployment);
            }
            return changed.map(r => r.urn);
        },
    };
}
