import { T } from "./types";

/** A check beyond length and characters: the name breaks the rule when `breaks` is true. */
interface NameCheck {
    readonly breaks: (name: string) => boolean;
    readonly problem: string;
}

/** What AWS accepts for one name property, and where AWS documents it. */
export interface NameRule {
    readonly types: readonly string[];
    readonly property: string;
    /** How AWS calls the name, for messages. */
    readonly what: string;
    readonly min: number;
    readonly max: number;
    /** Every character of the name must match this (one character). */
    readonly character: RegExp;
    readonly characters: string;
    readonly checks: readonly NameCheck[];
    readonly source: string;
}

const startsWithLetter: NameCheck = { breaks: name => !/^[A-Za-z]/.test(name), problem: "must start with a letter" };
const noTrailingHyphen: NameCheck = { breaks: name => name.endsWith("-"), problem: "must not end with a hyphen" };
const noDoubleHyphen: NameCheck = { breaks: name => name.includes("--"), problem: "must not contain two consecutive hyphens" };
const noEdgeHyphen: NameCheck = { breaks: name => name.startsWith("-") || name.endsWith("-"), problem: "must not begin or end with a hyphen" };
const RDS_IDENTIFIER_CHECKS = [startsWithLetter, noTrailingHyphen, noDoubleHyphen];
const ALPHANUMERIC_OR_HYPHEN = /[A-Za-z0-9-]/;

const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"];

/**
 * Name limits AWS enforces when it creates (or, for a final snapshot, deletes) the resource, which
 * a preview does not check. Names the provider generates (auto-naming) are not listed here: the
 * provider fits them to the limit.
 */
export const NAME_RULES: readonly NameRule[] = [
    {
        types: [T.rdsInstance], property: "identifier", what: "RDS DB instance identifier", min: 1, max: 63,
        character: ALPHANUMERIC_OR_HYPHEN, characters: "letters, digits and hyphens", checks: RDS_IDENTIFIER_CHECKS,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    },
    {
        types: [T.rdsCluster], property: "clusterIdentifier", what: "RDS DB cluster identifier", min: 1, max: 63,
        character: ALPHANUMERIC_OR_HYPHEN, characters: "letters, digits and hyphens", checks: RDS_IDENTIFIER_CHECKS,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
    },
    {
        types: [T.rdsInstance, T.rdsCluster], property: "finalSnapshotIdentifier", what: "RDS final snapshot identifier", min: 1, max: 255,
        character: ALPHANUMERIC_OR_HYPHEN, characters: "letters, digits and hyphens", checks: RDS_IDENTIFIER_CHECKS,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    },
    {
        types: [T.loadBalancer, T.albLoadBalancer], property: "name", what: "load balancer name", min: 1, max: 32,
        character: ALPHANUMERIC_OR_HYPHEN, characters: "letters, digits and hyphens",
        checks: [noEdgeHyphen, { breaks: name => name.startsWith("internal-"), problem: 'must not begin with "internal-"' }],
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    },
    {
        types: [T.targetGroup, T.albTargetGroup], property: "name", what: "target group name", min: 1, max: 32,
        character: ALPHANUMERIC_OR_HYPHEN, characters: "letters, digits and hyphens", checks: [noEdgeHyphen],
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    {
        types: [T.iamRole], property: "name", what: "IAM role name", min: 1, max: 64,
        character: /[\w+=,.@-]/, characters: "letters, digits and _+=,.@-", checks: [],
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    },
    {
        types: [T.lambdaFunction], property: "name", what: "Lambda function name", min: 1, max: 64,
        character: /[A-Za-z0-9_-]/, characters: "letters, digits, hyphens and underscores", checks: [],
        source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    },
    {
        types: [T.bucket, T.bucketV2], property: "bucket", what: "S3 bucket name", min: 3, max: 63,
        character: /[a-z0-9.-]/, characters: "lowercase letters, digits, dots and hyphens",
        checks: [
            { breaks: name => !/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(name), problem: "must begin and end with a lowercase letter or digit" },
            { breaks: name => name.includes(".."), problem: "must not contain two adjacent periods" },
            { breaks: name => /^\d{1,3}(\.\d{1,3}){3}$/.test(name), problem: "must not be formatted as an IP address" },
            ...S3_RESERVED_PREFIXES.map(prefix => ({ breaks: (name: string) => name.startsWith(prefix), problem: `must not start with "${prefix}"` })),
            ...S3_RESERVED_SUFFIXES.map(suffix => ({ breaks: (name: string) => name.endsWith(suffix), problem: `must not end with "${suffix}"` })),
        ],
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
];

/** Every way `name` breaks `rule`, in the order AWS documents them; empty when AWS accepts it. */
export function nameProblems(rule: NameRule, name: string): string[] {
    const problems: string[] = [];
    if (name.length > rule.max) {
        problems.push(`has ${name.length} characters, more than the ${rule.max} allowed`);
    } else if (name.length < rule.min) {
        problems.push(`has ${name.length} characters, fewer than the ${rule.min} required`);
    }
    const bad = [...new Set([...name].filter(character => !rule.character.test(character)))];
    if (bad.length > 0) {
        problems.push(`may hold only ${rule.characters}, not ${bad.map(character => JSON.stringify(character)).join(", ")}`);
    }
    problems.push(...rule.checks.filter(check => name.length > 0 && check.breaks(name)).map(check => check.problem));
    return problems;
}
