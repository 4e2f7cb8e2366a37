import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertSubscription } from "../../config/types";
import { EncryptionKey } from "./encryptionKey";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Route 53 publishes health-check metrics only in us-east-1, so their alarms and topic live there. */
export const HEALTH_METRICS_REGION = "us-east-1";
/**
 * TTL Route 53 answers alias records to a load balancer with: the load balancer's own, 60 s
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html).
 */
export const ALIAS_TARGET_TTL_SECONDS = 60;
/** Period of the health-check alarms: Route 53 publishes HealthCheckStatus every minute. */
export const ALARM_PERIOD_SECONDS = 60;
/**
 * Consecutive failing minutes (all of them: `datapointsToAlarm` equals this) before a health-check
 * alarm fires and the primary's may start an automatic failover. One bad minute is noise, not an
 * outage; missing minutes count as not failing.
 */
export const ALARM_EVALUATION_PERIODS = 3;
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

/**
 * Where a failover record sends users. `alias`: an A alias to a load balancer (no extra lookup,
 * Route 53 answers with the target's own 60 s TTL); `cname`: any host name, with `ttlSeconds`.
 * Both records of a pair must be of one kind: Route 53 pairs failover records by name and type,
 * and a CNAME cannot share its name with an A record.
 */
export type FailoverTarget =
    | { readonly kind: "alias"; readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> }
    | { readonly kind: "cname"; readonly host: pulumi.Input<string> };

export interface FailoverDnsArgs {
    readonly accountId: pulumi.Input<string>;
    /** The hosted zone's domain, e.g. `portforge.example.com`. */
    readonly domainName: string;
    /** The public hosted zone for `domainName`. */
    readonly hostedZoneId: pulumi.Input<string>;
    /** Label of the failover record; `app` gives `app.<domainName>`. */
    readonly recordName: string;
    /** Served while the primary is healthy. */
    readonly primaryTarget: FailoverTarget;
    /**
     * The host the primary's health check probes (its FQDN, so also the Host header and SNI):
     * a name the primary's entry point answers, e.g. `app-primary.<domainName>`.
     */
    readonly primaryCheckedHost: pulumi.Input<string>;
    /** Served when the primary is unhealthy. */
    readonly secondaryTarget: FailoverTarget;
    /**
     * When given, the secondary is probed and alarmed on too (on this host), so a broken standby
     * is noticed before it is needed. Default: not probed.
     */
    readonly secondaryCheckedHost?: pulumi.Input<string>;
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
    if (args.primaryTarget.kind !== args.secondaryTarget.kind) {
        problems.push(`primaryTarget is ${args.primaryTarget.kind} but secondaryTarget is ${args.secondaryTarget.kind}: ` +
            "Route 53 pairs failover records of one name and type, and a CNAME cannot share its name with an A record");
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
 * Route 53 failover routing in an existing zone: a health check on the primary's checked host, PRIMARY and SECONDARY records,
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
        const primaryCheck = healthCheckFor("primary", args.primaryCheckedHost);
        const secondaryCheck = args.secondaryCheckedHost !== undefined ? healthCheckFor("secondary", args.secondaryCheckedHost) : undefined;

        // The health check decides, not the alias target's health (evaluateTargetHealth false): one
        // signal for routing, the alarm and the failover function, probing the app end to end.
        const recordFor = (role: "PRIMARY" | "SECONDARY", target: FailoverTarget, healthCheckId?: pulumi.Input<string>) =>
            new aws.route53.Record(`${name}-${role.toLowerCase()}`, {
                zoneId,
                name: this.fqdn,
                setIdentifier: role.toLowerCase(),
                failoverRoutingPolicies: [{ type: role }],
                healthCheckId,
                ...(target.kind === "alias"
                    ? { type: "A", aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: false }] }
                    : { type: "CNAME", ttl: args.ttlSeconds, records: [target.host] }),
            // A record whose type changes (CNAME to alias A) is replaced; the new one may not exist
            // beside the old, so the old goes first.
            }, { parent: this, deleteBeforeReplace: true });
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
            period: ALARM_PERIOD_SECONDS,
            evaluationPeriods: ALARM_EVALUATION_PERIODS,
            datapointsToAlarm: ALARM_EVALUATION_PERIODS,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // A gap in the metric (at deploy time, or a delayed publication) is no evidence of an outage.
            treatMissingData: "notBreaching",
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
        this.detectionSeconds = worstCaseDetectionSeconds(args.healthCheck, args.primaryTarget.kind === "alias" ? ALIAS_TARGET_TTL_SECONDS : args.ttlSeconds);
        this.registerOutputs({
            fqdn: this.fqdn,
            primaryHealthCheckId: this.primaryHealthCheckId,
            alarmTopicArn: this.alarmTopicArn,
        });
    }
}
