import { PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { asTypedResource, GENERIC_ARM_RESOURCE } from "../lib/armResource";
import { AZURE_PAIRED_REGIONS, awsRegionOf, azureLocationOf, normalizeRegion } from "../lib/regions";
import { UNKNOWN, Unknown } from "../lib/known";
import { resourceOfTypes } from "../lib/typed";

/** Config of {@link drDataResidency}. */
export interface ResidencyConfig {
    /** Regions (AWS names or Azure locations) where stateful resources and their copies may live. */
    allowedRegions: string[];
}

/** The regions the seeds use: Seoul and Tokyo on AWS, Korea Central and Korea South on Azure. */
export const DEFAULT_ALLOWED_REGIONS = ["ap-northeast-2", "ap-northeast-1", "koreacentral", "koreasouth"];

/** Where one copy of the data lives, and what that copy is. */
interface Placement {
    readonly region: string | undefined | Unknown;
    /** "" for the resource itself; otherwise e.g. "replica", "geo-redundant copy (sku Standard_GRS)". */
    readonly copy: string;
    readonly cloud: "aws" | "azure";
}

type Placements = (props: any, provider: PolicyProviderResource | undefined) => Placement[];

const aws = (region: string | undefined | Unknown, copy = ""): Placement => ({ region, copy, cloud: "aws" });
const azure = (region: string | undefined | Unknown, copy = ""): Placement => ({ region, copy, cloud: "azure" });
const ownAwsRegion: Placements = (props, provider) => [aws(awsRegionOf(props, provider))];

/**
 * Stateful resources (databases, tables and their replicas, buckets, blob storage, backups) and
 * where each puts copies of the data. Alarms, topics, keys and networks hold no customer data.
 */
const PLACEMENTS: Readonly<Record<string, Placements>> = {
    "aws:rds/instance:Instance": ownAwsRegion,
    "aws:rds/cluster:Cluster": ownAwsRegion,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (props, provider) => [aws(awsRegionOf(props, provider), "automated backup copy")],
    "aws:dynamodb/table:Table": (props, provider) => [
        aws(awsRegionOf(props, provider)),
        ...((props.replicas ?? []) as { regionName?: string }[]).map(replica => aws(replica.regionName, "replica")),
    ],
    "aws:dynamodb/tableReplica:TableReplica": (props, provider) => [aws(awsRegionOf(props, provider), "replica")],
    "aws:s3/bucket:Bucket": ownAwsRegion,
    "aws:s3/bucketV2:BucketV2": ownAwsRegion,
    "aws:efs/fileSystem:FileSystem": ownAwsRegion,
    "aws:backup/vault:Vault": (props, provider) => [aws(awsRegionOf(props, provider), "backup vault")],
    "aws:docdb/cluster:Cluster": ownAwsRegion,
    "aws:redshift/cluster:Cluster": ownAwsRegion,
    "azure-native:storage:StorageAccount": props => withPair(azureLocationOf(props), /GRS|GZRS/i.test(props.sku?.name ?? ""), `geo-redundant copy (sku ${props.sku?.name})`),
    "azure-native:dbformysql:Server": props => withPair(azureLocationOf(props), props.backup?.geoRedundantBackup === "Enabled", "geo-redundant backup"),
    "azure-native:dbforpostgresql:Server": props => withPair(azureLocationOf(props), props.backup?.geoRedundantBackup === "Enabled", "geo-redundant backup"),
    "azure-native:sql:Server": props => [azure(azureLocationOf(props))],
    "azure-native:documentdb:DatabaseAccount": props => [
        azure(azureLocationOf(props)),
        ...((props.locations ?? []) as { locationName?: string }[]).map(location => azure(location.locationName && normalizeRegion(location.locationName), "replica")),
    ],
    "azure-native:recoveryservices:Vault": props => [azure(azureLocationOf(props), "backup vault")],
    "azure-native:dataprotection:BackupVault": props => [azure(azureLocationOf(props), "backup vault")],
};

/** The stateful types this policy checks. */
export const STATEFUL_TYPES = Object.keys(PLACEMENTS);

/** Stateful resources and every copy of their data stay in the allowed regions (seed 003). */
export const drDataResidency: ResourceValidationPolicy = {
    name: "dr-data-residency",
    description: "Stateful resources (databases, tables and their replicas, buckets, blob storage, backups) and their geo-replicated copies sit only in the allowed regions.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Move the resource (or its replica, or its geo-redundant copy) to an allowed region, or, if the data may legally live there, add the region to allowedRegions in the policy config.",
    configSchema: {
        properties: {
            allowedRegions: {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                uniqueItems: true,
                default: DEFAULT_ALLOWED_REGIONS,
                description: "AWS regions and Azure locations where customer data may be stored.",
            },
        },
    },
    validateResource: resourceOfTypes<Record<string, any>>([...STATEFUL_TYPES, GENERIC_ARM_RESOURCE], (rawProps, args, reportViolation) => {
        const { type, props } = asTypedResource(args.type, rawProps);
        const placementsOf = PLACEMENTS[type];
        if (placementsOf === undefined) {
            args.notApplicable(`Policy does not apply to generic resources of type ${rawProps.resourceProviderNamespace}/${rawProps.resourceType}`);
        }
        const allowed = args.getConfig<ResidencyConfig>().allowedRegions.map(normalizeRegion);
        const placements = placementsOf(props, args.provider);
        for (const { region, copy, cloud } of placements) {
            if (region === UNKNOWN) {
                continue;
            }
            const what = copy === "" ? "stores data" : `keeps a ${copy}`;
            if (region === undefined) {
                reportViolation(cloud === "aws"
                    ? `${what} in its provider's default region, which the policy cannot see: set the resource's region so residency can be checked`
                    : `${what} without an explicit location (it follows its resource group): set location so residency can be checked`);
            } else if (!allowed.includes(normalizeRegion(region))) {
                reportViolation(`${what} in ${region}, outside the allowed regions (${allowed.join(", ")})`);
            }
        }
    }),
};

function withPair(location: string | undefined | Unknown, geoRedundant: boolean, copy: string): Placement[] {
    const own = azure(location);
    if (!geoRedundant || location === UNKNOWN) {
        return [own];
    }
    const pair = location === undefined ? undefined : AZURE_PAIRED_REGIONS[location];
    return [own, azure(pair ?? `the region paired with ${location ?? "its resource group's location"} (not in the policy's pairing table)`, copy)];
}
