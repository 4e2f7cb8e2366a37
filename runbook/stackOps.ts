import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { DR_PROJECTS, DrProject } from "./projects";

/** What the runbook needs from a Pulumi stack; the Automation API provides it, tests fake it. */
export interface StackOps {
    readonly name: string;
    /** This project's config values, keys without namespace. */
    getConfig(): Promise<Record<string, string>>;
    /** Sets a key of this project (`failover`), or of a provider when namespaced (`aws:stsRegion`). */
    setConfig(key: string, value: string): Promise<void>;
    /** `pulumi up`, streaming the engine's output. */
    up(onOutput: (line: string) => void): Promise<{ summary: string }>;
    outputs(): Promise<Record<string, unknown>>;
    /** Clears `protect` on the resources whose URN matches, and returns the URNs changed. */
    unprotect(match: (urn: string) => boolean): Promise<string[]>;
    /** The newest update, preview or refresh recorded in the stack's history; undefined when there is none. */
    lastUpdate(): Promise<LastUpdate | undefined>;
}

/** One entry of a stack's history, as `status` shows it. */
export interface LastUpdate {
    readonly kind: string;
    readonly result: string;
    /** ISO time the operation ended (or started, while it runs). */
    readonly at: string;
}

/**
 * Opens `stack` of `project` (default: the infrastructure at the repository root; `workloads`:
 * the project in `workloads/`) through Pulumi's Automation API. Needs the Pulumi CLI; rejects
 * when the stack does not exist.
 */
export async function automationStack(stack: string, project: DrProject = "infrastructure"): Promise<StackOps> {
    const { name: projectName, workDir } = DR_PROJECTS[project];
    const selected: Stack = await LocalWorkspace.selectStack({ stackName: stack, workDir });
    const prefix = `${projectName}:`;
    return {
        name: stack,
        async getConfig() {
            const all = await selected.getAllConfig();
            return Object.fromEntries(Object.entries(all)
                .filter(([key]) => key.startsWith(prefix))
                .map(([key, value]) => [key.slice(prefix.length), value.value]));
        },
        async setConfig(key, value) {
            await selected.setConfig(key.includes(":") ? key : `${prefix}${key}`, { value });
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
        async lastUpdate() {
            const [last] = await selected.history(1, 1);
            if (!last) {
                return undefined;
            }
            const time = new Date(last.endTime ?? last.startTime);
            return { kind: last.kind, result: last.result, at: Number.isNaN(time.getTime()) ? "unknown" : time.toISOString() };
        },
    };
}
