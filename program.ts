import * as aws from "@pulumi/aws";
import { loadConfig } from "./config";
import { buildStrategy, CommonOutputs } from "./strategies";

/**
 * The whole program: validate the stack's config (throwing before anything is declared), then
 * declare the strategy's resources. Returns the stack outputs.
 */
export function defineStack(): CommonOutputs {
    const config = loadConfig();
    const accountId = aws.getCallerIdentityOutput({}).accountId;
    return buildStrategy(config, accountId);
}
