import { ResourceValidationPolicy } from "@pulumi/policy";
import { NAME_RULES, nameProblems } from "../../lib/awsNames";
import { readKnown, UNKNOWN } from "../../lib/known";

/**
 * Explicit names fit the limits AWS enforces only when it creates the resource: RDS identifiers
 * (63), load balancer and target group names (32), IAM role names (64), Lambda function names
 * (64), S3 bucket names (3-63, lowercase), RDS final snapshot identifiers (255, checked by AWS only
 * when the database is deleted). Each rule and its source is in `lib/awsNames.ts`.
 */
export const awsResourceNameLimits: ResourceValidationPolicy = {
    name: "aws-resource-name-limits",
    description: `Explicit AWS names fit the length and character limits AWS enforces at create time, not at preview: ${NAME_RULES.map(rule => `${rule.what} ${rule.min === 1 ? `up to ${rule.max}` : `${rule.min}-${rule.max}`} (${rule.source})`).join("; ")}.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Shorten or rename the resource (or leave the name out and let Pulumi auto-name it, which fits the limit): keep role names in names that are derived from stack and site short, and use lowercase for buckets.",
    validateResource: (args, report) => {
        const rules = NAME_RULES.filter(rule => rule.types.includes(args.type));
        if (rules.length === 0) {
            args.notApplicable("Policy only applies to resources with a name AWS limits at create time");
        }
        for (const rule of rules) {
            const name = readKnown(() => (args.props as Record<string, unknown>)[rule.property]);
            if (name === UNKNOWN || typeof name !== "string") {
                continue;
            }
            const problems = nameProblems(rule, name);
            if (problems.length > 0) {
                report(`${rule.what} "${name}" (${rule.property}) ${problems.join("; ")}: AWS refuses it (${rule.source})`);
            }
        }
    },
};
