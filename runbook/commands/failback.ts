import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { editDistance } from "../../lib/editDistance";
import { WorkloadSiteName } from "../../lib/workloadSite";
import { DECLINED, DR_EXIT_OK, RunbookContext, RunbookRefusal } from "../context";
import { printSteps, showDryRun } from "../dryRun";
import { DR_PROJECTS, RunbookUsageError } from "../projects";
import { openCheckedWorkloads, upWorkloads } from "../workloadsStep";

/** Traffic shares moved back to the primary, one confirmed step at a time. */
export const TRAFFIC_STEPS = [10, 50, 100];

/** A failback step: done by the operator (with instructions) or by the command. */
interface FailbackStep {
    readonly id: string;
    readonly title: string;
    /** Shown before the operator confirms a manual step. */
    readonly instructions?: (stack: string) => string[];
    readonly run?: (ctx: RunbookContext) => Promise<string>;
}

const SHIFT_TRAFFIC: FailbackStep = {
    id: "shift-traffic",
    title: `shift traffic back gradually: ${TRAFFIC_STEPS.join("% -> ")}%`,
    instructions: () => [
        "Replace the failover records with weighted records (same name): Seoul with weight W, the secondary with 100-W:",
        "  aws route53 change-resource-record-sets --hosted-zone-id $(pulumi stack output dnsZoneId) --change-batch file://weights.json",
        "Watch error rates and latency for at least 10 minutes at each weight before the next.",
    ],
};
const VERIFY: FailbackStep = {
    id: "verify",
    title: "verify the data in the primary",
    instructions: () => [
        "Compare row counts and checksums of the important tables between the DR database and RDS (CHECKSUM TABLE ...).",
        "Check the application's health on the primary and that the backup agent ships again (`status`).",
    ],
};

/** Failback from the Azure pilot light, seed 001's order. */
export const PILOT_LIGHT_FAILBACK: readonly FailbackStep[] = [
    {
        id: "copy-data-back",
        title: "copy what users wrote in Azure back to RDS",
        instructions: stack => [
            `From the app VM: mysqldump --single-transaction --set-gtid-purged=OFF --databases <db> -h $(pulumi stack output emergencyMysqlHost -s ${stack}) | mysql -h <RDS endpoint>`,
            "Or make RDS a replica of Azure MySQL until the switch, for a shorter write freeze.",
            "Freeze writes in Azure (serveApp off or maintenance mode) for the final copy.",
        ],
    },
    SHIFT_TRAFFIC,
    VERIFY,
    {
        id: "release-database",
        title: "release the protected emergency database",
        run: async ctx => {
            const stack = await ctx.openStack();
            const urns = await stack.unprotect(urn => urn.includes("dr:azure:MysqlServer"));
            return urns.length > 0 ? `unprotected ${urns.length}: ${urns.map(u => u.split("::").pop()).join(", ")}` : "nothing was protected";
        },
    },
    {
        id: "emergency-off",
        title: "turn the emergency site off (storage and backups stay)",
        run: async ctx => {
            const stack = await ctx.openStack();
            await stack.setConfig("serveApp", "false");
            await stack.setConfig("emergency", "false");
            return (await stack.up(ctx.print)).summary;
        },
    },
];

/**
 * `pulumi up` of a site's workloads stack during failback, once the infrastructure is back to
 * `failover=false` (so it exports Seoul as primary and Tokyo as standby); refuses before that.
 */
async function failbackWorkloads(ctx: RunbookContext, site: WorkloadSiteName): Promise<string> {
    const infra = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => infra.getConfig(), c => `failover ${c.failover ?? "false"}`);
    if (config.failover === "true") {
        throw new RunbookRefusal(`stack ${ctx.stack} still has failover=true, so its workloadSites still make Tokyo active; finish "restore-roles" (set failover false and pulumi up the infrastructure) first`);
    }
    const workloads = await openCheckedWorkloads(ctx, site);
    return upWorkloads(ctx, workloads, site);
}

/**
 * Failback from Tokyo. The program cannot demote a promoted database, so the database steps are
 * the operator's; the workloads follow the infrastructure: Seoul's pods once Seoul's database is
 * the primary again, Tokyo's back to standby only after traffic has left Tokyo.
 */
