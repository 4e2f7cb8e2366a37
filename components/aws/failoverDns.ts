import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertSubscription } from "../../config/types";
import { EncryptionKey } from "./encryptionKey";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Route 53 publishes health-check metrics only in us-east-1, so their alarms and topic live there. */
export const HEALTH_METRICS_REGION = "us-east-1";
/** Route 53 allows at most this TTL here: resolvers must notice a failover within a minute. */
export const MAX_FAILOVER_TTL_SECONDS = 60;

/** How Route 53 probes an origin. */
export interface HealthCheckSettings {
    readonly path: string;
    readonly port: number;
    readonly protocol: "HTTP" | "HTTPS";
    /** 10 or 30 seconds between probes. */
    readonly intervalSeconds: 10 | 30;
    /** Consecutive failures before the origin counts as down, 1-10. */
    readonly failureThreshold: number;
}

export interface FailoverDnsArgs {
    readonly accountId: pulumi.Input<string>;
    /** The hosted zone's domain, e.g. `portforge.example.com`. */
    readonly domainName: string;
    /** The public hosted zone for `domainName`. */
    readonly hostedZoneId: pulumi.Input<string>;
    /** Label of the failover record; `app` gives `app.<domainName>`. */
    readonly recordName: string;
    /** Host name served while the primary is healthy; the health check probes it. */
    readonly primaryTarget: pulumi.Input<string>;
    /** Host name served when the primary is unhealthy. */
    readonly secondaryTarget: pulumi.Input<string>;
    /** Also probe and alarm on the secondary, so a broken standby is noticed before it is needed. Default true. */
    readonly checkSecondary?: boolean;
    readonly healthCheck: HealthCheckSettings;
    /** TTL of the failover records, 1-60 seconds. */
    readonly ttlSeconds: number;
    readonly alertSubscriptions?: AlertSubscription[];
    readonly tags?: Record<string, string>;
}

/** Problems with DNS args, one string each. */
export function validateFailoverDnsArgs(args: FailoverDnsArgs): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(args.ttlSeconds) || args.ttlSeconds < 1 || args.ttlSeconds > MAX_FAILOVER_TTL_SECONDS) {
        problems.push(`ttlSeconds: ${args.ttlSeconds} is outside 1-${MAX_FAILOVER_TTL_SECONDS}`);
    }
    if (![10, 30].includes(args.healthCheck.intervalSeconds)) {
        problems.push(`healthCheck.intervalSeconds: Route 53 probes every 10 or 30 seconds, not ${args.healthCheck.intervalSeconds}`);
    }
    if (!Number.isInteger(args.healthCheck.failureThreshold) || args.healthCheck.failureThreshold < 1 || args.healthCheck.failureThreshold > 10) {
        problems.push(`healthCheck.failureThreshold: ${args.healthCheck.failureThreshold} is outside 1-10`);
    }
    if (!args.healthCheck.path.startsWith("/")) {
        problems.push("healthCheck.path must start with /");
    }
    return problems;
}

/**
 * Seconds from the primary's failure until resolvers hand out the secondary, at worst:
 * every probe in the threshold fails, then cached answers expire.
 */
export function worstCaseDetectionSeconds(healthCheck: Pick<HealthCheckSettings, "intervalSeconds" | "failureThreshold">, ttlSeconds: number): number {
    return healthCheck.intervalSeconds * healthCheck.failureThreshold + ttlSeconds;
}

/**
 * Route 53 failover routing in an existing zone: a health check on the primary origin, PRIMARY and SECONDARY records,
 * CloudWatch alarms on the health checks and an encrypted SNS topic that tells people.
 */
export class FailoverDns extends pulumi.ComponentResource {
    readonly fqdn: string;
    readonly primaryHealthCheckId: pulumi.Output<string>;
    readonly secondaryHealthCheckId?: pulumi.Output<string>;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly primaryAlarmArn: pulumi.Output<string>;
    readonly primaryAlarmName: pulumi.Output<string>;
    /** KMS key of the alert topic: whoever publishes to the topic needs to use it. */
    readonly alarmTopicKeyArn: pulumi.Output<string>;
    readonly detectionSeconds: number;

