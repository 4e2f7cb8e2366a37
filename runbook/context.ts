import { Confirm } from "./confirm";
import { StackOps } from "./stackOps";
import { Timeline } from "./timeline";

/** Everything a runbook command works with. */
export interface RunbookContext {
    readonly stack: string;
    /** Show what would change (offline plan diff) and change nothing; needs no Pulumi CLI. */
    readonly dryRun: boolean;
    readonly confirm: Confirm;
    readonly timeline: Timeline;
    readonly print: (line: string) => void;
    /** Opens the live stack (Automation API); only called when not in dry-run. */
    readonly openStack: () => Promise<StackOps>;
    /** Where resumable state and saved timelines live. */
    readonly stateDir: string;
}

/** A command refused to go on; the message says why and what to do instead. */
export class RunbookRefusal extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RunbookRefusal";
    }
}
