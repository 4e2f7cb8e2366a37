import { DEFAULT_PRIMARY_REGION } from "../../config/defaults";
import { RunbookContext } from "../context";
import { StackOps } from "../stackOps";

/**
 * A region for the AWS provider's STS calls that is not the primary's. The provider checks its
 * credentials with STS in `aws:region` (Seoul) before it changes anything, and the program's
 * caller-identity lookup goes there too: while Seoul is down, both fail and no change elsewhere
 * would be made. Warm standby uses its standby region; the pilot light, which has no other AWS
 * region, uses us-east-1 (us-west-2 if the primary is us-east-1).
 */
export function stsRegionAwayFromPrimary(config: Record<string, string>): string {
    if (config.strategy === "warm-standby") {
        return config.standbyRegion ?? "ap-northeast-1";
    }
    return (config.primaryRegion ?? DEFAULT_PRIMARY_REGION) === "us-east-1" ? "us-west-2" : "us-east-1";
}

/** Points the stack's STS calls away from the primary region before an `up` that must work while it is down. */
export async function useStsAwayFromPrimary(ctx: RunbookContext, stack: StackOps, config: Record<string, string>): Promise<void> {
    const region = stsRegionAwayFromPrimary(config);
    await ctx.timeline.step(`pulumi config set aws:stsRegion ${region}`, () => stack.setConfig("aws:stsRegion", region));
}