export const WARM_STANDBY_FAILBACK: readonly FailbackStep[] = [
    {
        id: "rebuild-primary",
        title: "rebuild Seoul as a replica of Tokyo",
        instructions: () => [
            "Create a cross-region read replica of the Tokyo database in Seoul (aws rds create-db-instance-read-replica --source-db-instance-identifier <Tokyo ARN> --region ap-northeast-2).",
            "Wait until its replica lag is near zero.",
        ],
    },
    {
        id: "restore-roles",
        title: "promote Seoul, then make Tokyo the standby again",
        instructions: stack => [
            "Freeze writes, promote the Seoul replica.",
            `Import the new Seoul database into the stack (pulumi import) and recreate the Tokyo replica from it; then pulumi config set failover false -s ${stack} and pulumi up -s ${stack}.`,
            "The workloads stacks are not changed by this; the next steps bring them along.",
        ],
    },
    {
        id: "primary-workloads",
        title: `Seoul's workloads: pulumi up of the primary site's ${DR_PROJECTS.workloads.name} stack (pods primary, database writable)`,
        run: ctx => failbackWorkloads(ctx, "primary"),
    },
    SHIFT_TRAFFIC,
    VERIFY,
    {
        id: "standby-workloads",
        title: `Tokyo's workloads back to standby: pulumi up of the standby site's ${DR_PROJECTS.workloads.name} stack (minimal pods, read-only)`,
        run: ctx => failbackWorkloads(ctx, "standby"),
    },
];

/** Who said a person's step was done, how, and when; kept in the state file. */
export interface Attestation {
    readonly step: string;
    /** `--confirm-step <id>`, or `answer at the terminal`. */
    readonly by: string;
    /** The OS user that ran the command. */
    readonly user: string;
    readonly at: string;
}

interface FailbackState {
    completed: string[];
    attestations: Attestation[];
}

/** Every step id of either strategy's failback: what a progress file may list. */
function failbackStepIds(): string[] {
    return [...PILOT_LIGHT_FAILBACK, ...WARM_STANDBY_FAILBACK].map(step => step.id);
}

function statePath(stateDir: string, stack: string): string {
    return path.join(stateDir, `failback-${stack}.json`);
}

function readState(stateDir: string, stack: string): FailbackState {
    const file = statePath(stateDir, stack);
    if (!fs.existsSync(file)) {
        return { completed: [], attestations: [] };
    }
    const startOver = `move it away (\`mv ${file} ${file}.bad\`) and run failback again: it starts over at its first step, and the steps it runs itself are safe to repeat`;
    let parsed: Partial<FailbackState>;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<FailbackState>;
    } catch (error) {
        throw new RunbookRefusal(`the failback progress file ${file} is not valid JSON (${(error as Error).message}), so which steps are done is unknown; ${startOver}`);
    }
    const known = new Set(failbackStepIds());
    if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.completed) || parsed.completed.some(id => typeof id !== "string")) {
        throw new RunbookRefusal(`the failback progress file ${file} has no list of completed steps ("completed": [...]), so it is not a failback state file; ${startOver}`);
    }
    const unknown = parsed.completed.filter(id => !known.has(id));
    if (unknown.length > 0) {
        throw new RunbookRefusal(`the failback progress file ${file} lists step(s) no failback has: ${unknown.join(", ")}; it was edited by hand or written by another version; ${startOver}`);
    }
    return { completed: parsed.completed, attestations: Array.isArray(parsed.attestations) ? parsed.attestations : [] };
}

function osUser(): string {
    try {
        return os.userInfo().username;
    } catch {
        // No passwd entry (some containers): the environment is all there is.
        return process.env.USER ?? process.env.USERNAME ?? "unknown";
    }
}

/** Rejects `--confirm-step` ids that are not a person's step of this failback, before anything runs. */
function checkAttestable(steps: readonly FailbackStep[], strategy: string, confirmed: readonly string[]): void {
    const human = steps.filter(s => !s.run).map(s => s.id);
    const problems = confirmed.filter(id => !human.includes(id)).map(id => {
        if (steps.some(s => s.id === id)) {
            return `"${id}" is run by the command, not attested (--yes or the terminal answers "Run it now?")`;
        }
        // A prefix ("copy-data") is as good a guess as a typo a few edits away.
        const distance = (candidate: string) => (candidate.startsWith(id) ? 0 : editDistance(id, candidate));
        const nearest = [...human].sort((a, b) => distance(a) - distance(b))[0];
        return `"${id}" is not a step of the ${strategy} failback${nearest && distance(nearest) <= 3 ? ` (did you mean ${nearest}?)` : ""}`;
    });
    if (problems.length > 0) {
        throw new RunbookUsageError(`--confirm-step: ${problems.join("; ")}. The steps a person does, attested with --confirm-step, are: ${human.join(", ")}`);
    }
}

