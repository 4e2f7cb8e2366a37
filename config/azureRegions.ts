/**
 * What each Azure region offers that the pilot light relies on, pinned here so config validation
 * can refuse a combination Azure would reject only halfway through a deploy. Public regions open
 * to every subscription; restricted-access and coming-soon regions are left out on purpose (they
 * need an access request first). A region missing here is refused with the list of known ones:
 * add it, with its facts from the sources below, rather than guess.
 */
export interface AzureRegionFacts {
    /** Name as the portal shows it. */
    readonly displayName: string;
    /** The region has availability zones, so zone-redundant storage (ZRS, GZRS) exists there. */
    readonly availabilityZones: boolean;
    /** Where geo-redundant storage (GRS, GZRS) keeps its second copy; none in a region without a pair. */
    readonly pairedRegion?: string;
    /** Azure Database for MySQL flexible server is offered there. */
    readonly mysqlFlexibleServer: boolean;
    /** Application Gateway Standard_v2 is offered there. */
    readonly applicationGatewayV2: boolean;
}

/** Where each fact in {@link AZURE_REGIONS} comes from (read 2026-12-02). */
export const AZURE_REGION_SOURCES = {
    /** Zones, pairs and programmatic names (page dated 2025-09-23). */
    regions: "https://learn.microsoft.com/en-us/azure/reliability/regions-list",
    /** "You can deploy zone-redundant Azure Storage accounts in any region that supports availability zones." */
    zoneRedundantStorage: "https://learn.microsoft.com/en-us/azure/reliability/reliability-storage-blob",
    /** "Geo-redundant storage (GRS) only works within Azure paired regions." */
    geoRedundantStorage: "https://learn.microsoft.com/en-us/azure/reliability/reliability-storage-blob",
    /** The "Azure regions" table of MySQL flexible server. */
    mysqlFlexibleServer: "https://learn.microsoft.com/en-us/azure/mysql/flexible-server/overview#azure-regions",
    /** Standard_v2 is unavailable only in UK North, UK South 2, China East, China North and US DoD regions. */
    applicationGatewayV2: "https://learn.microsoft.com/en-us/azure/application-gateway/overview-v2#unsupported-regions",
} as const;

function region(displayName: string, availabilityZones: boolean, pairedRegion?: string, mysqlFlexibleServer = true): AzureRegionFacts {
    return { displayName, availabilityZones, pairedRegion, mysqlFlexibleServer, applicationGatewayV2: true };
}

/** Public Azure regions by programmatic name (`azureLocation`). */
export const AZURE_REGIONS: Readonly<Record<string, AzureRegionFacts>> = {
    australiacentral: region("Australia Central", false, "australiacentral2"),
    australiaeast: region("Australia East", true, "australiasoutheast"),
    australiasoutheast: region("Australia Southeast", false, "australiaeast"),
    // Austria East and Belgium Central are not (yet) in MySQL flexible server's region table.
    austriaeast: region("Austria East", true, undefined, false),
    belgiumcentral: region("Belgium Central", true, undefined, false),
    brazilsouth: region("Brazil South", true, "southcentralus"),
    canadacentral: region("Canada Central", true, "canadaeast"),
    canadaeast: region("Canada East", false, "canadacentral"),
    centralindia: region("Central India", true, "southindia"),
    centralus: region("Central US", true, "eastus2"),
    chilecentral: region("Chile Central", true),
    eastasia: region("East Asia", true, "southeastasia"),
    eastus: region("East US", true, "westus"),
    eastus2: region("East US 2", true, "centralus"),
    francecentral: region("France Central", true, "francesouth"),
    germanywestcentral: region("Germany West Central", true, "germanynorth"),
    indonesiacentral: region("Indonesia Central", true),
    israelcentral: region("Israel Central", true),
    italynorth: region("Italy North", true),
    japaneast: region("Japan East", true, "japanwest"),
    japanwest: region("Japan West", true, "japaneast"),
    koreacentral: region("Korea Central", true, "koreasouth"),
    koreasouth: region("Korea South", false, "koreacentral"),
    malaysiawest: region("Malaysia West", true),
    mexicocentral: region("Mexico Central", true),
    newzealandnorth: region("New Zealand North", true),
    northcentralus: region("North Central US", false, "southcentralus"),
    northeurope: region("North Europe", true, "westeurope"),
    norwayeast: region("Norway East", true, "norwaywest"),
    polandcentral: region("Poland Central", true),
    qatarcentral: region("Qatar Central", true),
    southafricanorth: region("South Africa North", true, "southafricawest"),
    southcentralus: region("South Central US", true, "northcentralus"),
    southeastasia: region("Southeast Asia", true, "eastasia"),
    southindia: region("South India", false, "centralindia"),
    spaincentral: region("Spain Central", true),
    swedencentral: region("Sweden Central", true, "swedensouth"),
    switzerlandnorth: region("Switzerland North", true, "switzerlandwest"),
    uaenorth: region("UAE North", true, "uaecentral"),
    uksouth: region("UK South", true, "ukwest"),
    ukwest: region("UK West", false, "uksouth"),
    westcentralus: region("West Central US", false, "westus2"),
    westeurope: region("West Europe", true, "northeurope"),
    // West India is not in MySQL flexible server's region table.
    westindia: region("West India", false, "southindia", false),
    westus: region("West US", false, "eastus"),
    westus2: region("West US 2", true, "westcentralus"),
    westus3: region("West US 3", true, "eastus"),
};

/** The known region names, sorted, for messages. */
export function knownAzureRegions(): string[] {
    return Object.keys(AZURE_REGIONS).sort();
}
