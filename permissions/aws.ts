/**
 * The IAM actions the Pulumi AWS provider (terraform-provider-aws underneath) calls to create,
 * read (refresh), update and delete each resource type this program can declare, and the
 * actions behind each data source it invokes. Sources: the AWS Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
 * for action names, and the provider's resource code for what a refresh reads.
 *
 * Never `*` or `service:*`: every action is listed, so a new resource type without an entry
 * fails `tests/permissions` instead of silently widening the deployer.
 */

/** What one AWS resource type or invoke needs from the deployer. */
export interface AwsPermission {
    /** IAM actions for create, read, update and delete (or for the invoke). */
    readonly actions: readonly string[];
    /**
     * Services this resource hands a program-created role to (`iam:PassRole` is allowed on those
     * roles only, with `iam:PassedToService` limited to the union of these).
     */
    readonly passRoleTo?: readonly string[];
    /** Service-linked roles AWS creates the first time this type is used in an account. */
    readonly serviceLinkedRoles?: readonly string[];
    /** The resource encrypts with a customer managed key: the deployer needs grant and data-key actions on it. */
    readonly usesKms?: boolean;
    /** Actions needed only for some inputs (e.g. `forceDestroy`). */
    readonly extra?: (inputs: Record<string, unknown>) => readonly string[];
}

/** Key actions a deployer needs to create resources encrypted with the program's keys and read them back. */
export const KMS_USAGE_ACTIONS: readonly string[] = [
    "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext", "kms:ListGrants", "kms:RetireGrant",
];

const tags = (service: string, ...extra: string[]) => [`${service}:CreateTags`, `${service}:DeleteTags`, ...extra];
const ec2Tags = tags("ec2");
const rdsTags = ["rds:AddTagsToResource", "rds:ListTagsForResource", "rds:RemoveTagsFromResource"];
const elbTags = ["elasticloadbalancing:AddTags", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:RemoveTags"];
const ssmTags = ["ssm:AddTagsToResource", "ssm:ListTagsForResource", "ssm:RemoveTagsFromResource"];
const sgRules = [
    "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeSecurityGroups", "ec2:ModifySecurityGroupRules", "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
];
const s3Object = [
    "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion",
    "s3:ListBucket", "s3:ListBucketVersions", "s3:PutObject", "s3:PutObjectTagging",
];

// Creating a 2019.11.21 replica checks these on the caller in each replica region
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2gt_IAM.html).
const DYNAMODB_REPLICA_ACTIONS: readonly string[] = [
    "dynamodb:BatchWriteItem", "dynamodb:CreateTable", "dynamodb:CreateTableReplica", "dynamodb:DeleteItem", "dynamodb:DeleteTable",
    "dynamodb:DeleteTableReplica", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
];
const hasReplicas = (inputs: Record<string, unknown>) => Array.isArray(inputs.replicas) && inputs.replicas.length > 0;

