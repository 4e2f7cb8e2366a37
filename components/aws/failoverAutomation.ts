import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../../lib/iamPolicy";
import { childTags } from "../tags";
import { HEALTH_METRICS_REGION } from "./failoverDns";

/** Days the failover function's logs are kept: long enough to reconstruct an incident. */
export const FAILOVER_LOG_RETENTION_DAYS = 365;
/** The function's timeout: every call it makes is short, the SDK retries throttling within it. */
export const FAILOVER_TIMEOUT_SECONDS = 120;
/**
 * How long a run holds the one-run-at-a-time lock: past the timeout, so a live run never loses
 * it, yet expired before Lambda's first retry of a crashed run (one minute after the failure).
 */
export const FAILOVER_LOCK_SECONDS = FAILOVER_TIMEOUT_SECONDS + 30;
/**
 * Lambda's own retries of a failed run (the default, 2): every step checks first, so a retry only
 * finishes what a transient error interrupted.
 */
export const FAILOVER_MAX_RETRIES = 2;
/**
 * Oldest alarm event Lambda still delivers (default 6 hours): after 15 minutes, as for the
 * EventBridge target, people have had the alarm's own notice and a late run would surprise them.
 */
export const FAILOVER_MAX_EVENT_AGE_SECONDS = 900;

export interface FailoverAutomationArgs {
    /** Region of the standby: the function runs there, next to what it changes. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** The function's code (index.handler). */
    readonly code: pulumi.asset.Archive;
    /** Let it act (`ENABLE_AUTO_FAILOVER=true`); otherwise it only tells people. */
    readonly enabled: boolean;
    readonly stackName: string;
    readonly replica: { identifier: pulumi.Input<string>; arn: pulumi.Input<string> };
    readonly nodeGroup: { clusterName: pulumi.Input<string>; name: pulumi.Input<string>; arn: pulumi.Input<string> };
    readonly failoverNodeCount: number;
    /** The alarm on the primary's health check (in us-east-1). */
    readonly alarm: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /**
     * Id of the primary's Route 53 health check: the function promotes only when its checkers
     * confirm the outage (GetHealthCheckStatus), not on the alarm alone.
     */
    readonly healthCheckId: pulumi.Input<string>;
    /** The alert topic (in us-east-1) and the KMS key that encrypts it. */
    readonly topic: { arn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };
    /** Protect the lock table from `pulumi destroy`, like the stack's other tables. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/**
 * Automatic failover (seed 004): the primary's health-check alarm goes to EventBridge in
 * us-east-1, is forwarded to the standby region's default bus, and triggers a function there that
 * promotes the replica, grows the node group and notifies the alert topic. With `enabled` false
 * (the default) the function only notifies. One run acts at a time, through a lock item in a
 * small DynamoDB table (no reserved concurrency, which new accounts cannot grant), and only once
 * Route 53's checkers confirm the primary is down. Its role can touch exactly those resources.
 */
export class FailoverAutomation extends pulumi.ComponentResource {
    readonly functionArn: pulumi.Output<string>;
    readonly functionName: pulumi.Output<string>;
    readonly lockTableName: pulumi.Output<string>;

