/** Where a price came from and how sure we are of it. */
export interface PriceSource {
    /** The page that publishes the price. */
    readonly url: string;
    /** When the figure was taken (YYYY-MM). */
    readonly asOf: string;
    /** `checked`: confirmed against the source for this project (../shared/BRIEF.md); `list`: published list price, not re-read from this machine. */
    readonly basis: "checked" | "list";
}

/** One price: an amount per unit, for one region (or `*` for every region). */
export interface Price {
    readonly usd: number;
    readonly unit: "hour" | "month";
    readonly region: string;
    readonly source: PriceSource;
}

/** Hours in the month every estimate uses (AWS and Azure calculators use 730). */
export const HOURS_PER_MONTH = 730;

const AWS_EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const AWS_RDS = "https://aws.amazon.com/rds/mysql/pricing/";
const AWS_VPC = "https://aws.amazon.com/vpc/pricing/";
const AFD_PRICES = "https://learn.microsoft.com/azure/frontdoor/compare-cdn-front-door-price";
const BRIEF = (url: string): PriceSource => ({ url, asOf: "2026-11", basis: "checked" });
const LIST = (url: string): PriceSource => ({ url, asOf: "2026-11", basis: "list" });

/**
 * The price table, kept as data. Keys name what is bought (`eks-cluster`, `ec2:t3.large`, ...);
 * each key holds prices per region. Usage-based charges (requests, GB stored or moved) are not
 * here: the estimate lists those resources as unpriced instead of counting them as zero.
 */
export const PRICES: Readonly<Record<string, readonly Price[]>> = {
    "eks-cluster": [{ usd: 0.10, unit: "hour", region: "*", source: BRIEF("https://aws.amazon.com/eks/pricing/") }],
    /** A cluster whose Kubernetes version is past EKS standard support (config/eksVersions.ts). */
    "eks-cluster-extended": [{ usd: 0.60, unit: "hour", region: "*", source: LIST("https://aws.amazon.com/eks/pricing/") }],
    "ec2:t3.large": [
        { usd: 0.104, unit: "hour", region: "ap-northeast-2", source: LIST(AWS_EC2) },
        { usd: 0.1088, unit: "hour", region: "ap-northeast-1", source: LIST(AWS_EC2) },
    ],
    "ec2:t3.small": [
        { usd: 0.026, unit: "hour", region: "ap-northeast-2", source: LIST(AWS_EC2) },
        { usd: 0.0272, unit: "hour", region: "ap-northeast-1", source: LIST(AWS_EC2) },
    ],
    "rds-mysql:db.t3.micro:single-az": [
        { usd: 0.026, unit: "hour", region: "ap-northeast-2", source: LIST(AWS_RDS) },
        { usd: 0.026, unit: "hour", region: "ap-northeast-1", source: LIST(AWS_RDS) },
    ],
    "rds-mysql:db.t3.micro:multi-az": [
        { usd: 0.052, unit: "hour", region: "ap-northeast-2", source: LIST(AWS_RDS) },
        { usd: 0.052, unit: "hour", region: "ap-northeast-1", source: LIST(AWS_RDS) },
    ],
    "nat-gateway": [
        { usd: 0.059, unit: "hour", region: "ap-northeast-2", source: LIST(AWS_VPC) },
        { usd: 0.062, unit: "hour", region: "ap-northeast-1", source: LIST(AWS_VPC) },
    ],
    "public-ipv4": [{ usd: 0.005, unit: "hour", region: "*", source: LIST(AWS_VPC) }],
    "vpc-interface-endpoint": [{ usd: 0.01, unit: "hour", region: "*", source: LIST("https://aws.amazon.com/privatelink/pricing/") }],
    "kms-key": [{ usd: 1.0, unit: "month", region: "*", source: LIST("https://aws.amazon.com/kms/pricing/") }],
    "secretsmanager-secret": [{ usd: 0.40, unit: "month", region: "*", source: LIST("https://aws.amazon.com/secrets-manager/pricing/") }],
    "route53-zone": [{ usd: 0.50, unit: "month", region: "*", source: LIST("https://aws.amazon.com/route53/pricing/") }],
    "route53-health-check": [{ usd: 0.50, unit: "month", region: "*", source: BRIEF("https://aws.amazon.com/route53/pricing/") }],
    "route53-health-check-option": [{ usd: 1.0, unit: "month", region: "*", source: BRIEF("https://aws.amazon.com/route53/pricing/") }],
    "cloudwatch-alarm": [{ usd: 0.10, unit: "month", region: "*", source: LIST("https://aws.amazon.com/cloudwatch/pricing/") }],
    "azure-mysql:Standard_B1ms": [{ usd: 0.022, unit: "hour", region: "*", source: BRIEF("https://azure.microsoft.com/pricing/details/mysql/flexible-server/") }],
    "azure-vm:Standard_B1s": [{ usd: 0.0104, unit: "hour", region: "*", source: BRIEF("https://azure.microsoft.com/pricing/details/virtual-machines/linux/") }],
    "azure-appgw:Standard_v2": [{ usd: 0.246, unit: "hour", region: "*", source: BRIEF("https://azure.microsoft.com/pricing/details/application-gateway/") }],
    "azure-nat-gateway": [{ usd: 0.045, unit: "hour", region: "*", source: LIST("https://azure.microsoft.com/pricing/details/azure-nat-gateway/") }],
    "azure-public-ip": [{ usd: 0.005, unit: "hour", region: "*", source: LIST("https://azure.microsoft.com/pricing/details/ip-addresses/") }],
    /** Base fee per profile; requests and data transfer are billed on top. The pilot light's maintenance front. */
    "azure-frontdoor:Standard_AzureFrontDoor": [{ usd: 35, unit: "month", region: "*", source: BRIEF(AFD_PRICES) }],
    /** Compared, not declared: Private Link origins (the gateway hop off the internet) cost this base fee. */
    "azure-frontdoor:Premium_AzureFrontDoor": [{ usd: 330, unit: "month", region: "*", source: BRIEF(AFD_PRICES) }],
    /** Compared, not declared: a CloudFront flat-rate Pro plan (pay-as-you-go CloudFront has no base fee, see FRONT_ALTERNATIVES). */
    "cloudfront-flat-rate:Pro": [{ usd: 15, unit: "month", region: "*", source: LIST("https://aws.amazon.com/cloudfront/pricing/") }],
};