/** Resource types: Pulumi type token → what the deployer needs. */
export const AWS_RESOURCE_PERMISSIONS: Readonly<Record<string, AwsPermission>> = {
    // Networking
    "aws:ec2/vpc:Vpc": {
        actions: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute",
            "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", ...ec2Tags],
    },
    "aws:ec2/subnet:Subnet": {
        actions: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:DescribeSubnets", "ec2:ModifySubnetAttribute", "ec2:DescribeNetworkInterfaces", ...ec2Tags],
    },
    "aws:ec2/internetGateway:InternetGateway": {
        actions: ["ec2:AttachInternetGateway", "ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:DescribeInternetGateways", "ec2:DetachInternetGateway", ...ec2Tags],
    },
    "aws:ec2/eip:Eip": {
        actions: ["ec2:AllocateAddress", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:DisassociateAddress", "ec2:ReleaseAddress", ...ec2Tags],
    },
    "aws:ec2/natGateway:NatGateway": {
        actions: ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:DescribeNatGateways", ...ec2Tags],
    },
    "aws:ec2/routeTable:RouteTable": {
        actions: ["ec2:CreateRoute", "ec2:CreateRouteTable", "ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DescribeRouteTables",
            "ec2:DisassociateRouteTable", "ec2:ReplaceRoute", ...ec2Tags],
    },
    "aws:ec2/route:Route": {
        actions: ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:DescribeRouteTables", "ec2:ReplaceRoute"],
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        actions: ["ec2:AssociateRouteTable", "ec2:DescribeRouteTables", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        actions: ["ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces", ...sgRules, ...ec2Tags],
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        actions: [...sgRules, ...ec2Tags],
    },
    "aws:ec2/securityGroupRule:SecurityGroupRule": { actions: sgRules },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { actions: [...sgRules, ...ec2Tags] },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { actions: [...sgRules, ...ec2Tags] },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        actions: ["ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:DescribePrefixLists", "ec2:DescribeVpcEndpoints",
            "ec2:DescribeVpcEndpointServices", "ec2:ModifyVpcEndpoint", ...ec2Tags],
        // Private DNS of an interface endpoint: a dependent action of CreateVpcEndpoint.
        extra: inputs => inputs.privateDnsEnabled === true ? ["route53:AssociateVPCWithHostedZone"] : [],
    },
    "aws:ec2/flowLog:FlowLog": {
        actions: ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", ...ec2Tags],
        passRoleTo: ["vpc-flow-logs.amazonaws.com"],
    },

    // Compute
    "aws:ec2/launchTemplate:LaunchTemplate": {
        actions: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate", "ec2:DescribeLaunchTemplates",
            "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceUefiData", "ec2:ModifyLaunchTemplate", ...ec2Tags],
    },
    "aws:ec2/instance:Instance": {
        actions: ["ec2:DescribeImages", "ec2:DescribeInstanceAttribute", "ec2:DescribeInstanceCreditSpecifications", "ec2:DescribeInstances",
            "ec2:DescribeInstanceTypes", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:GetInstanceUefiData",
            "ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceCreditSpecification", "ec2:ModifyInstanceMetadataOptions",
            "ec2:MonitorInstances", "ec2:RunInstances", "ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances",
            "ec2:UnmonitorInstances", "iam:GetInstanceProfile", ...ec2Tags],
        passRoleTo: ["ec2.amazonaws.com"],
        usesKms: true,
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        actions: ["iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile"],
        // AddRoleToInstanceProfile needs iam:PassRole on the role.
        passRoleTo: ["ec2.amazonaws.com"],
    },
    "aws:autoscaling/tag:Tag": {
        actions: ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:DescribeTags"],
    },

    // Kubernetes (EKS)
    "aws:eks/cluster:Cluster": {
        actions: ["eks:CreateCluster", "eks:DeleteCluster", "eks:DescribeCluster", "eks:DescribeUpdate", "eks:ListTagsForResource",
            "eks:TagResource", "eks:UntagResource", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:AssociateEncryptionConfig",
            "iam:GetRole", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
        passRoleTo: ["eks.amazonaws.com"],
        serviceLinkedRoles: ["eks.amazonaws.com"],
        usesKms: true,
    },
    "aws:eks/nodeGroup:NodeGroup": {
        actions: ["eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:DescribeNodegroup", "eks:DescribeUpdate", "eks:ListTagsForResource",
            "eks:TagResource", "eks:UntagResource", "eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion",
            "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeSubnets", "iam:GetRole"],
        passRoleTo: ["eks.amazonaws.com"],
        serviceLinkedRoles: ["eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com"],
    },
    "aws:eks/accessEntry:AccessEntry": {
        actions: ["eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:DescribeAccessEntry", "eks:ListTagsForResource", "eks:TagResource",
            "eks:UntagResource", "eks:UpdateAccessEntry"],
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
        actions: ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy", "eks:ListAssociatedAccessPolicies"],
    },
    "aws:eks/addon:Addon": {
        actions: ["eks:CreateAddon", "eks:DeleteAddon", "eks:DescribeAddon", "eks:DescribeAddonVersions", "eks:DescribeUpdate",
            "eks:ListTagsForResource", "eks:TagResource", "eks:UntagResource", "eks:UpdateAddon"],
        passRoleTo: ["eks.amazonaws.com"],
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
        actions: ["eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation", "eks:DescribePodIdentityAssociation",
            "eks:ListTagsForResource", "eks:TagResource", "eks:UntagResource", "eks:UpdatePodIdentityAssociation", "iam:GetRole"],
        passRoleTo: ["pods.eks.amazonaws.com"],
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        actions: ["iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
            "iam:GetOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
            "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint"],
    },

    // Identity
    "aws:iam/role:Role": {
        actions: ["iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:PutRolePolicy",
            "iam:RemoveRoleFromInstanceProfile", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
            "iam:UpdateRoleDescription"],
    },
    "aws:iam/rolePolicy:RolePolicy": {
        actions: ["iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:PutRolePolicy"],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        // Attach/Detach go to their own statement, limited to the policies the program attaches.
        actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies"],
    },
    "aws:iam/policy:Policy": {
        actions: ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:GetPolicy",
            "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:TagPolicy", "iam:UntagPolicy"],
    },
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
        actions: ["iam:DeleteServiceLinkedRole", "iam:GetRole", "iam:GetServiceLinkedRoleDeletionStatus", "iam:TagRole", "iam:UntagRole",
            "iam:UpdateRoleDescription"],
    },

    // Encryption
    "aws:kms/key:Key": {
        actions: ["kms:CreateKey", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
            "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
            "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription"],
    },
    "aws:kms/replicaKey:ReplicaKey": {
        actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReplicateKey",
            "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:CreateKey"],
    },
    "aws:kms/alias:Alias": {
        actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:ListAliases", "kms:UpdateAlias"],
    },
    "aws:acm/certificate:Certificate": {
        actions: ["acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate",
            "acm:RemoveTagsFromCertificate", "acm:RequestCertificate", "acm:UpdateCertificateOptions"],
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        actions: ["acm:DescribeCertificate"],
    },

    // Databases
    "aws:rds/instance:Instance": {
        actions: ["rds:CreateDBInstance", "rds:CreateDBInstanceReadReplica", "rds:CreateDBSnapshot", "rds:DeleteDBInstance",
            "rds:DescribeDBInstances", "rds:DescribeDBSnapshots", "rds:ModifyDBInstance", "rds:PromoteReadReplica", "rds:RebootDBInstance",
            ...rdsTags],
        serviceLinkedRoles: ["rds.amazonaws.com"],
        usesKms: true,
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        actions: ["rds:CreateDBSubnetGroup", "rds:DeleteDBSubnetGroup", "rds:DescribeDBSubnetGroups", "rds:ModifyDBSubnetGroup", ...rdsTags],
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        actions: ["rds:CreateDBParameterGroup", "rds:DeleteDBParameterGroup", "rds:DescribeDBParameterGroups", "rds:DescribeDBParameters",
            "rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup", ...rdsTags],
    },
    "aws:dynamodb/table:Table": {
        actions: ["dynamodb:CreateTable", "dynamodb:CreateTableReplica", "dynamodb:DeleteTable", "dynamodb:DeleteTableReplica",
            "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource",
            "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive"],
        extra: inputs => hasReplicas(inputs) ? DYNAMODB_REPLICA_ACTIONS : [],
        serviceLinkedRoles: ["replication.dynamodb.amazonaws.com"],
        usesKms: true,
    },
    "aws:dynamodb/tableReplica:TableReplica": {
        actions: ["dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource",
            "dynamodb:UpdateTable", "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", ...DYNAMODB_REPLICA_ACTIONS],
        serviceLinkedRoles: ["replication.dynamodb.amazonaws.com"],
        usesKms: true,
    },
    "aws:secretsmanager/secret:Secret": {
        actions: ["secretsmanager:CreateSecret", "secretsmanager:DeleteResourcePolicy", "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy",
            "secretsmanager:RemoveRegionsFromReplication", "secretsmanager:ReplicateSecretToRegions",
            "secretsmanager:StopReplicationToReplica", "secretsmanager:TagResource", "secretsmanager:UntagResource",
            "secretsmanager:UpdateSecret"],
        usesKms: true,
    },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds",
            "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
        usesKms: true,
    },
    "aws:secretsmanager/secretPolicy:SecretPolicy": {
        actions: ["secretsmanager:DeleteResourcePolicy", "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy",
            "secretsmanager:ValidateResourcePolicy"],
    },

    // Storage
    "aws:s3/bucket:Bucket": {
        actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS",
            "s3:GetBucketLocation", "s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy",
            "s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
            "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket",
            "s3:PutBucketTagging"],
        extra: inputs => [
            ...(inputs.forceDestroy === true ? ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"] : []),
            ...(inputs.objectLockEnabled === true ? ["s3:PutBucketObjectLockConfiguration"] : []),
        ],
    },
    "aws:s3/bucketVersioning:BucketVersioning": { actions: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"] },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        actions: ["s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"],
        usesKms: true,
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        actions: ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"],
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        actions: ["s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls"],
    },
    "aws:s3/bucketPolicy:BucketPolicy": { actions: ["s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"] },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        // DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration.
        actions: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
    },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
        actions: ["s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration"],
        passRoleTo: ["s3.amazonaws.com"],
    },
    "aws:s3/bucketLogging:BucketLogging": { actions: ["s3:GetBucketLogging", "s3:PutBucketLogging"] },
    "aws:s3/bucketAcl:BucketAcl": { actions: ["s3:GetBucketAcl", "s3:PutBucketAcl"] },
    "aws:s3/bucketNotification:BucketNotification": { actions: ["s3:GetBucketNotification", "s3:PutBucketNotification"] },
    "aws:s3/bucketObjectv2:BucketObjectv2": { actions: s3Object, usesKms: true },
    "aws:s3/bucketObject:BucketObject": { actions: s3Object, usesKms: true },
    "aws:ecr/repository:Repository": {
        actions: ["ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:ListTagsForResource",
            "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:TagResource", "ecr:UntagResource"],
        extra: inputs => inputs.forceDelete === true ? ["ecr:BatchDeleteImage", "ecr:ListImages"] : [],
        usesKms: true,
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        actions: ["ecr:DeleteLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:PutLifecyclePolicy"],
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        actions: ["ecr:DeleteRepositoryPolicy", "ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy"],
    },
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": {
        actions: ["ecr:DescribeRegistry", "ecr:PutReplicationConfiguration"],
        serviceLinkedRoles: ["replication.ecr.amazonaws.com"],
    },

    // Entry point: load balancer (ALB) and its certificate
    "aws:lb/loadBalancer:LoadBalancer": {
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
            "ec2:DescribeAccountAttributes", "ec2:DescribeInternetGateways", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
            ...elbTags],
        serviceLinkedRoles: ["elasticloadbalancing.amazonaws.com"],
    },
    "aws:lb/targetGroup:TargetGroup": {
        actions: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", ...elbTags],
    },
    "aws:lb/listener:Listener": {
        actions: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes", "acm:DescribeCertificate", ...elbTags],
    },
    "aws:lb/listenerRule:ListenerRule": {
        actions: ["elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", ...elbTags],
    },
    "aws:lb/listenerCertificate:ListenerCertificate": {
        actions: ["elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates"],
    },
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": {
        actions: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:RegisterTargets"],
    },

    // DNS and failover
    "aws:route53/zone:Zone": {
        actions: ["route53:ChangeTagsForResource", "route53:CreateHostedZone", "route53:DeleteHostedZone", "route53:GetChange",
            "route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource",
            "route53:UpdateHostedZoneComment"],
        extra: inputs => inputs.forceDestroy === true ? ["route53:ChangeResourceRecordSets"] : [],
    },
    "aws:route53/record:Record": {
        actions: ["route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetHostedZone", "route53:ListResourceRecordSets"],
    },
    "aws:route53/healthCheck:HealthCheck": {
        actions: ["route53:ChangeTagsForResource", "route53:CreateHealthCheck", "route53:DeleteHealthCheck", "route53:GetHealthCheck",
            "route53:ListTagsForResource", "route53:UpdateHealthCheck"],
    },
    "aws:sns/topic:Topic": {
        actions: ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:SetTopicAttributes",
            "sns:TagResource", "sns:UntagResource"],
        usesKms: true,
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        actions: ["sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:SetSubscriptionAttributes", "sns:Subscribe",
            "sns:Unsubscribe"],
    },
    "aws:sns/topicPolicy:TopicPolicy": { actions: ["sns:GetTopicAttributes", "sns:SetTopicAttributes"] },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        actions: ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:PutMetricAlarm",
            "cloudwatch:TagResource", "cloudwatch:UntagResource"],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        actions: ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DescribeLogGroups",
            "logs:DisassociateKmsKey", "logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:PutRetentionPolicy", "logs:TagLogGroup",
            "logs:TagResource", "logs:UntagLogGroup", "logs:UntagResource"],
    },
    "aws:cloudwatch/eventRule:EventRule": {
        actions: ["events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule", "events:ListTagsForResource",
            "events:ListTargetsByRule", "events:PutRule", "events:TagResource", "events:UntagResource"],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        actions: ["events:ListTargetsByRule", "events:PutTargets", "events:RemoveTargets"],
        passRoleTo: ["events.amazonaws.com"],
    },
    "aws:lambda/function:Function": {
        actions: ["lambda:CreateFunction", "lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:GetFunction",
            "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConfiguration", "lambda:GetRuntimeManagementConfig",
            "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:PublishVersion", "lambda:PutFunctionConcurrency",
            "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
        passRoleTo: ["lambda.amazonaws.com"],
        usesKms: true,
    },
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
        actions: ["lambda:DeleteFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig", "lambda:PutFunctionEventInvokeConfig",
            "lambda:UpdateFunctionEventInvokeConfig"],
    },
    "aws:lambda/permission:Permission": {
        actions: ["lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"],
    },

    // Systems Manager: backup-agent updates and the pinned AMI
    "aws:ssm/association:Association": {
        actions: ["ssm:CreateAssociation", "ssm:DeleteAssociation", "ssm:DescribeAssociation", "ssm:ListAssociations",
            "ssm:StartAssociationsOnce", "ssm:UpdateAssociation"],
    },
    "aws:ssm/document:Document": {
        actions: ["ssm:CreateDocument", "ssm:DeleteDocument", "ssm:DescribeDocument", "ssm:DescribeDocumentPermission", "ssm:GetDocument",
            "ssm:ModifyDocumentPermission", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion", ...ssmTags],
    },
    "aws:ssm/parameter:Parameter": {
        actions: ["ssm:DeleteParameter", "ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter", ...ssmTags],
        usesKms: true,
    },
};