    constructor(name: string, args: FailoverAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:aws:FailoverAutomation", name, {}, opts);
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);
        const eventPattern = pulumi.jsonStringify({
            source: ["aws.cloudwatch"],
            "detail-type": ["CloudWatch Alarm State Change"],
            resources: [args.alarm.arn],
            detail: { state: { value: ["ALARM"] } },
        });

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            region: args.region,
            retentionInDays: FAILOVER_LOG_RETENTION_DAYS,
            tags: tags(`${name}-logs`),
        }, parent);
        // The lock holds one small item; deletion protection and PITR keep the pack's table rules (and cost nothing here).
        const lockTable = new aws.dynamodb.Table(`${name}-lock`, {
            region: args.region,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "lockId",
            attributes: [{ name: "lockId", type: "S" }],
            ttl: { attributeName: "expiresAt", enabled: true },
            // The AWS managed key: the function needs no KMS grant of its own to use the table.
            serverSideEncryption: { enabled: true },
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: true,
            tags: tags(`${name}-lock`),
        }, { parent: this, protect: args.protect ?? true });
        const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"), tags: tags(`${name}-role`) }, parent);
        new aws.iam.RolePolicy(`${name}-least-privilege`, {
            role: role.id,
            policy: policyDocument([
                { Sid: "PromoteTheReplica", Effect: "Allow", Action: ["rds:DescribeDBInstances", "rds:PromoteReadReplica"], Resource: args.replica.arn },
                { Sid: "GrowTheNodeGroup", Effect: "Allow", Action: ["eks:DescribeNodegroup", "eks:UpdateNodegroupConfig"], Resource: args.nodeGroup.arn },
                { Sid: "HoldTheRunLock", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: lockTable.arn },
                {
                    Sid: "ConfirmThePrimaryIsDown",
                    Effect: "Allow",
                    Action: ["route53:GetHealthCheckStatus"],
                    Resource: pulumi.interpolate`arn:aws:route53:::healthcheck/${args.healthCheckId}`,
                },
                { Sid: "NotifyPeople", Effect: "Allow", Action: ["sns:Publish"], Resource: args.topic.arn },
                {
                    Sid: "EncryptForTheTopic",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: args.topic.kmsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `sns.${HEALTH_METRICS_REGION}.amazonaws.com` } },
                },
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
            ]),
        }, parent);

        const fn = new aws.lambda.Function(`${name}-function`, {
            region: args.region,
            // Node 20 left upstream support in April 2026; the bundle targets 20 and runs on 22.
            runtime: "nodejs22.x",
            handler: "index.handler",
            code: args.code,
            role: role.arn,
            timeout: FAILOVER_TIMEOUT_SECONDS,
            memorySize: 256,
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            environment: {
                variables: {
                    ENABLE_AUTO_FAILOVER: String(args.enabled),
                    ALARM_NAME: args.alarm.name,
                    HEALTH_CHECK_ID: args.healthCheckId,
                    REPLICA_ID: args.replica.identifier,
                    REPLICA_REGION: args.region,
                    CLUSTER_NAME: args.nodeGroup.clusterName,
                    NODEGROUP_NAME: args.nodeGroup.name,
                    CLUSTER_REGION: args.region,
                    FAILOVER_NODE_COUNT: String(args.failoverNodeCount),
                    TOPIC_ARN: args.topic.arn,
                    LOCK_TABLE_NAME: lockTable.name,
                    LOCK_TABLE_REGION: args.region,
                    LOCK_SECONDS: String(FAILOVER_LOCK_SECONDS),
                    STACK_NAME: args.stackName,
                },
            },
            tags: tags(`${name}-function`),
        }, parent);
        new aws.lambda.FunctionEventInvokeConfig(`${name}-async`, {
            region: args.region,
            functionName: fn.name,
            maximumRetryAttempts: FAILOVER_MAX_RETRIES,
            maximumEventAgeInSeconds: FAILOVER_MAX_EVENT_AGE_SECONDS,
        }, parent);

        // EventBridge delivers the alarm where it happens (us-east-1); forward it to the standby's bus.
        const forwardRole = new aws.iam.Role(`${name}-forward-role`, { assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com"), tags: tags(`${name}-forward-role`) }, parent);
        const standbyBus = pulumi.interpolate`arn:aws:events:${args.region}:${args.accountId}:event-bus/default`;
        new aws.iam.RolePolicy(`${name}-forward-policy`, {
            role: forwardRole.id,
            policy: policyDocument([{ Effect: "Allow", Action: ["events:PutEvents"], Resource: standbyBus }]),
        }, parent);
        const alarmRule = new aws.cloudwatch.EventRule(`${name}-alarm-rule`, {
            region: HEALTH_METRICS_REGION,
            description: "Primary health-check alarm: forward to the standby region",
            eventPattern,
            tags: tags(`${name}-alarm-rule`),
        }, parent);
        new aws.cloudwatch.EventTarget(`${name}-forward`, {
            region: HEALTH_METRICS_REGION,
            rule: alarmRule.name,
            arn: standbyBus,
            roleArn: forwardRole.arn,
        }, parent);
        const standbyRule = new aws.cloudwatch.EventRule(`${name}-standby-rule`, {
            region: args.region,
            description: "Primary health-check alarm forwarded from us-east-1: run the failover function",
            eventPattern,
            tags: tags(`${name}-standby-rule`),
        }, parent);
        new aws.lambda.Permission(`${name}-invoke`, {
            region: args.region,
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "events.amazonaws.com",
            sourceArn: standbyRule.arn,
        }, parent);
        new aws.cloudwatch.EventTarget(`${name}-run`, {
            region: args.region,
            rule: standbyRule.name,
            arn: fn.arn,
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 900 },
        }, parent);

        this.functionArn = fn.arn;
        this.functionName = fn.name;
        this.lockTableName = lockTable.name;
        this.registerOutputs({ functionArn: this.functionArn, lockTableName: this.lockTableName });
    }
}
