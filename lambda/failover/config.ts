/** Environment variables the failover function reads, in the order problems are reported. */
export const ENV = {
    alarmName: "ALARM_NAME",
    enabled: "ENABLE_AUTO_FAILOVER",
    healthCheckId: "HEALTH_CHECK_ID",
    replicaId: "REPLICA_ID",
    replicaRegion: "REPLICA_REGION",
    clusterName: "CLUSTER_NAME",
    nodegroupName: "NODEGROUP_NAME",
    clusterRegion: "CLUSTER_REGION",
    failoverNodeCount: "FAILOVER_NODE_COUNT",
    topicArn: "TOPIC_ARN",
    lockTableName: "LOCK_TABLE_NAME",
    lockTableRegion: "LOCK_TABLE_REGION",
    lockSeconds: "LOCK_SECONDS",
    stackName: "STACK_NAME",
} as const;

/** Stack name shown in the reconcile command when `STACK_NAME` is unset. */
export const DEFAULT_STACK_NAME = "<stack>";
/**
 * Seconds a run holds the failover lock when `LOCK_SECONDS` is unset: longer than the function's
 * 120 s timeout, so a live run never loses its lock, and short enough that a crashed run's lock has
 * expired before Lambda's first retry of it (one minute after the failure).
 */
export const DEFAULT_LOCK_SECONDS = 150;
/** Longest lock accepted: Lambda runs a function for at most 15 minutes. */
export const MAX_LOCK_SECONDS = 900;

/** Settings of one deployment of the failover function, read from its environment. */
export interface FailoverConfig {
    /** Name of the CloudWatch alarm on the primary's health check; other alarms are ignored. */
    readonly alarmName: string;
    /** True only when `ENABLE_AUTO_FAILOVER` is exactly `"true"`; otherwise nothing is changed. */
    readonly enabled: boolean;
    /** Route 53 health check of the primary; its checkers must confirm the outage before a promotion. */
    readonly healthCheckId: string;
    /** DB instance identifier of the cross-region read replica to promote. */
    readonly replicaId: string;
    readonly replicaRegion: string;
    readonly clusterName: string;
    readonly nodegroupName: string;
    /** Region of the standby EKS cluster; `CLUSTER_REGION`, default `REPLICA_REGION`. */
    readonly clusterRegion: string;
    /** Desired size of the node group after failover. */
    readonly failoverNodeCount: number;
    /** SNS topic told what happened; its client's region comes from the ARN. */
    readonly topicArn: string;
    readonly topicRegion: string;
    /** DynamoDB table (partition key `lockId`, TTL on `expiresAt`) holding the one-run-at-a-time lock. */
    readonly lockTableName: string;
    /** Region of the lock table; `LOCK_TABLE_REGION`, default `REPLICA_REGION`. */
    readonly lockTableRegion: string;
    /** How long a run holds the lock unless it releases it first; `LOCK_SECONDS`, default {@link DEFAULT_LOCK_SECONDS}. */
    readonly lockSeconds: number;
    /** Pulumi stack to reconcile, used only in the notification text. */
    readonly stackName: string;
}

/** One bad environment variable and what is wrong with it. */
export interface EnvProblem {
    readonly variable: string;
    readonly message: string;
}

