import { PolicyProviderResource } from "@pulumi/policy";
import { readKnown, UNKNOWN, Unknown } from "./known";

/**
 * Azure's paired regions for the regions this program's users are likely to pick: where
 * geo-redundant storage and geo-redundant database backups put the second copy.
 * Source: learn.microsoft.com/azure/reliability/cross-region-replication-azure (2025).
 */
export const AZURE_PAIRED_REGIONS: Readonly<Record<string, string>> = {
    koreacentral: "koreasouth",
    koreasouth: "koreacentral",
    japaneast: "japanwest",
    japanwest: "japaneast",
    eastasia: "southeastasia",
    southeastasia: "eastasia",
    australiaeast: "australiasoutheast",
    australiasoutheast: "australiaeast",
    centralindia: "southindia",
    southindia: "centralindia",
    eastus: "westus",
    westus: "eastus",
    eastus2: "centralus",
    centralus: "eastus2",
    westeurope: "northeurope",
    northeurope: "westeurope",
    uksouth: "ukwest",
    ukwest: "uksouth",
};

/** Region names compare as Azure and AWS print them: lower case, no spaces (`Korea Central` = `koreacentral`). */
export function normalizeRegion(region: string): string {
    return region.toLowerCase().replace(/\s+/g, "");
}

/**
 * Where an AWS resource is managed: its own `region` input (provider v7), else its provider's
 * region. Undefined when neither names one; {@link UNKNOWN} when it is not known yet.
 */
export function awsRegionOf(props: { region?: string }, provider?: PolicyProviderResource): string | undefined | Unknown {
    const own = readKnown(() => props.region);
    if (own !== undefined) {
        return own;
    }
    return provider ? readKnown(() => provider.props.region as string | undefined) : undefined;
}

/** An Azure resource's `location`, normalized; undefined when unset (it then follows its resource group). */
export function azureLocationOf(props: { location?: string }): string | undefined | Unknown {
    const location = readKnown(() => props.location);
    return typeof location === "string" ? normalizeRegion(location) : location;
}

/** A region for a message: the name, or what stands in for it. */
export function regionLabel(region: string | undefined | Unknown): string {
    if (region === UNKNOWN) {
        return "region unknown at preview";
    }
    return region ?? "default region";
}
