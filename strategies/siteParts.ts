import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster, Network } from "../components/aws";
import { DrConfig, SiteConfig } from "../config/types";

/** The network and cluster every AWS site runs, sized by the caller. */
export interface SiteCompute {
    readonly network: Network;
    readonly cluster: KubernetesCluster;
}

/**
 * Declares a site's network and cluster. `nodes` is the node group's size now and its floor (the
 * site's normal size); names are the site's role, so they never depend on config.
 */
export function buildSiteCompute(
    role: "primary" | "standby",
    site: SiteConfig,
    config: DrConfig,
    accountId: pulumi.Output<string>,
    nodes: { desired: number; floor: number },
    tags: Record<string, string>,
): SiteCompute {
    const network = new Network(role, {
        region: site.region,
        cidr: site.cidr,
        availabilityZones: site.availabilityZones,
        natMode: site.natMode,
        interfaceEndpoints: config.interfaceEndpoints,
        tags,
    });
    const cluster = new KubernetesCluster(role, {
        region: site.region,
        accountId,
        version: config.kubernetes.version,
        extendedSupport: config.kubernetes.extendedSupport,
        subnetIds: network.privateSubnetIds,
        instanceType: config.kubernetes.instanceType,
        desiredNodes: nodes.desired,
        minNodes: nodes.floor,
        maxNodes: config.kubernetes.maxNodeCount,
        publicAccessCidrs: config.kubernetes.publicAccessCidrs,
        adminPrincipalArns: config.kubernetes.adminPrincipalArns,
        protectSecretsKey: config.protectData,
        tags,
    });
    return { network, cluster };
}
