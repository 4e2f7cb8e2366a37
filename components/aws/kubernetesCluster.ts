import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, policyDocument, serviceTrustPolicy } from "../../lib/iamPolicy";
import { EncryptionKey } from "./encryptionKey";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Control-plane logs shipped to CloudWatch: who called the API, and how they authenticated. */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator"];

export interface KubernetesClusterArgs {
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** Kubernetes minor version, e.g. `1.35`. */
    readonly version: string;
    /**
     * Let the cluster enter EKS extended support when its version leaves standard support (billed
     * $0.60 instead of $0.10 per hour). Default false: upgrade policy STANDARD, and AWS upgrades the
     * cluster at the end of standard support instead.
     */
    readonly extendedSupport?: boolean;
    /** Private subnets for the control plane's interfaces and the nodes. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly instanceType: string;
    /** Nodes wanted now. Changing it resizes the node group in place. */
    readonly desiredNodes: number;
    /** Floor of the node group. Default 1. */
    readonly minNodes?: number;
    readonly maxNodes: number;
    /** CIDRs allowed to reach the public API endpoint. Empty (default): the endpoint is private only. */
    readonly publicAccessCidrs?: string[];
    /**
     * IAM roles or users given cluster-admin through access entries. Default none: the identity
     * that creates the cluster gets no implicit admin, so listing it never collides with one.
     */
    readonly adminPrincipalArns?: string[];
    /** `protect` the secrets key. Default true. */
    readonly protectSecretsKey?: boolean;
    readonly tags?: Record<string, string>;
}

/** Problems with cluster args, one string each. */
export function validateKubernetesClusterArgs(args: KubernetesClusterArgs): string[] {
    const problems: string[] = [];
    const min = args.minNodes ?? 1;
    if (!Number.isInteger(min) || min < 1) {
        problems.push(`minNodes must be a whole number >= 1, got ${min}`);
    }
    if (!Number.isInteger(args.desiredNodes) || args.desiredNodes < min || args.desiredNodes > args.maxNodes) {
        problems.push(`desiredNodes ${args.desiredNodes} must lie between minNodes ${min} and maxNodes ${args.maxNodes}`);
    }
    if ((args.publicAccessCidrs ?? []).some(cidr => cidr.endsWith("/0"))) {
        problems.push("publicAccessCidrs must not open the API endpoint to the whole internet");
    }
    if (args.subnetIds.length < 2) {
        problems.push("subnetIds: EKS needs subnets in at least two zones");
    }
    const admins = (args.adminPrincipalArns ?? []).map(arn => arn.toLowerCase());
    const twice = admins.filter((arn, i) => admins.indexOf(arn) !== i);
    if (twice.length > 0) {
        problems.push(`adminPrincipalArns: ${[...new Set(twice)].join(", ")} listed twice; EKS allows one access entry per principal`);
    }
    return problems;
}

/**
 * An EKS cluster with a managed node group: secrets encrypted with its own KMS key, API
 * authentication by access entries, control-plane audit logs, nodes that require IMDSv2 and
 * encrypt their disks, and an OIDC provider so pods get IAM roles (IRSA) instead of node credentials.
 */
