import * as pulumi from "@pulumi/pulumi";
import { FailoverDns, PublicZone } from "../components/aws";
import { DnsConfig, DrConfig } from "../config/types";
import { siteTags } from "./tags";

/**
 * Route 53 failover for any strategy: PRIMARY is the Seoul origin from config, SECONDARY whatever
 * the strategy serves when Seoul is down.
 */
export function buildFailoverDns(
    config: DrConfig,
    dns: DnsConfig,
    zone: PublicZone,
    accountId: pulumi.Output<string>,
    secondary: { target: pulumi.Input<string>; healthChecked: boolean },
): FailoverDns {
    return new FailoverDns("failover", {
        accountId,
        domainName: dns.domainName,
        hostedZoneId: zone.zoneId,
        recordName: dns.recordName,
        primaryTarget: dns.primaryOrigin,
        secondaryTarget: secondary.target,
        checkSecondary: secondary.healthChecked,
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
