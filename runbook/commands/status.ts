import Table from "cli-table3";
import { parseConfig } from "../../config";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";
import { readBackupLag } from "../backupLag";
import { RunbookContext } from "../context";

const FLAGS = ["strategy", "failover", "emergency", "serveApp", "enableAutoFailover"];

/** Strategy, flags, outputs and (pilot light) the backup agent's lag. With --dry-run: the stack file's view. */
export async function status(ctx: RunbookContext, json: boolean): Promise<void> {
    if (ctx.dryRun) {
        const config = parseConfig(projectValues(stackFileConfig(ctx.stack)));
        const flags = { strategy: config.strategy, failover: config.failover, emergency: config.emergency, serveApp: config.azure?.serveApp ?? false, enableAutoFailover: config.enableAutoFailover };
        ctx.print(json ? JSON.stringify({ stack: ctx.stack, source: `Pulumi.${ctx.stack}.yaml`, flags }, null, 2) : `Pulumi.${ctx.stack}.yaml (offline): ${Object.entries(flags).map(([k, v]) => `${k}=${v}`).join(" ")}`);
        return;
    }
    const stack = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => stack.getConfig());
    const outputs = await ctx.timeline.step("read outputs", () => stack.outputs());
    const flags = Object.fromEntries(FLAGS.map(flag => [flag, config[flag] ?? (flag === "strategy" ? "?" : "false")]));
    const lag = config.strategy === "pilot-light" && typeof outputs.primaryRegion === "string"
        ? await ctx.timeline.step("read backup lag", () => readBackupLag(outputs.primaryRegion as string, ctx.stack))
        : undefined;
    if (json) {
        ctx.print(JSON.stringify({ stack: ctx.stack, flags, outputs, backupLag: lag ?? null }, null, 2));
        return;
    }
    const table = new Table({ head: ["", ""], style: { head: [], border: [], compact: true } });
    table.push(...Object.entries(flags).map(([k, v]) => [k, String(v)]));
    table.push(...Object.entries(outputs).filter(([, v]) => typeof v !== "object").map(([k, v]) => [k, String(v)]));
    if (lag) {
        table.push(["backup lag", "maxSeconds" in lag ? `${lag.maxSeconds} s (worst since ${lag.since})` : `unknown: ${lag.unknown}`]);
    }
    ctx.print(table.toString());
}
