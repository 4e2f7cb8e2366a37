import * as fs from "fs";
import * as path from "path";
import { WorkloadSiteName } from "../../lib/workloadSite";
import { RunbookContext, RunbookRefusal } from "../context";
import { printSteps, showDryRun } from "../dryRun";
import { DR_PROJECTS } from "../projects";
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

interface FailbackState {
    completed: string[];
}

function statePath(stateDir: string, stack: string): string {
    return path.join(stateDir, `failback-${stack}.json`);
}

function readState(stateDir: string, stack: string): FailbackState {
    const file = statePath(stateDir, stack);
    if (!fs.existsSync(file)) {
        return { completed: [] };
    }
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<FailbackState>;
    if (!Array.isArray(parsed.completed)) {
        throw new RunbookRefusal(`${file} is not a failback state file; move it away to start over`);
    }
    return { completed: parsed.completed };
}

/** True when the failback of `stack` has completed `stepId`. */
export function failbackDone(stateDir: string, stack: string, stepId: string): boolean {
    return readState(stateDir, stack).completed.includes(stepId);
}

/**
 * Runs the failback steps in order, each confirmed, skipping those already done: it can be
 * stopped anywhere and run again. Progress is kept in `<stateDir>/failback-<stack>.json`.
 */
export async function failback(ctx: RunbookContext, strategy: "pilot-light" | "warm-standby"): Promise<void> {
    const steps = strategy === "pilot-light" ? PILOT_LIGHT_FAILBACK : WARM_STANDBY_FAILBACK;
    const state = readState(ctx.stateDir, ctx.stack);
    if (ctx.dryRun) {
        if (strategy === "pilot-light") {
            await showDryRun(ctx, { emergency: "false", serveApp: "false" }, steps.map(s => `${state.completed.includes(s.id) ? "[done] " : ""}${s.title}`));
        } else {
            ctx.print(`Workloads stacks: primary ${ctx.workloadsStacks.primary}, standby ${ctx.workloadsStacks.standby} (project ${DR_PROJECTS.workloads.name})`);
            printSteps(ctx, steps.map(s => `${state.completed.includes(s.id) ? "[done] " : ""}${s.title}`));
        }
        return;
    }
    for (const step of steps) {
        if (state.completed.includes(step.id)) {
            ctx.timeline.log(step.title, "skipped", "done in an earlier run");
            continue;
        }
        step.instructions?.(ctx.stack).forEach(line => ctx.print(`    ${line}`));
        const question = step.run ? `Run "${step.title}" now?` : `Is "${step.title}" done?`;
        if (!(await ctx.confirm(question))) {
            ctx.timeline.log(step.title, "skipped", "not confirmed; run failback again to resume here");
            return;
        }
        if (step.run) {
            await ctx.timeline.step(step.title, () => step.run!(ctx), detail => detail);
        } else {
            ctx.timeline.log(step.title, "done", "confirmed by the operator");
        }
        state.completed.push(step.id);
        fs.mkdirSync(ctx.stateDir, { recursive: true });
        fs.writeFileSync(statePath(ctx.stateDir, ctx.stack), JSON.stringify(state, null, 2));
    }
    ctx.timeline.log("failback", "done", "every step complete");
}
