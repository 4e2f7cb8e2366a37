import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AddressBlock, overlaps, parseCidr } from "../lib/cidr";
import { readKnown, readKnownList, UNKNOWN } from "../lib/known";
import { awsRegionOf, azureLocationOf, regionLabel } from "../lib/regions";
import { stackResourcesOfType } from "../lib/typed";
import { T } from "../lib/types";

interface NetworkBlock {
    readonly resource: PolicyResource;
    readonly label: string;
    readonly cidr: string;
    readonly block: AddressBlock;
}

/** VPC and VNet address spaces across regions and clouds must not overlap. */
export const drCidrNoOverlap: StackValidationPolicy = {
    name: "dr-cidr-no-overlap",
    description: "VPC and VNet address spaces across regions and clouds do not overlap, so the sites can be peered and routed to each other.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Give each VPC and VNet its own block (the program's primaryCidr, standbyCidr and azureCidr), e.g. 10.10.0.0/16, 10.20.0.0/16 and 10.30.0.0/16.",
    validateStack: (args, reportViolation) => {
        const networks = stackResourcesOfType(args.resources, T.vpc, T.vpcCidrAssociation, T.vnet);
        if (networks.length === 0) {
            args.notApplicable("The stack declares no VPC or VNet");
        }
        const blocks = networks.flatMap(blocksOf);
        blocks.forEach((later, index) => {
            for (const earlier of blocks.slice(0, index)) {
                if (earlier.resource.urn !== later.resource.urn && overlaps(earlier.block, later.block)) {
                    reportViolation(
                        `${later.label} ${later.cidr} overlaps ${earlier.label} ${earlier.cidr}: networks that must reach each other during a failover cannot share addresses`,
                        later.resource.urn,
                    );
                }
            }
        });
    },
};

/** The known address blocks of one network resource; unknown or unparsable ones are skipped. */
function blocksOf(resource: PolicyResource): NetworkBlock[] {
    if (resource.type === T.vnet) {
        const prefixes = readKnownList(() => resource.props.addressSpace?.addressPrefixes as unknown[] | undefined);
        const where = regionLabel(azureLocationOf(resource.props));
        return prefixes === UNKNOWN ? [] : prefixes.flatMap(prefix => block(resource, `VNet ${resource.name} (${where})`, prefix));
    }
    const cidr = readKnown(() => resource.props.cidrBlock as unknown);
    const kind = resource.type === T.vpc ? "VPC" : "VPC block";
    return block(resource, `${kind} ${resource.name} (${regionLabel(awsRegionOf(resource.props, resource.provider))})`, cidr);
}

function block(resource: PolicyResource, label: string, cidr: unknown): NetworkBlock[] {
    const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
    return parsed && typeof cidr === "string" ? [{ resource, label, cidr, block: parsed }] : [];
}