/** Thrown before anything is called when the environment is invalid; names every bad variable. */
export class FailoverEnvError extends Error {
    constructor(readonly problems: readonly EnvProblem[]) {
        super(
            `Invalid failover environment (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was changed:\n` +
                problems.map(p => `  - ${p.variable} ${p.message}`).join("\n"),
        );
        this.name = "FailoverEnvError";
    }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// RDS: a letter first, then letters, digits and single hyphens, no trailing hyphen.
const DB_INSTANCE_ID = /^[A-Za-z](-?[A-Za-z0-9])*$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
// Standard topics only: publishing to a FIFO topic would also need a message group.
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:([a-z]{2}(-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}$/;
// Route 53 returns health check ids of at most 64 characters (UUIDs in practice).
const HEALTH_CHECK_ID = /^[A-Za-z0-9-]{1,64}$/;
const DYNAMODB_TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads and validates the function's environment; throws one {@link FailoverEnvError} listing
 * every missing or malformed variable.
 */
export function parseFailoverEnv(env: Readonly<Record<string, string | undefined>>): FailoverConfig {
    const problems: EnvProblem[] = [];
    const value = (variable: string): string | undefined => {
        const raw = env[variable];
        return raw === undefined || raw === "" ? undefined : raw;
    };
    const required = (variable: string, check?: (v: string) => string | undefined): string => {
        const raw = value(variable);
        if (raw === undefined) {
            problems.push({ variable, message: "is required" });
            return "";
        }
        const problem = check?.(raw);
        if (problem !== undefined) {
            problems.push({ variable, message: `${problem}, got ${JSON.stringify(raw)}` });
        }
        return raw;
    };

    const alarmName = required(ENV.alarmName, v => v.length > 255 ? "must be at most 255 characters" : undefined);
    const enabledRaw = value(ENV.enabled) ?? "false";
    if (enabledRaw !== "true" && enabledRaw !== "false") {
        problems.push({ variable: ENV.enabled, message: `must be "true" or "false", got ${JSON.stringify(enabledRaw)}` });
    }
    const healthCheckId = required(ENV.healthCheckId, v => HEALTH_CHECK_ID.test(v)
        ? undefined
        : "must be a Route 53 health check id (letters, digits and hyphens, at most 64)");
    const replicaId = required(ENV.replicaId, v => DB_INSTANCE_ID.test(v) && v.length <= 63
        ? undefined
        : "must be an RDS DB instance identifier (a letter, then letters, digits and single hyphens, at most 63)");
    const replicaRegion = required(ENV.replicaRegion, regionProblem);
    const clusterName = required(ENV.clusterName, v => eksNameProblem(v, 100));
    const nodegroupName = required(ENV.nodegroupName, v => eksNameProblem(v, 63));
    const clusterRegionRaw = value(ENV.clusterRegion);
    const clusterRegion = clusterRegionRaw === undefined ? replicaRegion : required(ENV.clusterRegion, regionProblem);
    const countRaw = required(ENV.failoverNodeCount, v => POSITIVE_INTEGER.test(v) && Number.isSafeInteger(Number(v))
        ? undefined
        : "must be a positive integer");
    const topicArn = required(ENV.topicArn, v => SNS_TOPIC_ARN.test(v)
        ? undefined
        : "must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts");
    const lockTableName = required(ENV.lockTableName, v => DYNAMODB_TABLE_NAME.test(v)
        ? undefined
        : "must be a DynamoDB table name (3-255 letters, digits, underscores, hyphens and dots)");
    const lockTableRegionRaw = value(ENV.lockTableRegion);
    const lockTableRegion = lockTableRegionRaw === undefined ? replicaRegion : required(ENV.lockTableRegion, regionProblem);
    const lockSecondsRaw = value(ENV.lockSeconds);
    const lockSeconds = lockSecondsRaw === undefined
        ? String(DEFAULT_LOCK_SECONDS)
        : required(ENV.lockSeconds, v => POSITIVE_INTEGER.test(v) && Number(v) <= MAX_LOCK_SECONDS
            ? undefined
            : `must be a whole number of seconds from 1 to ${MAX_LOCK_SECONDS}`);

    if (problems.length > 0) {
        throw new FailoverEnvError(problems);
    }
    return {
        alarmName,
        enabled: enabledRaw === "true",
        healthCheckId,
        replicaId,
        replicaRegion,
        clusterName,
        nodegroupName,
        clusterRegion,
        failoverNodeCount: Number(countRaw),
        topicArn,
        topicRegion: topicArn.split(":")[3],
        lockTableName,
        lockTableRegion,
        lockSeconds: Number(lockSeconds),
        stackName: value(ENV.stackName) ?? DEFAULT_STACK_NAME,
    };
}

function regionProblem(v: string): string | undefined {
    return REGION.test(v) ? undefined : "must be an AWS region such as ap-northeast-1";
}

function eksNameProblem(v: string, maxLength: number): string | undefined {
    return EKS_NAME.test(v) && v.length <= maxLength
        ? undefined
        : `must be an EKS name (a letter or digit, then letters, digits, hyphens and underscores, at most ${maxLength})`;
}