/** An HTTPS front the pilot light's maintenance page could use, and why it is or is not the one declared. */
export interface FrontAlternative {
    readonly option: string;
    /** Fixed monthly fee in USD before usage; 0 when there is none. */
    readonly baseUsdPerMonth: number;
    /** The PRICES key of the base fee, when there is one. */
    readonly priceKey?: string;
    readonly usage: string;
    readonly declared: boolean;
    readonly why: string;
    readonly source: PriceSource;
}

/** The comparison behind the maintenance front (issue 10, item 2): the plan prices the declared one. */
export const FRONT_ALTERNATIVES: readonly FrontAlternative[] = [
    {
        option: "Azure Front Door Standard",
        baseUsdPerMonth: 35,
        priceKey: "azure-frontdoor:Standard_AzureFrontDoor",
        usage: "per 10,000 requests and per GB edge-to-client and edge-to-origin",
        declared: true,
        why: "one managed certificate for app.<domain> on both the normal and the emergency path, issued on day one; the emergency hop to the gateway stays on Microsoft's network; switching to the gateway is an Azure-only change, with no AWS control plane in the path",
        source: BRIEF(AFD_PRICES),
    },
    {
        option: "Azure Front Door Premium",
        baseUsdPerMonth: 330,
        priceKey: "azure-frontdoor:Premium_AzureFrontDoor",
        usage: "as Standard, with a higher per-request rate",
        declared: false,
        why: "Private Link origins would take the gateway off the internet entirely, for about $295/month more than Standard",
        source: BRIEF(AFD_PRICES),
    },
    {
        option: "Amazon CloudFront (pay as you go) in front of the static website",
        baseUsdPerMonth: 0,
        usage: "per GB out and per 10,000 requests, beyond 1 TB and 10 million requests a month free",
        declared: false,
        why: "cheapest, and ACM renews its certificate by itself (Front Door needs a hand every few months while Seoul is healthy), but the emergency switch to the gateway becomes a CloudFront change (AWS's global control plane) while AWS is the thing failing, and the hop to the gateway crosses the public internet unencrypted, since the gateway has no publicly trusted certificate",
        source: LIST("https://aws.amazon.com/cloudfront/pricing/"),
    },
];

/** The price of `key` in `region`, or undefined when the table has none. */
export function priceOf(key: string, region: string): Price | undefined {
    const prices = PRICES[key];
    return prices?.find(p => p.region === region) ?? prices?.find(p => p.region === "*");
}

/** A price as a monthly amount. */
export function monthly(price: Price): number {
    return price.unit === "hour" ? price.usd * HOURS_PER_MONTH : price.usd;
}
