import { parseCidr } from "../lib/cidr";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX } from "../lib/subnetLayout";
import { ValueCheck } from "./reader";

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(user|role|assumed-role)\/[\w+=,.@/-]+$/;
const IAM_ROLE_OR_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]+$/;

/** An AWS region code such as ap-northeast-2. */
export const awsRegion: ValueCheck<string> = value =>
    AWS_REGION.test(value) ? undefined : `"${value}" is not an AWS region code like ap-northeast-2`;

/** Any well-formed IPv4 CIDR block. */
export const cidrBlock: ValueCheck<string> = value => {
    const parsed = parseCidr(value);
    return typeof parsed === "string" ? parsed : undefined;
};

/** A CIDR block usable as a VPC by the three-tier subnet layout. */
export const vpcCidrBlock: ValueCheck<string> = value => {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") {
        return parsed;
    }
    if (parsed.prefixLength < MIN_VPC_PREFIX || parsed.prefixLength > MAX_VPC_PREFIX) {
        return `${value} is a /${parsed.prefixLength}; a VPC here must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`;
    }
    return undefined;
};

/** A CIDR that is not the whole internet: admin endpoints must not be world-reachable. */
export const nonWorldCidr: ValueCheck<string> = value => {
    const problem = cidrBlock(value);
    if (problem) {
        return problem;
    }
    const parsed = parseCidr(value);
    return typeof parsed !== "string" && parsed.prefixLength === 0
        ? "opens the Kubernetes API to the whole internet; list your own networks instead"
        : undefined;
};

/** A fully qualified DNS name in lower case. */
export const hostname: ValueCheck<string> = value =>
    HOSTNAME.test(value) ? undefined : `"${value}" is not a fully qualified lower-case host name`;

/** One DNS label: lower case letters, digits and inner hyphens. */
export const dnsLabel: ValueCheck<string> = value =>
    DNS_LABEL.test(value) ? undefined : `"${value}" is not a lower-case DNS label (letters, digits, inner hyphens)`;

/** An IAM user or role ARN. */
export const iamPrincipalArn: ValueCheck<string> = value =>
    IAM_PRINCIPAL_ARN.test(value) ? undefined : `"${value}" is not an IAM user or role ARN`;

/** An IAM role or user ARN (`arn:aws:iam::<account>:role/<name>`): what an EKS access entry takes. */
export const iamRoleOrUserArn: ValueCheck<string> = value =>
    IAM_ROLE_OR_USER_ARN.test(value) ? undefined : `"${value}" is not an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin`;

/**
 * A prefix for S3 bucket names: Pulumi appends `-dr` and an 8-character suffix, and S3 allows 63
 * lower-case characters, so the prefix may use 3-40.
 */
export const bucketPrefix: ValueCheck<string> = value =>
    /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/.test(value) && !value.includes("--")
        ? undefined
        : `"${value}" is not a bucket name prefix (3-40 lower-case letters, digits, single hyphens)`;

/** A DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -; kept to 200 here so replicas' names stay readable). */
export const dynamoName: ValueCheck<string> = value =>
    /^[A-Za-z0-9_.-]{3,200}$/.test(value) ? undefined : `"${value}" is not a DynamoDB table name (3-200 of A-Z a-z 0-9 _ . -)`;

/**
 * A DynamoDB key attribute name: 1-255 characters
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html);
 * "id" and "pk" are common and valid.
 */
export const dynamoKeyName: ValueCheck<string> = value =>
    value.length >= 1 && value.length <= 255 ? undefined : `"${value}" is not a DynamoDB key attribute name (1-255 characters)`;

/** A MySQL identifier safe to use unquoted. */
export const mysqlIdentifier: ValueCheck<string> = value =>
    /^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(value) ? undefined : `"${value}" must start with a letter and hold 1-16 letters, digits or underscores`;
