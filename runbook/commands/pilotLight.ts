import { parseConfig } from "../../config";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";
import { DECLINED, DR_EXIT_OK, RunbookContext, RunbookRefusal } from "../context";
import { showDryRun } from "../dryRun";
import { applyAmiPin, PIN_AMI_STEP, planAmiPin } from "./backupAmi";
import { failbackDone } from "./failback";
import { useStsAwayFromPrimary } from "./stsRegion";

const EMERGENCY_STEPS = [
    "confirm with the operator",
    PIN_AMI_STEP,
    "pulumi config set emergency true (serveApp stays false: the gateway shows the maintenance page)",
    "pulumi config set aws:stsRegion us-east-1 (the provider's credential check must not need Seoul)",
    "pulumi up: Azure MySQL, the app VM (restores the newest verified backup once), the web VM, the Application Gateway; Route 53's SECONDARY moves to the gateway",
    "print the gateway and how to read the restore report; next: `serve-app` once the data is verified",
];

const SERVE_STEPS = ["confirm with the operator", PIN_AMI_STEP, "pulumi config set serveApp true", "pulumi config set aws:stsRegion us-east-1", "pulumi up: the gateway routes to the application", "verify: emergencyServing is app"];

const EMERGENCY_IS_OFF = "emergency is off: there is no application in Azure to serve; run `emergency on` first";

function checkPilotLight(stack: string, strategy: string | undefined): void {
    if (strategy !== "pilot-light") {
        throw new RunbookRefusal(`stack ${stack} runs ${strategy}; this command applies to pilot-light (use \`failover\` for warm-standby)`);
    }
}

async function openPilotLight(ctx: RunbookContext) {
    const stack = await ctx.openStack();
    const config = await ctx.timeline.step("read stack config", () => stack.getConfig(), c => `strategy ${c.strategy}, emergency ${c.emergency ?? "false"}, serveApp ${c.serveApp ?? "false"}`);
    checkPilotLight(ctx.stack, config.strategy);
    return { stack, config };
}

/**
 * The config a dry run starts from: the stack file, where `pulumi config set` writes, so the dry
 * run refuses where the real command would, with the same message.
 */
function dryRunConfig(ctx: RunbookContext): { emergency: boolean } {
    const config = parseConfig(projectValues(stackFileConfig(ctx.stack)));
    ctx.timeline.log(`read Pulumi.${ctx.stack}.yaml`, "info", `strategy ${config.strategy}, emergency ${config.emergency}`);
    checkPilotLight(ctx.stack, config.strategy);
    return { emergency: config.emergency };
}

/** Seed 001's T+30: build the emergency site. Returns {@link DECLINED} when the operator says no. */
export async function emergencyOn(ctx: RunbookContext): Promise<number> {
    if (ctx.dryRun) {
        dryRunConfig(ctx);
        await showDryRun(ctx, { emergency: "true" }, EMERGENCY_STEPS);
        return DR_EXIT_OK;
    }
    const { stack, config } = await openPilotLight(ctx);
    const pin = await planAmiPin(ctx, stack, config);
    if (!(await ctx.confirm(`Build the Azure emergency site for ${ctx.stack} (MySQL, VMs, Application Gateway)?`))) {
        ctx.timeline.log("confirm", "skipped", "operator declined; nothing changed");
        return DECLINED;
    }
    await applyAmiPin(ctx, stack, pin);
    await ctx.timeline.step("pulumi config set emergency true", () => stack.setConfig("emergency", "true"));
    await useStsAwayFromPrimary(ctx, stack, config);
    await ctx.timeline.step("pulumi up", () => stack.up(ctx.print), r => r.summary);
    const outputs = await ctx.timeline.step("read outputs", () => stack.outputs(), o => `gateway ${o.emergencyGatewayHost}, serving ${o.emergencyServing}`);
    ctx.print(`Next: read the restore report on the app VM (az vm run-command invoke -g ${String(outputs.azureResourceGroup)} ... cat /var/lib/mysql-dr/restore-report.json), then run \`npm run dr -- serve-app --stack ${ctx.stack}\`.`);
    return DR_EXIT_OK;
}

/**
 * Turning the emergency site off is the last step of failback, never a shortcut: until failback
 * has copied the data back and released the database, this refuses.
 */
export async function emergencyOff(ctx: RunbookContext): Promise<void> {
    if (!failbackDone(ctx.stateDir, ctx.stack, "release-database")) {
        throw new RunbookRefusal(`emergency off would delete what users wrote in Azure; run \`npm run dr -- failback --stack ${ctx.stack}\`, which copies the data back first and turns emergency off as its last step`);
    }
    if (ctx.dryRun) {
        return showDryRun(ctx, { emergency: "false", serveApp: "false" }, ["pulumi config set serveApp false", "pulumi config set emergency false", "pulumi up"]);
    }
    const { stack } = await openPilotLight(ctx);
    await ctx.timeline.step("pulumi config set serveApp false", () => stack.setConfig("serveApp", "false"));
    await ctx.timeline.step("pulumi config set emergency false", () => stack.setConfig("emergency", "false"));
    await ctx.timeline.step("pulumi up", () => stack.up(ctx.print), r => r.summary);
}

/** Seed 001's T+120 (`enable_petclinic`): send users to the application. Returns {@link DECLINED} when the operator says no. */
export async function serveApp(ctx: RunbookContext): Promise<number> {
    if (ctx.dryRun) {
        if (!dryRunConfig(ctx).emergency) {
            throw new RunbookRefusal(`${EMERGENCY_IS_OFF} (dry run of Pulumi.${ctx.stack}.yaml: the real command would refuse the same way and change nothing)`);
        }
        await showDryRun(ctx, { serveApp: "true" }, SERVE_STEPS);
        return DR_EXIT_OK;
    }
    const { stack, config } = await openPilotLight(ctx);
    if (config.emergency !== "true") {
        throw new RunbookRefusal(EMERGENCY_IS_OFF);
    }
    const pin = await planAmiPin(ctx, stack, config);
    if (!(await ctx.confirm("Has the restore report been checked, and should users now reach the application?"))) {
        ctx.timeline.log("confirm", "skipped", "operator declined; nothing changed");
        return DECLINED;
    }
    await applyAmiPin(ctx, stack, pin);
    await ctx.timeline.step("pulumi config set serveApp true", () => stack.setConfig("serveApp", "true"));
    await useStsAwayFromPrimary(ctx, stack, config);
    await ctx.timeline.step("pulumi up", () => stack.up(ctx.print), r => r.summary);
    const outputs = await ctx.timeline.step("verify", () => stack.outputs(), o => `emergencyServing ${o.emergencyServing}`);
    if (outputs.emergencyServing !== "app") {
        throw new RunbookRefusal(`the gateway reports ${String(outputs.emergencyServing)}, not app`);
    }
    return DR_EXIT_OK;
}
