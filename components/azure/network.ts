import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../lib/cidr";
import { AzureSubnetRole, layoutAzureSubnets } from "../../lib/subnetLayout";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Ports each tier serves; NSGs admit exactly these from exactly the tier in front. */
export const WEB_PORT = 80;
export const APP_PORT = 8080;
export const MYSQL_PORT = 3306;

export interface AzureNetworkArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    /** VNet block, /16 to /22; must not overlap any AWS VPC. */
    readonly cidr: string;
    /**
     * Give the web and app subnets outbound internet through a NAT gateway (packages, the app
     * artifact). Only the emergency site needs it. Default false: subnets have no internet path.
     */
    readonly outboundInternet?: boolean;
    readonly tags?: Record<string, string>;
}

/** Problems with network args, one string each. */
export function validateAzureNetworkArgs(args: AzureNetworkArgs): string[] {
    const parsed = parseCidr(args.cidr);
    if (typeof parsed === "string") {
        return [`cidr: ${parsed}`];
    }
    return parsed.prefixLength < 16 || parsed.prefixLength > 22 ? [`cidr: ${args.cidr} must be a /16 to /22`] : [];
}

/**
 * Inbound rules of the Application Gateway's subnet. Users reach the gateway only through Front
 * Door, so its HTTP listener admits Front Door's backend addresses (service tag
 * AzureFrontDoor.Backend) and nothing else from the internet. Application Gateway v2 also needs
 * GatewayManager on 65200-65535 and AzureLoadBalancer; outbound rules stay the platform's defaults,
 * which the gateway requires.
 */
export function gatewayInboundRules(): SecurityRule[] {
    const allow = (name: string, priority: number, from: string, ports: string, protocol = "Tcp"): SecurityRule => ({
        name, priority, direction: "Inbound", access: "Allow", protocol,
        sourceAddressPrefix: from, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: ports,
    });
    return [
        allow("http-from-front-door", 100, "AzureFrontDoor.Backend", String(WEB_PORT)),
        allow("gateway-manager", 110, "GatewayManager", "65200-65535"),
        allow("azure-load-balancer", 120, "AzureLoadBalancer", "*", "*"),
        {
            // Above the platform's AllowVnetInBound, so neither the VNet nor the internet reaches the listener.
            name: "deny-everything-else", priority: 4000, direction: "Inbound", access: "Deny", protocol: "*",
            sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*",
        },
    ];
}

/** One NSG rule as the NSG's `securityRules` takes it. */
export interface SecurityRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: string;
    readonly sourceAddressPrefix: string;
    readonly sourcePortRange: string;
    readonly destinationAddressPrefix: string;
    readonly destinationPortRange: string;
}

interface InboundRule {
    readonly name: string;
    readonly port: number;
    readonly from: string;
}

/**
 * The pilot light's VNet: a gateway subnet for the Application Gateway, web and app subnets with
 * NSGs that admit one port from the tier in front and nothing else from the VNet, and a subnet
 * delegated to MySQL flexible servers. Subnets have no default outbound access; the app subnet
 * reaches Storage and Key Vault through service endpoints.
 */
export class AzureNetwork extends pulumi.ComponentResource {
    readonly vnetId: pulumi.Output<string>;
    readonly vnetName: pulumi.Output<string>;
    readonly subnetIds: Record<AzureSubnetRole, pulumi.Output<string>>;
    readonly subnetCidrs: Record<AzureSubnetRole, string>;

    constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("AzureNetwork", name, validateAzureNetworkArgs(args));
        super("dr:azure:Network", name, {}, opts);
        const parent = { parent: this };
        const rg = args.resourceGroupName;
        const layout = layoutAzureSubnets(args.cidr);

        const vnet = new network.VirtualNetwork(`${name}-vnet`, {
            resourceGroupName: rg,
            location: args.location,
            addressSpace: { addressPrefixes: [args.cidr] },
            tags: childTags(`${name}-vnet`, args.tags),
        }, { parent: this, ignoreChanges: ["subnets"] });

