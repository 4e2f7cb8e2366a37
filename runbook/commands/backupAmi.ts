import { AMI_ID_PATTERN } from "../../components/aws/backupInstance";
import { RunbookContext } from "../context";
import { StackOps } from "../stackOps";

/** Config key, and stack output, of the backup instance's image. */
export const BACKUP_AMI_KEY = "backupInstanceAmi";

/** The dry-run step, and the reason for pinning. */
export const PIN_AMI_STEP = `pulumi config set ${BACKUP_AMI_KEY} <stack output ${BACKUP_AMI_KEY}> unless set already: pulumi up then never looks the AMI up in Seoul's SSM, which fails while Seoul is down`;

/** What pinning the backup instance's AMI would do, decided before the operator confirms. */
export type AmiPin =
    | { readonly action: "keep"; readonly ami: string }
    | { readonly action: "pin"; readonly ami: string }
    | { readonly action: "unavailable"; readonly reason: string };

/**
 * Decides how `pulumi up` gets the backup instance's AMI without Seoul: the config already pins
 * it (keep), or the stack output names the image the instance runs (pin it), or neither (the up
 * looks it up in Seoul's SSM, which works only while Seoul answers). Reads, never writes.
 */
export async function planAmiPin(ctx: RunbookContext, stack: StackOps, config: Readonly<Record<string, string>>): Promise<AmiPin> {
    if (config[BACKUP_AMI_KEY]) {
        return { action: "keep", ami: config[BACKUP_AMI_KEY] };
    }
    const outputs = await ctx.timeline.step(`read stack output ${BACKUP_AMI_KEY}`, () => stack.outputs(), o => String(o[BACKUP_AMI_KEY] ?? "(none)"));
    const ami = outputs[BACKUP_AMI_KEY];
    if (typeof ami === "string" && AMI_ID_PATTERN.test(ami)) {
        return { action: "pin", ami };
    }
    const pin: AmiPin = {
        action: "unavailable",
        reason: `the stack has no ${BACKUP_AMI_KEY} output (${ami === undefined ? "not deployed with it yet" : `"${String(ami)}" is not an AMI id`}), so pulumi up looks the AMI up in Seoul's SSM and fails while Seoul is down; `
            + `if it does, pin the running instance's image: pulumi config set ${BACKUP_AMI_KEY} $(aws ec2 describe-instances --instance-ids <backup instance id> --query 'Reservations[0].Instances[0].ImageId' --output text)`,
    };
    ctx.timeline.log(`pin ${BACKUP_AMI_KEY}`, "info", `WARNING: ${pin.reason}`);
    return pin;
}

/** Carries out a planned pin (after the operator confirmed), saying on the timeline what it did. */
export async function applyAmiPin(ctx: RunbookContext, stack: StackOps, pin: AmiPin): Promise<void> {
    if (pin.action === "keep") {
        ctx.timeline.log(`pulumi config set ${BACKUP_AMI_KEY}`, "skipped", `already pinned to ${pin.ami}; pulumi up does not read Seoul's SSM`);
    } else if (pin.action === "pin") {
        await ctx.timeline.step(`pulumi config set ${BACKUP_AMI_KEY} ${pin.ami}`, () => stack.setConfig(BACKUP_AMI_KEY, pin.ami), () => "pinned from the stack output: pulumi up does not read Seoul's SSM");
    }
}
