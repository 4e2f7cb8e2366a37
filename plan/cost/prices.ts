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
};

/** The price of `key` in `region`, or undefined when the table has none. */
export function priceOf(key: string, region: string): Price | undefined {
    const prices = PRICES[key];
    return prices?.find(p => p.region === region) ?? prices?.find(p => p.region === "*");
}

/** A price as a monthly amount. */
export function monthly(price: Price): number {
    return price.unit === "hour" ? price.usd * HOURS_PER_MONTH : price.usd;
}
