import { StackValidationPolicy } from "@pulumi/policy";
import { awsRegionOf } from "../../lib/regions";
import { stackResourcesOfType } from "../../lib/typed";
import { T } from "../../lib/types";

/** The default Elastic IP quota of a region (EC2-VPC Elastic IPs, Service Quotas code L-0263D0A3). */
export const DEFAULT_MAX_ELASTIC_IPS_PER_REGION = 5;

/** Config of {@link awsEc2EipQuota}. */
export interface EipQuotaConfig {
    /** The account's Elastic IP quota per region. Default 5. */
    maxElasticIpsPerRegion: number;
}

/**
 * The stack's Elastic IPs per region fit the account's quota. Counted per region: the Elastic IP's
 * own `region` input, else its provider's region (the `aws:region` config of a default
 * provider); one whose region is unset or unknown at preview is not counted. Advisory: the stack
 * cannot see the account's real quota, nor the addresses other stacks of the account hold, so
 * this only says the stack alone already needs more than the configured quota.
 */
export const awsEc2EipQuota: StackValidationPolicy = {
    name: "aws-ec2-eip-quota",
    description: "The stack's Elastic IPs in each region fit the account's Elastic IP quota (default 5 per region: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html); past it, AllocateAddress fails with AddressLimitExceeded during the update.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Request an increase of the region's Elastic IP quota in Service Quotas (Amazon EC2, code L-0263D0A3) before deploying, then set maxElasticIpsPerRegion to the granted value; or use fewer NAT gateways (`primaryNatGateways: single`).",
    configSchema: {
        properties: {
            maxElasticIpsPerRegion: {
                type: "integer",
                minimum: 0,
                default: DEFAULT_MAX_ELASTIC_IPS_PER_REGION,
                description: "The account's Elastic IP quota per region (Service Quotas L-0263D0A3); AWS's default is 5.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const eips = stackResourcesOfType(args.resources, T.eip);
        if (eips.length === 0) {
            args.notApplicable("The stack declares no Elastic IP");
        }
        const { maxElasticIpsPerRegion } = args.getConfig<EipQuotaConfig>();
        const counts = new Map<string, number>();
        for (const eip of eips) {
            const region = awsRegionOf(eip.props, eip.provider);
            if (typeof region === "string" && region.length > 0) {
                counts.set(region, (counts.get(region) ?? 0) + 1);
            }
        }
        for (const [region, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
            if (count > maxElasticIpsPerRegion) {
                reportViolation(`the stack allocates ${count} Elastic IPs in ${region}, over the quota of ${maxElasticIpsPerRegion} per region (maxElasticIpsPerRegion): the allocations past it fail with AddressLimitExceeded. Request an Elastic IP quota increase (Service Quotas code L-0263D0A3), or set primaryNatGateways: single`);
            }
        }
    },
};
