import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";

/** Backend pools the gateway can route to. */
export type GatewayTarget = "maintenance" | "app";

export interface ApplicationGatewayArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly subscriptionId: pulumi.Input<string>;
    /** The dedicated gateway subnet. */
    readonly subnetId: pulumi.Input<string>;
    /** DNS label of the public IP: `<label>.<location>.cloudapp.azure.com`. */
    readonly dnsLabel: pulumi.Input<string>;
    /** Host of the maintenance page (HTTPS, static website endpoint). */
    readonly maintenanceHost: pulumi.Input<string>;
    /** Private IP of the web VM (HTTP on 80). */
    readonly appAddress: pulumi.Input<string>;
    /** Path the app backend answers on when healthy. */
    readonly healthPath: string;
    /** Where traffic goes now: the maintenance page first, the app once its data is verified. */
    readonly serve: GatewayTarget;
    /** Autoscale bounds in capacity units. Default 0-2. */
    readonly minCapacity?: number;
    readonly maxCapacity?: number;
    readonly tags?: Record<string, string>;
}

/**
 * Application Gateway Standard_v2 in front of the emergency site: one HTTP listener and two
 * backends, the maintenance page and the web VM, each with a health probe. `serve` decides which
 * one the listener routes to (the seed's `enable_petclinic`); switching is an in-place update.
 * Users never reach it directly: the maintenance front (Front Door) terminates HTTPS for
 * `app.<domain>` and forwards here over HTTP, and the gateway subnet's NSG admits port 80 from
 * Front Door's backend addresses only (AzureNetwork).
 */
export class ApplicationGateway extends pulumi.ComponentResource {
    readonly publicIp: pulumi.Output<string>;
    /** `<label>.<location>.cloudapp.azure.com`: the maintenance front's origin in an emergency. */
    readonly fqdn: pulumi.Output<string>;
    readonly serving: GatewayTarget;

    constructor(name: string, args: ApplicationGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:ApplicationGateway", name, {}, opts);
        const rg = args.resourceGroupName;
        const ip = new network.PublicIPAddress(`${name}-ip`, {
            resourceGroupName: rg,
            location: args.location,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            dnsSettings: { domainNameLabel: args.dnsLabel },
            tags: childTags(`${name}-ip`, args.tags),
        }, { parent: this });

        // Sub-resources of a gateway refer to each other by id, so the gateway's own id is built up front.
        const gatewayName = name;
        const gatewayId = pulumi.interpolate`/subscriptions/${args.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/applicationGateways/${gatewayName}`;
        const ref = (collection: string, item: string) => ({ id: pulumi.interpolate`${gatewayId}/${collection}/${item}` });

        new network.ApplicationGateway(`${name}-gateway`, {
            resourceGroupName: rg,
            location: args.location,
            applicationGatewayName: gatewayName,
            sku: { name: "Standard_v2", tier: "Standard_v2" },
            autoscaleConfiguration: { minCapacity: args.minCapacity ?? 0, maxCapacity: args.maxCapacity ?? 2 },
            enableHttp2: true,
            sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101" },
            gatewayIPConfigurations: [{ name: "gateway-ip", subnet: { id: args.subnetId } }],
            frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: ip.id } }],
            frontendPorts: [{ name: "http", port: 80 }],
            backendAddressPools: [
                { name: "maintenance", backendAddresses: [{ fqdn: args.maintenanceHost }] },
                { name: "app", backendAddresses: [{ ipAddress: args.appAddress }] },
            ],
            probes: [
                {
                    name: "maintenance", protocol: "Https", path: "/", interval: 30, timeout: 30, unhealthyThreshold: 3,
                    pickHostNameFromBackendHttpSettings: true, match: { statusCodes: ["200-399"] },
                },
                {
                    name: "app", protocol: "Http", host: "127.0.0.1", path: args.healthPath, interval: 15, timeout: 10, unhealthyThreshold: 3,
                    match: { statusCodes: ["200"] },
                },
            ],
            backendHttpSettingsCollection: [
                {
                    name: "maintenance", port: 443, protocol: "Https", cookieBasedAffinity: "Disabled", requestTimeout: 30,
                    pickHostNameFromBackendAddress: true, probe: ref("probes", "maintenance"),
                },
                {
                    name: "app", port: 80, protocol: "Http", cookieBasedAffinity: "Disabled", requestTimeout: 60,
                    probe: ref("probes", "app"),
                },
            ],
            httpListeners: [{
                name: "http",
                protocol: "Http",
                frontendIPConfiguration: ref("frontendIPConfigurations", "public"),
                frontendPort: ref("frontendPorts", "http"),
            }],
            requestRoutingRules: [{
                name: "serve",
                ruleType: "Basic",
                priority: 100,
                httpListener: ref("httpListeners", "http"),
                backendAddressPool: ref("backendAddressPools", args.serve),
                backendHttpSettings: ref("backendHttpSettingsCollection", args.serve),
            }],
            tags: childTags(name, args.tags),
        }, { parent: this });

        this.publicIp = ip.ipAddress.apply(address => address ?? "");
        this.fqdn = ip.dnsSettings.apply(dns => dns?.fqdn ?? "");
        this.serving = args.serve;
        this.registerOutputs({ publicIp: this.publicIp, fqdn: this.fqdn, serving: this.serving });
    }
}
