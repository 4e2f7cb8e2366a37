import { LastUpdate, StackOps } from "../../runbook/stackOps";

/** A stack in memory: config, protect flags and an `up` that records what it was asked. */
export class FakeStack implements StackOps {
    readonly ups: Record<string, string>[] = [];
    readonly sets: [string, string][] = [];
    /** What `lastUpdate` answers; each `up` replaces it. */
    last: LastUpdate | undefined;
    /** When set, shared by several fakes: every change, as `<stack>: set k=v` or `<stack>: up`, in the order made. */
    journal?: string[];
    /** When set, `up` rejects with it (after recording the attempt). */
    upError?: Error;
    constructor(
        readonly name: string,
        readonly config: Record<string, string>,
        private readonly outputsAfterUp: (config: Record<string, string>) => Record<string, unknown>,
        readonly protectedUrns: string[] = [],
    ) {}

    async getConfig() {
        return { ...this.config };
    }

    async setConfig(key: string, value: string) {
        this.sets.push([key, value]);
        this.journal?.push(`${this.name}: set ${key}=${value}`);
        this.config[key] = value;
    }

    async up(onOutput: (line: string) => void) {
        this.ups.push({ ...this.config });
        this.journal?.push(`${this.name}: up`);
        if (this.upError) {
            throw this.upError;
        }
        this.last = { kind: "update", result: "succeeded", at: "2026-11-22T10:00:00.000Z" };
        onOutput("Updating (fake)");
        return { summary: "succeeded: {}" };
    }

    async outputs() {
        return this.outputsAfterUp(this.config);
    }

    async unprotect(match: (urn: string) => boolean) {
        const released = this.protectedUrns.filter(match);
        released.forEach(urn => this.protectedUrns.splice(this.protectedUrns.indexOf(urn), 1));
        return released;
    }

    async lastUpdate() {
        return this.last;
    }
}