export class KubernetesCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthority: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly nodeGroupName: pulumi.Output<string>;
    readonly nodeGroupArn: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** A kubeconfig that authenticates with `aws eks get-token`; a secret because it names the endpoint and CA. */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("KubernetesCluster", name, validateKubernetesClusterArgs(args));
        super("dr:aws:KubernetesCluster", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);

        const clusterRole = new aws.iam.Role(`${name}-cluster-role`, {
            assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com"),
            tags: tags(`${name}-cluster-role`),
        }, parent);
        const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster-policy`, {
            role: clusterRole.name,
            policyArn: awsManagedPolicyArn("AmazonEKSClusterPolicy"),
        }, parent);
        // Secrets are a cluster's own state; their key is the cluster's, not shared with the data tier.
        const secretsKey = new EncryptionKey(`${name}-secrets`, {
            region,
            accountId: args.accountId,
            description: `Kubernetes secrets of ${name}`,
            // EKS cannot change a cluster's secrets key: once it is gone, the cluster's secrets are lost for good.
            protect: args.protectSecretsKey ?? true,
            tags: args.tags,
        }, parent);
        const secretsKeyUse = new aws.iam.RolePolicy(`${name}-cluster-kms`, {
            role: clusterRole.id,
            policy: policyDocument([{
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants", "kms:CreateGrant"],
                Resource: secretsKey.arn,
            }]),
        }, parent);

        const publicCidrs = args.publicAccessCidrs ?? [];
        const cluster = new aws.eks.Cluster(`${name}-eks`, {
            region,
            version: args.version,
            roleArn: clusterRole.arn,
            vpcConfig: {
                subnetIds: args.subnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicCidrs.length > 0,
                publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
            },
            // Access is what adminPrincipalArns lists and nothing implicit: an entry the creator got at
            // bootstrap would collide (409) with the same principal listed here.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            upgradePolicy: { supportType: args.extendedSupport ? "EXTENDED" : "STANDARD" },
            encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
            enabledClusterLogTypes: CLUSTER_LOG_TYPES,
            tags: tags(`${name}-eks`),
        }, {
            parent: this,
            dependsOn: [clusterPolicy, secretsKeyUse],
            // The provider replaces a cluster when this flag changes; clusters created with the old
            // default keep theirs rather than be rebuilt.
            ignoreChanges: ["accessConfig.bootstrapClusterCreatorAdminPermissions"],
        });

        const oidcIssuerUrl = cluster.identities.apply(ids => ids[0].oidcs[0].issuer);
        const oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
            url: oidcIssuerUrl,
            clientIdLists: ["sts.amazonaws.com"],
            tags: tags(`${name}-oidc`),
        }, parent);

        const nodeRole = new aws.iam.Role(`${name}-node-role`, {
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
            tags: tags(`${name}-node-role`),
        }, parent);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]
            .map(policy => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, {
                role: nodeRole.name,
                policyArn: awsManagedPolicyArn(policy),
            }, parent));

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes-lt`, {
            region,
            description: `Nodes of ${name}: IMDSv2 only, encrypted root volume`,
            // Hop limit 1 keeps pods from reaching node credentials through IMDS; pods use IRSA.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            tagSpecifications: [{ resourceType: "instance", tags: tags(`${name}-node`) }],
            tags: tags(`${name}-nodes-lt`),
        }, parent);

        const nodeGroup = new aws.eks.NodeGroup(`${name}-nodes`, {
            region,
            clusterName: cluster.name,
            // Nodes follow the control plane: a version change upgrades the cluster, then rolls the nodes.
            version: cluster.version,
            nodeRoleArn: nodeRole.arn,
            subnetIds: args.subnetIds,
            instanceTypes: [args.instanceType],
            amiType: "AL2023_x86_64_STANDARD",
            scalingConfig: { desiredSize: args.desiredNodes, minSize: args.minNodes ?? 1, maxSize: args.maxNodes },
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
            tags: tags(`${name}-nodes`),
        }, { parent: this, dependsOn: nodePolicies });

        for (const [index, principalArn] of (args.adminPrincipalArns ?? []).entries()) {
            const entry = new aws.eks.AccessEntry(`${name}-admin-${index}`, {
                region,
                clusterName: cluster.name,
                principalArn,
                tags: tags(`${name}-admin-${index}`),
            }, parent);
            new aws.eks.AccessPolicyAssociation(`${name}-admin-${index}`, {
                region,
                clusterName: cluster.name,
                principalArn,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            }, { parent: this, dependsOn: [entry] });
        }

        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
        this.certificateAuthority = cluster.certificateAuthority.apply(ca => ca.data ?? "");
        this.oidcProviderArn = oidcProvider.arn;
        this.oidcIssuerUrl = oidcIssuerUrl;
        this.nodeGroupName = nodeGroup.nodeGroupName;
        this.nodeGroupArn = nodeGroup.arn;
        this.nodeRoleArn = nodeRole.arn;
        this.clusterSecurityGroupId = cluster.vpcConfig.apply(v => v.clusterSecurityGroupId ?? "");
        this.kubeconfig = pulumi.secret(pulumi.all([cluster.name, cluster.endpoint, this.certificateAuthority])
            .apply(([clusterName, endpoint, ca]) => renderKubeconfig(clusterName, endpoint, ca, region)));
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            nodeGroupName: this.nodeGroupName,
            kubeconfig: this.kubeconfig,
        });
    }
}

/** A kubeconfig (JSON, which kubectl reads as YAML) that gets short-lived tokens from the AWS CLI. */
export function renderKubeconfig(clusterName: string, endpoint: string, certificateAuthority: string, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [{
            name: clusterName,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                },
            },
        }],
    }, null, 2);
}