    constructor(name: string, args: FailoverDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("FailoverDns", name, validateFailoverDnsArgs(args));
        super("dr:aws:FailoverDns", name, {}, opts);
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);
        this.fqdn = `${args.recordName}.${args.domainName}`;

        const zoneId = args.hostedZoneId;

        const healthCheckFor = (role: string, target: pulumi.Input<string>) => new aws.route53.HealthCheck(`${name}-${role}-health`, {
            type: args.healthCheck.protocol,
            fqdn: target,
            port: args.healthCheck.port,
            resourcePath: args.healthCheck.path,
            requestInterval: args.healthCheck.intervalSeconds,
            failureThreshold: args.healthCheck.failureThreshold,
            enableSni: args.healthCheck.protocol === "HTTPS" ? true : undefined,
            tags: tags(`${name}-${role}-health`),
        }, parent);
        const primaryCheck = healthCheckFor("primary", args.primaryTarget);
        const secondaryCheck = (args.checkSecondary ?? true) ? healthCheckFor("secondary", args.secondaryTarget) : undefined;

        const recordFor = (role: "PRIMARY" | "SECONDARY", target: pulumi.Input<string>, healthCheckId?: pulumi.Input<string>) =>
            new aws.route53.Record(`${name}-${role.toLowerCase()}`, {
                zoneId,
                name: this.fqdn,
                type: "CNAME",
                ttl: args.ttlSeconds,
                records: [target],
                setIdentifier: role.toLowerCase(),
                failoverRoutingPolicies: [{ type: role }],
                healthCheckId,
            }, parent);
        recordFor("PRIMARY", args.primaryTarget, primaryCheck.id);
        recordFor("SECONDARY", args.secondaryTarget, secondaryCheck?.id);

        const topicKey = new EncryptionKey(`${name}-alerts`, {
            region: HEALTH_METRICS_REGION,
            accountId: args.accountId,
            description: "Encrypts the failover alert topic; CloudWatch may use it to publish",
            usableByServices: ["cloudwatch.amazonaws.com"],
            protect: false,
            tags: args.tags,
        }, parent);
        const topic = new aws.sns.Topic(`${name}-alerts`, {
            region: HEALTH_METRICS_REGION,
            kmsMasterKeyId: topicKey.arn,
            tags: tags(`${name}-alerts`),
        }, parent);
        (args.alertSubscriptions ?? []).forEach((subscription, index) => new aws.sns.TopicSubscription(`${name}-alert-${index}`, {
            region: HEALTH_METRICS_REGION,
            topic: topic.arn,
            protocol: subscription.protocol,
            endpoint: subscription.endpoint,
        }, parent));

        const alarmFor = (role: string, healthCheckId: pulumi.Output<string>) => new aws.cloudwatch.MetricAlarm(`${name}-${role}-down`, {
            region: HEALTH_METRICS_REGION,
            alarmDescription: `${role} origin of ${this.fqdn} fails its Route 53 health check`,
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: healthCheckId },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // No data means Route 53 cannot reach its checkers' results: treat as down, not fine.
            treatMissingData: "breaching",
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            tags: tags(`${name}-${role}-down`),
        }, parent);
        const primaryAlarm = alarmFor("primary", primaryCheck.id);
        if (secondaryCheck) {
            alarmFor("secondary", secondaryCheck.id);
        }

        this.primaryHealthCheckId = primaryCheck.id;
        this.secondaryHealthCheckId = secondaryCheck?.id;
        this.alarmTopicArn = topic.arn;
        this.primaryAlarmArn = primaryAlarm.arn;
        this.primaryAlarmName = primaryAlarm.name;
        this.alarmTopicKeyArn = topicKey.arn;
        this.detectionSeconds = worstCaseDetectionSeconds(args.healthCheck, args.ttlSeconds);
        this.registerOutputs({
            fqdn: this.fqdn,
            primaryHealthCheckId: this.primaryHealthCheckId,
            alarmTopicArn: this.alarmTopicArn,
        });
    }
}
