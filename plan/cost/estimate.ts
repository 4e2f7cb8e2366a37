import { eksSupportStatus } from "../../config/eksVersions";
import { DeclaredResource } from "../runOffline";
import { monthly, priceOf, PriceSource } from "./prices";

/** One priced line of the estimate. */
export interface CostItem {
    readonly resource: { readonly type: string; readonly name: string; readonly region?: string };
    /** The resource's `dr:site` tag: `primary`, `standby` or `global` (DR plumbing such as failover DNS). */
    readonly site: string;
    readonly priceKey: string;
    readonly quantity: number;
    readonly monthlyUsd: number;
    readonly source: PriceSource;
    /** What the line leaves out (usage charges such as GB processed or stored). */
    readonly excludes?: string;
}

/** A resource the estimate could not price, and why. Never counted as zero. */
export interface UnpricedResource {
    readonly type: string;
    readonly name: string;
    readonly region?: string;
    readonly reason: string;
}

/** The monthly estimate of what a stack declares. */
export interface CostEstimate {
    /** Sum of the priced items; usage-based and unpriced resources come on top. */
    readonly monthlyUsd: number;
    /** The same sum split by `dr:site`: what the primary costs and what DR adds (standby and global). */
    readonly monthlyUsdBySite: Record<string, number>;
    readonly items: CostItem[];
    readonly unpriced: UnpricedResource[];
    /** Resources that cost nothing by themselves (VPCs, subnets, IAM, configuration objects). */
    readonly freeCount: number;
}

/** Resource types AWS and Azure do not bill for by themselves. */
const FREE_TYPES = new Set([
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway", "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/launchTemplate:LaunchTemplate", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/instanceProfile:InstanceProfile",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws:eks/accessEntry:AccessEntry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "aws:kms/alias:Alias", "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup", "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:route53/record:Record", "aws:sns/topicSubscription:TopicSubscription",
    "random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString",
    "azure-native:resources:ResourceGroup", "azure-native:network:VirtualNetwork", "azure-native:network:Subnet",
    "azure-native:network:NetworkSecurityGroup", "azure-native:network:NetworkInterface",
    "azure-native:storage:BlobServiceProperties", "azure-native:storage:BlobContainer",
    "azure-native:storage:BlobContainerImmutabilityPolicy", "azure-native:storage:ManagementPolicy",
    "azure-native:storage:StorageAccountStaticWebsite", "azure-native:authorization:RoleAssignment",
    "azure-native:keyvault:Secret", "azure-native:dbformysql:Configuration", "azure-native:dbformysql:Database",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:cdn:AFDEndpoint", "azure-native:cdn:AFDOriginGroup", "azure-native:cdn:AFDOrigin",
    "azure-native:cdn:AFDCustomDomain", "azure-native:cdn:Route",
    "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule",
    "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
]);

/** Resource types billed only by use; the reason says by what. */
const USAGE_BASED: Readonly<Record<string, string>> = {
    "aws:dynamodb/table:Table": "on-demand: per request and GB stored (replicas: per replicated write)",
    "aws:s3/bucket:Bucket": "per GB stored, requests, and replication transfer",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "per GB replicated (inter-region transfer, RTC per GB)",
    "aws:s3/bucketObjectv2:BucketObjectv2": "per GB stored",
    "aws:ecr/repository:Repository": "per GB of images stored and replicated",
    "aws:sns/topic:Topic": "per notification",
    "aws:lb/loadBalancer:LoadBalancer": "per hour plus load balancer capacity units (LCU); not in the price table",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "gateway endpoints are free; interface endpoints are priced per zone",
    "azure-native:storage:StorageAccount": "per GB stored by tier, operations, and egress",
    "azure-native:storage:Blob": "per GB stored",
    "azure-native:keyvault:Vault": "per 10,000 operations",
    "azure-native:privatedns:PrivateZone": "per zone and per million queries",
};

/**
 * Prices every custom resource in `resources` it can, and lists the rest. `now` decides whether
 * a cluster's Kubernetes version is still in EKS standard support or billed extended support.
 */
export function estimateCost(resources: DeclaredResource[], now: Date = new Date()): CostEstimate {
    const items: CostItem[] = [];
    const unpriced: UnpricedResource[] = [];
    let freeCount = 0;
    for (const resource of resources) {
        if (!resource.custom || resource.type.startsWith("pulumi:")) {
            continue;
        }
        const lines = priceLines(resource, now);
        const region = regionOf(resource);
        if (lines.length > 0) {
            for (const line of lines) {
                const price = priceOf(line.key, region ?? "*");
                if (!price) {
                    unpriced.push({ type: resource.type, name: resource.name, region, reason: `no price for ${line.key} in ${region ?? "any region"}` });
                    continue;
                }
                items.push({
                    resource: { type: resource.type, name: resource.name, region },
                    site: siteOf(resource),
                    priceKey: line.key,
                    quantity: line.quantity,
                    monthlyUsd: round(monthly(price) * line.quantity),
                    source: price.source,
                    excludes: line.excludes,
                });
            }
        } else if (FREE_TYPES.has(resource.type) || isGatewayEndpoint(resource)) {
            freeCount++;
        } else {
            unpriced.push({ type: resource.type, name: resource.name, region, reason: USAGE_BASED[resource.type] ?? "no price in the table for this resource type" });
        }
    }
    const bySite: Record<string, number> = {};
    for (const item of items) {
        bySite[item.site] = round((bySite[item.site] ?? 0) + item.monthlyUsd);
    }
    return { monthlyUsd: round(items.reduce((sum, item) => sum + item.monthlyUsd, 0)), monthlyUsdBySite: bySite, items, unpriced, freeCount };
}

