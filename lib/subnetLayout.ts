import { formatCidr, mustParseCidr, subnetAt } from "./cidr";

/** The three subnet tiers every network gets, one subnet per availability zone. */
export type SubnetTier = "public" | "private" | "data";

/** CIDR blocks for each tier, indexed by availability zone. */
export type SubnetLayout = Record<SubnetTier, string[]>;

/** Smallest and largest VPC prefix the layout supports (a /22 still leaves /27 public subnets). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 22;
/** The layout reserves room for at most this many zones. */
export const MAX_ZONES = 3;

/**
 * Splits a VPC block into tiers. Private subnets, where EKS pods take their IPs, get a quarter
 * of the VPC each; the last quarter is cut into eighths for the public and data tiers, leaving
 * two eighths spare for later tiers. A /16 gives /18 private, /21 public and /21 data subnets.
 */
export function layoutSubnets(vpcCidr: string, zoneCount: number): SubnetLayout {
    const vpc = mustParseCidr(vpcCidr);
    if (vpc.prefixLength < MIN_VPC_PREFIX || vpc.prefixLength > MAX_VPC_PREFIX) {
        throw new Error(`VPC block ${vpcCidr} must be between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}`);
    }
    if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_ZONES) {
        throw new Error(`the subnet layout holds 1-${MAX_ZONES} zones, not ${zoneCount}`);
    }
    const quarter = vpc.prefixLength + 2;
    const shared = subnetAt(vpc, quarter, 3);
    const eighth = shared.prefixLength + 3;
    const zones = [...Array(zoneCount).keys()];
    return {
        private: zones.map(i => formatCidr(subnetAt(vpc, quarter, i))),
        public: zones.map(i => formatCidr(subnetAt(shared, eighth, i))),
        data: zones.map(i => formatCidr(subnetAt(shared, eighth, 4 + i))),
    };
}

/** The Azure VNet's subnets: Application Gateway, web VMs, app VMs, and the MySQL-delegated subnet. */
export type AzureSubnetRole = "gateway" | "web" | "app" | "mysql";

/** The roles in the order their blocks are cut. */
export const AZURE_SUBNET_ROLES: readonly AzureSubnetRole[] = ["gateway", "web", "app", "mysql"];

/**
 * Cuts an Azure VNet block into sixteenths and gives the first four to the gateway, web, app and
 * MySQL subnets (a /16 gives /20s; a /22 still gives the /26 an Application Gateway v2 needs).
 */
export function layoutAzureSubnets(vnetCidr: string): Record<AzureSubnetRole, string> {
    const vnet = mustParseCidr(vnetCidr);
    if (vnet.prefixLength < MIN_VPC_PREFIX || vnet.prefixLength > MAX_VPC_PREFIX) {
        throw new Error(`VNet block ${vnetCidr} must be between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}`);
    }
    const size = vnet.prefixLength + 4;
    return Object.fromEntries(AZURE_SUBNET_ROLES.map((role, i) => [role, formatCidr(subnetAt(vnet, size, i))])) as Record<AzureSubnetRole, string>;
}
