import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../../lib/iamPolicy";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Where the AWS Load Balancer Controller runs and as whom (the chart's defaults). */
export const LOAD_BALANCER_CONTROLLER = { namespace: "kube-system", serviceAccountName: "aws-load-balancer-controller" } as const;

/** What the application may do with its site's items: read, write, query; never manage the tables. */
export const TABLE_ITEM_ACTIONS = [
    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
];

/**
 * The TargetGroupBinding-only subset of the AWS Load Balancer Controller's IAM policy
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/):
 * these Describe calls accept no resource restriction; the writes below are limited to the site's target groups.
 */
export const CONTROLLER_DESCRIBE_ACTIONS = [
    "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
];
export const CONTROLLER_TARGET_ACTIONS = [
    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
];

export interface WorkloadIdentityArgs {
    /** The cluster's IAM OIDC provider. */
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The cluster's issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
    readonly oidcIssuerUrl: pulumi.Input<string>;
    /** Namespace and ServiceAccount of the application's pods: the role trusts exactly this one. */
    readonly namespace: string;
    readonly serviceAccountName: string;
    /** This site's copy of the database secret (a replica's ARN names its own region). */
    readonly secretArn: pulumi.Input<string>;
    /** This site's data key: secret, buckets and tables are encrypted with it. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** This site's buckets. Default none. */
    readonly bucketArns?: pulumi.Input<string>[];
    /** This site's tables (in the standby region, the replicas' regional ARNs). Default none. */
    readonly tableArns?: pulumi.Input<string>[];
    /** This site's target groups: the only ones the load balancer controller may register pods in. */
    readonly targetGroupArns: pulumi.Input<string>[];
    readonly tags?: Record<string, string>;
}

/** Problems with workload identity args, one string each. */
export function validateWorkloadIdentityArgs(args: WorkloadIdentityArgs): string[] {
    const problems: string[] = [];
    if (args.targetGroupArns.length === 0) {
        problems.push("targetGroupArns: the load balancer controller needs at least one target group to bind pods to");
    }
    for (const [field, value] of [["namespace", args.namespace], ["serviceAccountName", args.serviceAccountName]]) {
        if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
            problems.push(`${field}: "${value}" is not a Kubernetes name`);
        }
    }
    return problems;
}

/**
 * The trust of an IRSA role: web identities from the cluster's OIDC provider, for one
 * ServiceAccount (`sub`) and only tokens minted for STS (`aud`)
 * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html).
 */
export function serviceAccountTrustPolicy(
    oidcProviderArn: pulumi.Input<string>,
    oidcIssuerUrl: pulumi.Input<string>,
    namespace: string,
    serviceAccountName: string,
): pulumi.Output<string> {
    return pulumi.all([oidcProviderArn, oidcIssuerUrl]).apply(([providerArn, issuerUrl]) => {
        const issuer = issuerUrl.replace(/^https:\/\//, "");
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: ["sts:AssumeRoleWithWebIdentity"],
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccountName}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            }],
        });
    });
}

/**
 * IAM roles for one site's pods through IRSA: the application's role, limited to the site's
 * secret copy, data key, buckets and tables; and the AWS Load Balancer Controller's, limited to
 * registering pods in the site's target groups. The nodes' IMDS hop limit of 1 keeps pods from
 * falling back to the node role.
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
    readonly appRoleArn: pulumi.Output<string>;
    readonly controllerRoleArn: pulumi.Output<string>;

    constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("WorkloadIdentity", name, validateWorkloadIdentityArgs(args));
        super("dr:aws:WorkloadIdentity", name, {}, opts);
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);

        const appRole = new aws.iam.Role(`${name}-app-role`, {
            description: `Pods of ${args.namespace}/${args.serviceAccountName}: this site's secret, key, buckets and tables`,
            assumeRolePolicy: serviceAccountTrustPolicy(args.oidcProviderArn, args.oidcIssuerUrl, args.namespace, args.serviceAccountName),
            tags: tags(`${name}-app-role`),
        }, parent);
        const buckets = args.bucketArns ?? [];
        const tables = args.tableArns ?? [];
        new aws.iam.RolePolicy(`${name}-app-access`, {
            role: appRole.id,
            policy: policyDocument([
                { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: args.secretArn },
                // GenerateDataKey: S3 needs it to encrypt an object written under SSE-KMS.
                { Sid: "UseDataKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.kmsKeyArn },
                ...(buckets.length > 0 ? [
                    { Sid: "ListBuckets", Effect: "Allow" as const, Action: ["s3:ListBucket"], Resource: buckets },
                    {
                        Sid: "ReadWriteObjects",
                        Effect: "Allow" as const,
                        Action: ["s3:GetObject", "s3:PutObject"],
                        Resource: buckets.map(arn => pulumi.interpolate`${arn}/*`),
                    },
                ] : []),
                ...(tables.length > 0 ? [{ Sid: "ReadWriteItems", Effect: "Allow" as const, Action: TABLE_ITEM_ACTIONS, Resource: tables }] : []),
            ]),
        }, parent);

        const controllerRole = new aws.iam.Role(`${name}-lbc-role`, {
            description: "AWS Load Balancer Controller: binds pods to this site's target groups, nothing else",
            assumeRolePolicy: serviceAccountTrustPolicy(args.oidcProviderArn, args.oidcIssuerUrl,
                LOAD_BALANCER_CONTROLLER.namespace, LOAD_BALANCER_CONTROLLER.serviceAccountName),
            tags: tags(`${name}-lbc-role`),
        }, parent);
        new aws.iam.RolePolicy(`${name}-lbc-access`, {
            role: controllerRole.id,
            policy: policyDocument([
                { Sid: "Describe", Effect: "Allow", Action: CONTROLLER_DESCRIBE_ACTIONS, Resource: "*" },
                { Sid: "BindTargets", Effect: "Allow", Action: CONTROLLER_TARGET_ACTIONS, Resource: args.targetGroupArns },
            ]),
        }, parent);

        this.appRoleArn = appRole.arn;
        this.controllerRoleArn = controllerRole.arn;
        this.registerOutputs({ appRoleArn: this.appRoleArn, controllerRoleArn: this.controllerRoleArn });
    }
}
