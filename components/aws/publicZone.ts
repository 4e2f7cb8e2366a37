import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";

/** A public hosted zone: the one given, or a new one to delegate to. */
export interface PublicZone {
    readonly zoneId: pulumi.Output<string>;
    /** Name servers to delegate the domain to; empty when the zone already existed. */
    readonly nameServers: pulumi.Output<string[]>;
}

/**
 * Uses `existingZoneId` when given, otherwise declares a zone for `domainName`. The zone is kept
 * on delete: removing it would break delegation for every record in it, not only this program's.
 */
export function publicZone(name: string, domainName: string, existingZoneId: string | undefined, tags?: Record<string, string>): PublicZone {
    if (existingZoneId) {
        return { zoneId: pulumi.output(existingZoneId), nameServers: pulumi.output([]) };
    }
    const zone = new aws.route53.Zone(name, {
        name: domainName,
        comment: "multicloud-dr failover zone",
        tags: childTags(name, tags),
    }, { retainOnDelete: true });
    return { zoneId: zone.zoneId, nameServers: zone.nameServers };
}
