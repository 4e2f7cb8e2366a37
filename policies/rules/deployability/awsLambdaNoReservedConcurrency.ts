import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../../lib/typed";
import { T } from "../../lib/types";

/**
 * Lambda functions reserve no concurrency. Mandatory: a reservation fails the first `pulumi up`
 * in a new account (a DR drill's or an incident's), where the account's concurrency quota is
 * reduced and Lambda keeps a minimum unreserved; nothing at preview can tell the account's quota.
 * An account with a raised quota that wants a reservation sets this policy to advisory.
 */
export const awsLambdaNoReservedConcurrency: ResourceValidationPolicy = {
    name: "aws-lambda-no-reserved-concurrency",
    description: "Lambda functions set no reservedConcurrentExecutions: Lambda keeps a minimum of unreserved account concurrency (100, and new accounts have reduced quotas), so a reservation fails the deploy in a fresh account (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Remove reservedConcurrentExecutions (or set -1) and keep one run at a time another way: an idempotent handler with a conditional write or lock (a DynamoDB item). If the account's quota is raised and the reservation is wanted, set this policy to advisory.",
    validateResource: resourceOfType<{ reservedConcurrentExecutions?: number }>(T.lambdaFunction, (props, _args, report) => {
        const reserved = props.reservedConcurrentExecutions;
        if (reserved !== undefined && reserved > 0) {
            report(`reserves ${reserved} concurrent execution(s) (reservedConcurrentExecutions): Lambda refuses a reservation that leaves the account's unreserved concurrency below its minimum, which a new account's reduced quota always does; remove it and serialize runs with a lock`);
        }
    }),
};