/**
 * Whether a person did `step`: the flag naming it, or an answer at the terminal (which `--yes`
 * never gives). Undefined when declined; refuses when nobody can answer and no flag names it.
 */
async function attest(ctx: RunbookContext, step: FailbackStep, confirmed: readonly string[], pending: readonly FailbackStep[]): Promise<string | undefined> {
    if (confirmed.includes(step.id)) {
        return `--confirm-step ${step.id}`;
    }
    if (ctx.askPerson) {
        return (await ctx.askPerson(`Is "${step.title}" done? (a person's answer; --yes does not answer this)`)) ? "answer at the terminal" : undefined;
    }
    const flags = pending.map(s => `--confirm-step ${s.id}`).join(" ");
    throw new RunbookRefusal(`"${step.title}" (${step.id}) is a person's work and --yes does not attest it; there is no terminal to ask, so failback stopped here and ran nothing after it. `
        + `Steps still to attest: ${pending.map(s => `${s.id} (${s.title})`).join("; ")}. Once a person has done them, run \`npm run dr -- failback --stack ${ctx.stack} --yes ${flags}\`, or run failback from a terminal and answer`);
}

/** True when the failback of `stack` has completed `stepId`. */
export function failbackDone(stateDir: string, stack: string, stepId: string): boolean {
    return readState(stateDir, stack).completed.includes(stepId);
}

/**
 * Runs the failback steps in order, each confirmed, skipping those already done: it can be
 * stopped anywhere and run again. Progress is kept in `<stateDir>/failback-<stack>.json`.
 */
export async function failback(ctx: RunbookContext, strategy: "pilot-light" | "warm-standby", confirmed: readonly string[] = []): Promise<number> {
    const steps = strategy === "pilot-light" ? PILOT_LIGHT_FAILBACK : WARM_STANDBY_FAILBACK;
    checkAttestable(steps, strategy, confirmed);
    const state = readState(ctx.stateDir, ctx.stack);
    if (ctx.dryRun) {
        if (strategy === "pilot-light") {
            await showDryRun(ctx, { emergency: "false", serveApp: "false" }, steps.map(s => `${state.completed.includes(s.id) ? "[done] " : ""}${s.title}`));
        } else {
            ctx.print(`Workloads stacks: primary ${ctx.workloadsStacks.primary}, standby ${ctx.workloadsStacks.standby} (project ${DR_PROJECTS.workloads.name})`);
            printSteps(ctx, steps.map(s => `${state.completed.includes(s.id) ? "[done] " : ""}${s.title}${s.run || state.completed.includes(s.id) ? "" : ` (a person's step: --confirm-step ${s.id})`}`));
        }
        return DR_EXIT_OK;
    }
    for (const step of steps) {
        if (state.completed.includes(step.id)) {
            ctx.timeline.log(step.title, "skipped", "done in an earlier run");
            continue;
        }
        step.instructions?.(ctx.stack).forEach(line => ctx.print(`    ${line}`));
        if (step.run) {
            if (!(await ctx.confirm(`Run "${step.title}" now?`))) {
                ctx.timeline.log(step.title, "skipped", "operator declined; nothing after it was run; run failback again to resume here");
                return DECLINED;
            }
            await ctx.timeline.step(step.title, () => step.run!(ctx), detail => detail);
        } else {
            const pending = steps.filter(s => !s.run && !state.completed.includes(s.id) && !confirmed.includes(s.id));
            const by = await attest(ctx, step, confirmed, pending);
            if (!by) {
                ctx.timeline.log(step.title, "skipped", "operator declined (not done yet); nothing after it was run; run failback again to resume here");
                return DECLINED;
            }
            ctx.timeline.log(step.title, "done", `attested by ${by}`);
            state.attestations.push({ step: step.id, by, user: osUser(), at: ctx.timeline.records[ctx.timeline.records.length - 1].at });
        }
        state.completed.push(step.id);
        fs.mkdirSync(ctx.stateDir, { recursive: true });
        fs.writeFileSync(statePath(ctx.stateDir, ctx.stack), JSON.stringify(state, null, 2));
    }
    ctx.timeline.log("failback", "done", "every step complete");
    return DR_EXIT_OK;
}
