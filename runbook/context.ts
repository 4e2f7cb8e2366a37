import { WorkloadSiteName } from "../lib/workloadSite";
import { Confirm } from "./confirm";
import { WorkloadsStackNames } from "./projects";
import { StackOps } from "./stackOps";
import { Timeline } from "./timeline";
import { WorkloadsOffline } from "./workloadsOffline";

/** Everything a runbook command works with. */
export interface RunbookContext {
    readonly stack: string;
    /** Show what would change (offline plan diff) and change nothing; needs no Pulumi CLI. */
    readonly dryRun: boolean;
    /** Answers "proceed?" questions: `--yes`, the terminal, or a refusal naming `--yes` when there is no terminal. */
    readonly confirm: Confirm;
    /**
     * Asks the person at the terminal whether they did something (a failback step); `--yes` never
     * answers it. Undefined without a terminal: such steps are attested with a flag instead.
     */
    readonly askPerson?: Confirm;
    readonly timeline: Timeline;
    readonly print: (line: string) => void;
    /** Opens the live stack (Automation API); only called when not in dry-run. */
    readonly openStack: () => Promise<StackOps>;
    /** The workloads stack (project `multicloud-dr-workloads`) of each site of this stack. */
    readonly workloadsStacks: WorkloadsStackNames;
    /**
     * Opens a site's live workloads stack; rejects with a {@link RunbookRefusal} saying how to
     * create or name it when it cannot be opened (it does not exist, or no Pulumi CLI).
     */
    readonly openWorkloadsStack: (site: WorkloadSiteName) => Promise<StackOps>;
    /** Runs the workloads program offline, for dry runs. */
    readonly workloadsOffline: WorkloadsOffline;
    /** Where resumable state and saved timelines live. */
    readonly stateDir: string;
}

/** What a command returns when it finished: exit 0. */
export const DR_EXIT_OK = 0;
/** What a command returns when the operator declined its confirmation: nothing (more) changed, exit 1 so a script notices. */
export const DECLINED = 1;

/** A command refused to go on; the message says why and what to do instead. */
export class RunbookRefusal extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RunbookRefusal";
    }
}