        const nsg = (role: string, rule: InboundRule) => new network.NetworkSecurityGroup(`${name}-${role}-nsg`, {
            resourceGroupName: rg,
            location: args.location,
            securityRules: [
                {
                    name: rule.name, priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp",
                    sourceAddressPrefix: rule.from, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: String(rule.port),
                },
                {
                    // The platform's AllowVnetInBound would otherwise let every subnet reach this one.
                    name: "deny-rest-of-vnet", priority: 4000, direction: "Inbound", access: "Deny", protocol: "*",
                    sourceAddressPrefix: "VirtualNetwork", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*",
                },
            ],
            tags: childTags(`${name}-${role}-nsg`, args.tags),
        }, parent);
        const webNsg = nsg("web", { name: "http-from-gateway", port: WEB_PORT, from: layout.gateway });
        const appNsg = nsg("app", { name: "app-from-web", port: APP_PORT, from: layout.web });
        const mysqlNsg = nsg("mysql", { name: "mysql-from-app", port: MYSQL_PORT, from: layout.app });
        const gatewayNsg = new network.NetworkSecurityGroup(`${name}-gateway-nsg`, {
            resourceGroupName: rg,
            location: args.location,
            securityRules: gatewayInboundRules(),
            tags: childTags(`${name}-gateway-nsg`, args.tags),
        }, parent);

        let natGateway: network.NatGateway | undefined;
        if (args.outboundInternet) {
            const natIp = new network.PublicIPAddress(`${name}-nat-ip`, {
                resourceGroupName: rg,
                location: args.location,
                sku: { name: "Standard" },
                publicIPAllocationMethod: "Static",
                tags: childTags(`${name}-nat-ip`, args.tags),
            }, parent);
            natGateway = new network.NatGateway(`${name}-nat`, {
                resourceGroupName: rg,
                location: args.location,
                sku: { name: "Standard" },
                publicIpAddresses: [{ id: natIp.id }],
                tags: childTags(`${name}-nat`, args.tags),
            }, parent);
        }
        const egress = natGateway ? { id: natGateway.id } : undefined;

        // Subnets are created one after another: Azure refuses concurrent changes to one VNet.
        let previous: pulumi.Resource = vnet;
        const subnet = (role: AzureSubnetRole, extra: Partial<network.SubnetArgs>) => {
            const created = new network.Subnet(`${name}-${role}`, {
                resourceGroupName: rg,
                virtualNetworkName: vnet.name,
                addressPrefix: layout[role],
                defaultOutboundAccess: false,
                ...extra,
            }, { parent: this, dependsOn: [previous] });
            previous = created;
            return created;
        };
        const subnets: Record<AzureSubnetRole, network.Subnet> = {
            gateway: subnet("gateway", { networkSecurityGroup: { id: gatewayNsg.id } }),
            web: subnet("web", { networkSecurityGroup: { id: webNsg.id }, natGateway: egress }),
            app: subnet("app", {
                networkSecurityGroup: { id: appNsg.id },
                natGateway: egress,
                serviceEndpoints: [{ service: "Microsoft.Storage" }, { service: "Microsoft.KeyVault" }],
            }),
            mysql: subnet("mysql", {
                networkSecurityGroup: { id: mysqlNsg.id },
                delegations: [{ name: "mysql-flexible", serviceName: "Microsoft.DBforMySQL/flexibleServers" }],
            }),
        };

        this.vnetId = vnet.id;
        this.vnetName = vnet.name;
        this.subnetIds = {
            gateway: subnets.gateway.id,
            web: subnets.web.id,
            app: subnets.app.id,
            mysql: subnets.mysql.id,
        };
        this.subnetCidrs = layout;
        this.registerOutputs({ vnetId: this.vnetId, subnetIds: this.subnetIds });
    }
}
