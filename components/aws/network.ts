import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../lib/cidr";
import { layoutSubnets, MAX_ZONES, SubnetTier } from "../../lib/subnetLayout";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** How many NAT gateways the private tier egresses through. */
export type NatGatewayMode = "per-az" | "single";

export interface NetworkArgs {
    readonly region: string;
    /** VPC block, /16 to /22. Split into private, public and data tiers by `layoutSubnets`. */
    readonly cidr: string;
    /** 2-3 zones in `region`, pinned so subnets never move. */
    readonly availabilityZones: string[];
    /** `per-az` (default) survives the loss of a zone; `single` saves a NAT gateway per zone. */
    readonly natMode?: NatGatewayMode;
    /**
     * Interface endpoint service short names (e.g. `ecr.api`, `ecr.dkr`, `sts`, `logs`) created in
     * the private tier to keep that traffic off the NAT gateways. Default none. The S3 and DynamoDB
     * gateway endpoints are always created: they are free.
     */
    readonly interfaceEndpoints?: string[];
    readonly tags?: Record<string, string>;
}

/** Problems with network args, one string each; empty when the args are usable. */
export function validateNetworkArgs(args: NetworkArgs): string[] {
    const problems: string[] = [];
    const parsed = parseCidr(args.cidr);
    if (typeof parsed === "string") {
        problems.push(`cidr: ${parsed}`);
    } else if (parsed.prefixLength < 16 || parsed.prefixLength > 22) {
        problems.push(`cidr: ${args.cidr} must be a /16 to /22`);
    }
    if (args.availabilityZones.length < 2 || args.availabilityZones.length > MAX_ZONES) {
        problems.push(`availabilityZones: need 2-${MAX_ZONES} zones, got ${args.availabilityZones.length}`);
    }
    const foreign = args.availabilityZones.filter(zone => !zone.startsWith(args.region));
    if (foreign.length > 0) {
        problems.push(`availabilityZones: ${foreign.join(", ")} not in ${args.region}`);
    }
    if (new Set(args.availabilityZones).size !== args.availabilityZones.length) {
        problems.push("availabilityZones: a zone is listed twice");
    }
    return problems;
}

/**
 * A VPC with public, private and data subnets in each zone. Public subnets route to an internet
 * gateway and hold load balancers and NAT gateways; private subnets (nodes, pods) egress through
 * NAT; data subnets (databases) have no route to the internet at all.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    readonly region: string;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly dataSubnetIds: pulumi.Output<string>[];
    /** CIDRs of the private tier: the only sources the data tier admits. */
    readonly privateSubnetCidrs: string[];
    /** CIDRs of the data tier, where databases live. */
    readonly dataSubnetCidrs: string[];
    /** Public addresses of the NAT gateways: how the private tier appears to the internet (and to firewalls elsewhere). */
    readonly natPublicIps: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("Network", name, validateNetworkArgs(args));
        super("dr:aws:Network", name, {}, opts);
        const region = args.region;
        const zones = args.availabilityZones;
        const layout = layoutSubnets(args.cidr, zones.length);
        const parent = { parent: this };
        const tags = (child: string, extra?: Record<string, string>) => childTags(child, args.tags, extra);

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            region,
            cidrBlock: args.cidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: tags(`${name}-vpc`),
        }, parent);
        // The default security group admits all traffic between its members; strip it so nothing relies on it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { region, vpcId: vpc.id, tags: tags(`${name}-default-sg`) }, parent);

        const subnetsOf = (tier: SubnetTier, extraTags: Record<string, string>) => zones.map((zone, i) =>
            new aws.ec2.Subnet(`${name}-${tier}-${i}`, {
                region,
                vpcId: vpc.id,
                cidrBlock: layout[tier][i],
                availabilityZone: zone,
                mapPublicIpOnLaunch: false,
                tags: tags(`${name}-${tier}-${zone}`, { "dr:tier": tier, ...extraTags }),
            }, parent));
        // The role tags let the AWS Load Balancer Controller find where to put load balancers.
        const publicSubnets = subnetsOf("public", { "kubernetes.io/role/elb": "1" });
        const privateSubnets = subnetsOf("private", { "kubernetes.io/role/internal-elb": "1" });
        const dataSubnets = subnetsOf("data", {});

        const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { region, vpcId: vpc.id, tags: tags(`${name}-igw`) }, parent);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
            region,
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
            tags: tags(`${name}-public-rt`),
        }, parent);
        publicSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i}`, {
            region, subnetId: subnet.id, routeTableId: publicRoutes.id,
        }, parent));

        const natCount = (args.natMode ?? "per-az") === "per-az" ? zones.length : 1;
        const natIps: pulumi.Output<string>[] = [];
        const natGateways = [...Array(natCount).keys()].map(i => {
            const eip = new aws.ec2.Eip(`${name}-nat-eip-${i}`, { region, domain: "vpc", tags: tags(`${name}-nat-eip-${i}`) }, parent);
            natIps.push(eip.publicIp);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                region,
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                tags: tags(`${name}-nat-${zones[i]}`),
            }, { parent: this, dependsOn: [gateway] });
        });
        const privateRouteTables = privateSubnets.map((subnet, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, {
                region,
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(i, natCount - 1)].id }],
                tags: tags(`${name}-private-rt-${zones[i]}`),
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { region, subnetId: subnet.id, routeTableId: table.id }, parent);
            return table;
        });
        const dataRoutes = new aws.ec2.RouteTable(`${name}-data-rt`, { region, vpcId: vpc.id, tags: tags(`${name}-data-rt`) }, parent);
        dataSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-data-rta-${i}`, {
            region, subnetId: subnet.id, routeTableId: dataRoutes.id,
        }, parent));

        const gatewayRouteTableIds = [...privateRouteTables.map(t => t.id), dataRoutes.id];
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(`${name}-${service}-endpoint`, {
                region,
                vpcId: vpc.id,
                serviceName: `com.amazonaws.${region}.${service}`,
                vpcEndpointType: "Gateway",
                routeTableIds: gatewayRouteTableIds,
                tags: tags(`${name}-${service}-endpoint`),
            }, parent);
        }

        const interfaceEndpoints = args.interfaceEndpoints ?? [];
        if (interfaceEndpoints.length > 0) {
            const endpointSg = new aws.ec2.SecurityGroup(`${name}-endpoints-sg`, {
                region,
                vpcId: vpc.id,
                description: "HTTPS from inside the VPC to interface endpoints",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr], description: "HTTPS from the VPC" }],
                tags: tags(`${name}-endpoints-sg`),
            }, parent);
            for (const service of interfaceEndpoints) {
                new aws.ec2.VpcEndpoint(`${name}-${service.replace(/\./g, "-")}-endpoint`, {
                    region,
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map(s => s.id),
                    securityGroupIds: [endpointSg.id],
                    tags: tags(`${name}-${service}-endpoint`),
                }, parent);
            }
        }

        this.vpcId = vpc.id;
        this.cidr = args.cidr;
        this.region = region;
        this.publicSubnetIds = publicSubnets.map(s => s.id);
        this.privateSubnetIds = privateSubnets.map(s => s.id);
        this.dataSubnetIds = dataSubnets.map(s => s.id);
        this.privateSubnetCidrs = layout.private;
        this.dataSubnetCidrs = layout.data;
        this.natPublicIps = natIps;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            dataSubnetIds: this.dataSubnetIds,
        });
    }
}
