/**
 * Resource type tokens the pack checks, and the few properties it reads from each, typed by hand
 * so the pack needs no provider SDK (names as in @pulumi/aws 7 and @pulumi/azure-native 3).
 */
export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    vpcCidrAssociation: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    vnet: "azure-native:network:VirtualNetwork",
    record: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    table: "aws:dynamodb/table:Table",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    accountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    storageAccount: "azure-native:storage:StorageAccount",
    blobContainer: "azure-native:storage:BlobContainer",
    blobService: "azure-native:storage:BlobServiceProperties",
    immutabilityPolicy: "azure-native:storage:BlobContainerImmutabilityPolicy",
    mysqlServer: "azure-native:dbformysql:Server",
    mysqlConfiguration: "azure-native:dbformysql:Configuration",
    mysqlFirewallRule: "azure-native:dbformysql:FirewallRule",
    virtualMachine: "azure-native:compute:VirtualMachine",
    scaleSet: "azure-native:compute:VirtualMachineScaleSet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nsgRule: "azure-native:network:SecurityRule",
    lambdaFunction: "aws:lambda/function:Function",
    eksCluster: "aws:eks/cluster:Cluster",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    iamRole: "aws:iam/role:Role",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    albListenerRule: "aws:alb/listenerRule:ListenerRule",
    listener: "aws:lb/listener:Listener",
    albListener: "aws:alb/listener:Listener",
    eip: "aws:ec2/eip:Eip",
    bucketLogging: "aws:s3/bucketLogging:BucketLogging",
    bucketLoggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketEncryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
    pod: "kubernetes:core/v1:Pod",
    replicationController: "kubernetes:core/v1:ReplicationController",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
} as const;

/** aws:rds/instance:Instance and aws:rds/cluster:Cluster, as far as the pack reads them. */
export interface RdsProps {
    region?: string;
    storageEncrypted?: boolean;
    kmsKeyId?: string;
    deletionProtection?: boolean;
    skipFinalSnapshot?: boolean;
    finalSnapshotIdentifier?: string;
    backupRetentionPeriod?: number;
    replicateSourceDb?: string;
}

/** aws:route53/record:Record. */
export interface RecordProps {
    zoneId?: string;
    name?: string;
    type?: string;
    ttl?: number;
    healthCheckId?: string;
    setIdentifier?: string;
    allowOverwrite?: boolean;
    failoverRoutingPolicies?: { type?: string }[];
    aliases?: { name?: string; zoneId?: string; evaluateTargetHealth?: boolean }[];
}

/** aws:route53/healthCheck:HealthCheck. */
export interface HealthCheckProps {
    type?: string;
    fqdn?: string;
    requestInterval?: number;
    failureThreshold?: number;
}

/** An inline security group rule (ingress of SecurityGroup / DefaultSecurityGroup). */
export interface SecurityGroupRuleProps {
    protocol?: string;
    fromPort?: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    description?: string;
}

/** azure-native:storage:StorageAccount. */
export interface StorageAccountProps {
    accountName?: string;
    name?: string;
    location?: string;
    enableHttpsTrafficOnly?: boolean;
    minimumTlsVersion?: string;
    allowBlobPublicAccess?: boolean;
    customDomain?: { name?: string };
    sku?: { name?: string };
}

/** azure-native:storage:BlobContainer. */
export interface BlobContainerProps {
    accountName?: string;
    containerName?: string;
    publicAccess?: string;
}

/** aws:lb/listenerRule:ListenerRule (and its aws:alb alias). */
export interface ListenerRuleProps {
    region?: string;
    listenerArn?: string;
    priority?: number;
}

/** aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration (and V2). */
export interface BucketEncryptionProps {
    region?: string;
    bucket?: string;
    rules?: { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string } }[];
}