/**
 * Actions `npm run dr` calls itself through the AWS SDK rather than through Pulumi (`dr status`
 * reads the backup agent's lag metric): the deployer runs the runbooks.
 */
export const AWS_RUNBOOK_ACTIONS: readonly string[] = ["cloudwatch:GetMetricStatistics"];

/** Invokes (data sources): full token → what the deployer needs. Empty: no IAM permission. */
export const AWS_INVOKE_PERMISSIONS: Readonly<Record<string, AwsPermission>> = {
    // sts:GetCallerIdentity needs no permission and cannot be denied.
    "aws:index/getCallerIdentity:getCallerIdentity": { actions: [] },
    "aws:index/getRegion:getRegion": { actions: [] },
    "aws:index/getPartition:getPartition": { actions: [] },
    "aws:index/getDefaultTags:getDefaultTags": { actions: [] },
    "aws:iam/getPolicyDocument:getPolicyDocument": { actions: [] },
    "aws:index/getAvailabilityZones:getAvailabilityZones": { actions: ["ec2:DescribeAvailabilityZones"] },
    "aws:ssm/getParameter:getParameter": { actions: ["ssm:GetParameter"] },
    "aws:ec2/getAmi:getAmi": { actions: ["ec2:DescribeImages"] },
    "aws:eks/getCluster:getCluster": { actions: ["eks:DescribeCluster"] },
    "aws:eks/getClusterAuth:getClusterAuth": { actions: [] },
    "aws:eks/getAddonVersion:getAddonVersion": { actions: ["eks:DescribeAddonVersions"] },
    "aws:iam/getRole:getRole": { actions: ["iam:GetRole"] },
    "aws:lb/getLoadBalancer:getLoadBalancer": {
        actions: ["elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags"],
    },
    "aws:route53/getZone:getZone": { actions: ["route53:GetHostedZone", "route53:ListHostedZones", "route53:ListTagsForResource"] },
    "aws:secretsmanager/getSecretVersion:getSecretVersion": { actions: ["secretsmanager:GetSecretValue"], usesKms: true },
    "aws:ec2/getVpc:getVpc": { actions: ["ec2:DescribeVpcs"] },
    "aws:ec2/getSubnets:getSubnets": { actions: ["ec2:DescribeSubnets"] },
};