interface PriceLine {
    readonly key: string;
    readonly quantity: number;
    readonly excludes?: string;
}

function priceLines(r: DeclaredResource, now: Date): PriceLine[] {
    const i = r.inputs;
    switch (r.type) {
        case "aws:eks/cluster:Cluster":
            // Past standard support a cluster is billed extended support, whatever its upgrade policy says.
            return [{ key: typeof i.version === "string" && eksSupportStatus(i.version, now) !== "standard" ? "eks-cluster-extended" : "eks-cluster", quantity: 1 }];
        case "aws:eks/nodeGroup:NodeGroup":
            return [{ key: `ec2:${i.instanceTypes?.[0]}`, quantity: i.scalingConfig?.desiredSize ?? 0, excludes: "EBS volumes" }];
        case "aws:ec2/instance:Instance":
            return [{ key: `ec2:${i.instanceType}`, quantity: 1, excludes: "EBS volume" }];
        case "aws:rds/instance:Instance": {
            // A replica inherits the source's class unless it names its own; both are given here.
            const multiAz = i.multiAz === true ? "multi-az" : "single-az";
            return [{ key: `rds-mysql:${i.instanceClass}:${multiAz}`, quantity: 1, excludes: "storage, backups beyond the free allowance, transfer" }];
        }
        case "aws:ec2/natGateway:NatGateway":
            return [{ key: "nat-gateway", quantity: 1, excludes: "per GB processed" }];
        case "aws:ec2/eip:Eip":
            return [{ key: "public-ipv4", quantity: 1 }];
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return i.vpcEndpointType === "Interface" ? [{ key: "vpc-interface-endpoint", quantity: (i.subnetIds ?? []).length, excludes: "per GB processed" }] : [];
        case "aws:kms/key:Key":
            return [{ key: "kms-key", quantity: 1, excludes: "requests" }];
        case "aws:secretsmanager/secret:Secret":
            return [{ key: "secretsmanager-secret", quantity: 1 + (i.replicas ?? []).length, excludes: "API calls" }];
        case "aws:route53/zone:Zone":
            return [{ key: "route53-zone", quantity: 1, excludes: "queries" }];
        case "aws:route53/healthCheck:HealthCheck": {
            const options = (String(i.type).startsWith("HTTPS") ? 1 : 0) + (i.requestInterval === 10 ? 1 : 0) + (i.measureLatency ? 1 : 0);
            return [{ key: "route53-health-check", quantity: 1 }, ...(options > 0 ? [{ key: "route53-health-check-option", quantity: options }] : [])];
        }
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return [{ key: "cloudwatch-alarm", quantity: 1 }];
        case "azure-native:dbformysql:Server":
            return [{ key: `azure-mysql:${i.sku?.name}`, quantity: 1, excludes: "storage, backup storage beyond the server size" }];
        case "azure-native:resources:Resource":
            // The emergency MySQL server is declared generically, at an API version that accepts MySQL 8.4.
            return i.resourceProviderNamespace === "Microsoft.DBforMySQL" && i.resourceType === "flexibleServers"
                ? [{ key: `azure-mysql:${i.sku?.name}`, quantity: 1, excludes: "storage, backup storage beyond the server size" }]
                : [];
        case "azure-native:compute:VirtualMachine":
            return [{ key: `azure-vm:${i.hardwareProfile?.vmSize}`, quantity: 1, excludes: "OS disk" }];
        case "azure-native:network:ApplicationGateway":
            return [{ key: `azure-appgw:${i.sku?.name}`, quantity: 1, excludes: "capacity units ($0.008 per unit-hour) and transfer" }];
        case "azure-native:network:NatGateway":
            return [{ key: "azure-nat-gateway", quantity: 1, excludes: "per GB processed" }];
        case "azure-native:cdn:Profile":
            // Front Door's base fee; the managed certificate and custom domains cost nothing extra.
            return [{ key: `azure-frontdoor:${i.sku?.name}`, quantity: 1, excludes: "requests (per 10,000) and data transfer" }];
        case "azure-native:network:PublicIPAddress":
            return [{ key: "azure-public-ip", quantity: 1 }];
        default:
            return [];
    }
}

function siteOf(r: DeclaredResource): string {
    const tags = r.inputs.tags;
    return tags && typeof tags === "object" && typeof tags["dr:site"] === "string" ? tags["dr:site"] : "untagged";
}

function isGatewayEndpoint(r: DeclaredResource): boolean {
    return r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Gateway";
}

/** Where a resource lives: its AWS `region` or Azure `location` input; undefined for global ones (IAM, Route 53). */
export function regionOf(r: DeclaredResource): string | undefined {
    const where = r.inputs.region ?? r.inputs.location;
    return typeof where === "string" ? where : undefined;
}

function round(usd: number): number {
    return Math.round(usd * 100) / 100;
}
