import * as pulumi from "@pulumi/pulumi";
import { EntryPoint, FailoverDns, FailoverTarget, PublicZone } from "../components/aws";
import { DnsConfig, DrConfig } from "../config/types";
import { siteTags } from "./tags";

/** What Route 53 sends users to when Seoul is down, and the host it probes there (if any). */
export interface Secondary {
    readonly target: FailoverTarget;
    /** Probe the secondary on this host; without it the secondary is not probed. */
    readonly checkedHost?: pulumi.Input<string>;
}

/** An A alias to a site's load balancer. */
export function aliasTo(entry: EntryPoint): FailoverTarget {
    return { kind: "alias", dnsName: entry.dnsName, zoneId: entry.zoneId };
}

/**
 * Route 53 failover for any strategy: PRIMARY is the Seoul entry point, probed on its checked
 * host; SECONDARY whatever the strategy serves when Seoul is down. A CNAME secondary (a host
 * outside AWS) makes the PRIMARY a CNAME to the load balancer too: a failover pair shares one type.
 */
export function buildFailoverDns(
    config: DrConfig,
    dns: DnsConfig,
    zone: PublicZone,
    accountId: pulumi.Output<string>,
    primary: EntryPoint,
    secondary: Secondary,
): FailoverDns {
    const primaryTarget: FailoverTarget = secondary.target.kind === "alias" ? aliasTo(primary) : { kind: "cname", host: primary.dnsName };
    return new FailoverDns("failover", {
        accountId,
        domainName: dns.domainName,
        hostedZoneId: zone.zoneId,
        recordName: dns.recordName,
        primaryTarget,
        primaryCheckedHost: primary.checkedHost,
        secondaryTarget: secondary.target,
        secondaryCheckedHost: secondary.checkedHost,
        healthCheck: {
            path: dns.healthCheckPath,
            port: dns.healthCheckPort,
            protocol: dns.healthCheckProtocol,
            intervalSeconds: dns.healthCheckIntervalSeconds,
            failureThreshold: dns.healthCheckFailureThreshold,
        },
        ttlSeconds: dns.ttlSeconds,
        alertSubscriptions: config.alertSubscriptions,
        tags: siteTags(config, "global"),
    });
}
