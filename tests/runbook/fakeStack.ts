import { StackOps } from "../../runbook/stackOps";

/** A stack in memory: config, protect flags and an `up` that records what it was asked. */
export class FakeStack implements StackOps {
    readonly ups: Record<string, string>[] = [];
    readonly sets: [string, string][] = [];
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
        this.config[key] = value;
    }

    async up(onOutput: (line: string) => void) {
        this.ups.push({ ...this.config });
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
}
