import Table from "cli-table3";
import { parseConfig } from "../../config";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";
import { readBackupLag } from "../backupLag";
import { frontCertificateCommands } from "../frontCertificate";
import { RunbookContext } from "../context";
import { workloadSitesOf } from "../projects";

const FLAGS = ["strategy", "failover", "emergency", "serveApp", "enableAutoFailover"];

/** A site's workloads stack as `status` reports it; `unknown` says why it could not be read. */
export type WorkloadsStatus = { readonly site: string; readonly stack: string } & (
    | { readonly role?: unknown; readonly replicas?: unknown; readonly lastUpdate: string }
    | { readonly unknown: string }
);

/** Reads each site's workloads stack (its outputs and last update); never throws, like the backup lag. */
async function readWorkloadsStatus(ctx: RunbookContext, strategy: string): Promise<WorkloadsStatus[]> {
    const sites = workloadSitesOf(strategy === "pilot-light" ? "pilot-light" : "warm-standby");
    return Promise.all(sites.map(async (site): Promise<WorkloadsStatus> => {
        const stack = ctx.workloadsStacks[site];
        try {
            const workloads = await ctx.openWorkloadsStack(site);
            const [outputs, last] = await Promise.all([workloads.outputs(), workloads.lastUpdate()]);
            return { site, stack, role: outputs.role, replicas: outputs.replicas, lastUpdate: last ? `${last.kind} ${last.result} at ${last.at}` : "never updated" };
        } catch (error) {
            // The first sentence: why; the rest of the refusal is how to create the stack.
            return { site, stack, unknown: (error as Error).message.split(". ")[0] };
        }
    }));
}

/**
 * Strategy, flags, outputs, (pilot light) the backup agent's lag, and each site's workloads
 * stack. With --dry-run: the stack file's view.
 */
export async function status(ctx: RunbookContext, json: boolean): Promise<void> {
    if (ctx.dryRun) {
        const config = parseConfig(projectValues(stackFileConfig(ctx.stack)));
        const flags = { strategy: config.strategy, failover: config.failover, emergency: config.emergency, serveApp: config.azure?.serveApp ?? false, enableAutoFailover: config.enableAutoFailover };
        const workloadsStacks = Object.fromEntries(workloadSitesOf(config.strategy).map(site => [site, ctx.workloadsStacks[site]]));
        ctx.print(json
            ? JSON.stringify({ stack: ctx.stack, source: `Pulumi.${ctx.stack}.yaml`, flags, workloadsStacks }, null, 2)
            : `Pulumi.${ctx.stack}.yaml (offline): ${Object.entries(flags).map(([k, v]) => `${k}=${v}`).join(" ")}; workloads stacks: ${Object.entries(workloadsStacks).map(([site, name]) => `${site} ${name}`).join(", ")}`);
        return;
    }
    const stack = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => stack.getConfig());
    const outputs = await ctx.timeline.step("read outputs", () => stack.outputs());
    const flags = Object.fromEntries(FLAGS.map(flag => [flag, config[flag] ?? (flag === "strategy" ? "?" : "false")]));
    const lag = config.strategy === "pilot-light" && typeof outputs.primaryRegion === "string"
        ? await ctx.timeline.step("read backup lag", () => readBackupLag(outputs.primaryRegion as string, ctx.stack))
        : undefined;
    const workloads = await ctx.timeline.step("read workloads stacks", () => readWorkloadsStatus(ctx, String(config.strategy)), w => w.map(s => `${s.stack} ${"unknown" in s ? "unknown" : s.lastUpdate}`).join(", "));
    const certificate = config.strategy === "pilot-light" ? frontCertificateCommands(outputs) : undefined;
    if (json) {
        ctx.print(JSON.stringify({ stack: ctx.stack, flags, outputs, backupLag: lag ?? null, workloads, ...(certificate ? { frontCertificateCheck: certificate } : {}) }, null, 2));
        return;
    }
    const table = new Table({ head: ["", ""], style: { head: [], border: [], compact: true } });
    table.push(...Object.entries(flags).map(([k, v]) => [k, String(v)]));
    table.push(...Object.entries(outputs).filter(([, v]) => typeof v !== "object").map(([k, v]) => [k, String(v)]));
    if (lag) {
        table.push(["backup lag", "maxSeconds" in lag ? `${lag.maxSeconds} s (worst since ${lag.since})` : `unknown: ${lag.unknown}`]);
    }
    table.push(...workloads.map(w => [`workloads ${w.site} (${w.stack})`, "unknown" in w ? `unknown: ${w.unknown}` : `role ${String(w.role)}, replicas ${String(w.replicas)}, last ${w.lastUpdate}`]));
    ctx.print(table.toString());
    if (certificate) {
        ctx.print("The maintenance front's certificate: check it every few months; Front Door cannot renew it alone while Seoul is healthy (README):");
        certificate.forEach(command => ctx.print(`  ${command}`));
    }
}
