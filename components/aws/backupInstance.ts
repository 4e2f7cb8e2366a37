import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, policyDocument, serviceTrustPolicy } from "../../lib/iamPolicy";
import { childTags } from "../tags";
import { backupInstanceUserData, BackupInstanceBoot } from "./backupInstanceBoot";
import { SecureBucket } from "./secureBucket";

/** Amazon Linux 2023, resolved by EC2 at launch from AWS's public SSM parameter. */
export const AL2023_AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** CloudWatch namespace the agent may publish its lag metric to, and nothing else. */
export const BACKUP_METRIC_NAMESPACE = "MultiCloudDR/Backup";

export interface BackupInstanceArgs {
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    /** A private subnet: the instance has no public address and no inbound rule at all. */
    readonly subnetId: pulumi.Input<string>;
    readonly instanceType: string;
    /** KMS key that encrypts the secret, the artifact bucket and the root volume. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The bundled backup tool, uploaded to a private bucket the instance reads from. */
    readonly artifact: pulumi.asset.Asset;
    /** Secret agent settings (env name to value): database password, Azure SAS. Stored in Secrets Manager only. */
    readonly secretSettings: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Non-secret agent settings (env name to value). */
    readonly settings: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Where the agent connects: egress on 3306 is allowed to these networks only. */
    readonly databaseCidrs: string[];
    readonly binlogRetentionHours: number;
    readonly tags?: Record<string, string>;
}

/**
 * The pilot light's only always-on AWS compute: a small instance in a private subnet that runs
 * the backup agent under systemd. IMDSv2 only, no SSH (Session Manager instead), an encrypted root
 * volume, and a role that can read exactly one secret and one object, publish one metric
 * namespace, and register with Session Manager.
 */
export class BackupInstance extends pulumi.ComponentResource {
    readonly instanceId: pulumi.Output<string>;
    readonly secretArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly artifactUri: pulumi.Output<string>;

    constructor(name: string, args: BackupInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:aws:BackupInstance", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);

        // A rebuildable artifact: hardened like every bucket here, but not protected.
        const bucket = new SecureBucket(`${name}-artifacts`, { region, kmsKeyArn: args.kmsKeyArn, protect: false, tags: args.tags }, parent);
        const artifact = new aws.s3.BucketObjectv2(`${name}-tool`, {
            region,
            bucket: bucket.bucketName,
            key: "mysql-dr/mysql-dr.js",
            source: args.artifact,
            serverSideEncryption: "aws:kms",
            kmsKeyId: args.kmsKeyArn,
            tags: tags(`${name}-tool`),
        }, { parent: this, dependsOn: [bucket] });

        const secret = new aws.secretsmanager.Secret(`${name}-settings`, {
            region,
            description: "mysql-dr agent: database password and Azure write-only SAS",
            kmsKeyId: args.kmsKeyArn,
            recoveryWindowInDays: 7,
            tags: tags(`${name}-settings`),
        }, parent);
        new aws.secretsmanager.SecretVersion(`${name}-settings-value`, {
            region,
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify(args.secretSettings)),
        }, parent);

        const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"), tags: tags(`${name}-role`) }, parent);
        new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: awsManagedPolicyArn("AmazonSSMManagedInstanceCore") }, parent);
        new aws.iam.RolePolicy(`${name}-least-privilege`, {
            role: role.id,
            policy: policyDocument([
                { Sid: "ReadOwnSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secret.arn },
                { Sid: "ReadOwnArtifact", Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${bucket.arn}/${artifact.key}` },
                {
                    Sid: "DecryptThroughThoseServices",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: args.kmsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] } },
                },
                {
                    Sid: "PublishLagMetric",
                    Effect: "Allow",
                    Action: ["cloudwatch:PutMetricData"],
                    Resource: "*",
                    Condition: { StringEquals: { "cloudwatch:namespace": BACKUP_METRIC_NAMESPACE } },
                },
            ]),
        }, parent);
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: tags(`${name}-profile`) }, parent);

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            region,
            vpcId: args.vpcId,
            description: "Backup agent: no inbound; out to MySQL and HTTPS only",
            egress: [
                { protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: args.databaseCidrs, description: "MySQL (the primary)" },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "Azure Blob, AWS APIs, packages" },
                { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], description: "package mirrors that redirect over HTTP" },
            ],
            tags: tags(`${name}-sg`),
        }, parent);

        const userData = pulumi.all([secret.arn, bucket.bucketName, artifact.key, pulumi.output(args.settings)]).apply(([secretArn, bucketName, key, settings]) => {
            const boot: BackupInstanceBoot = {
                region,
                secretArn,
                artifactUri: `s3://${bucketName}/${key}`,
                settings: settings as Record<string, string>,
                binlogRetentionHours: args.binlogRetentionHours,
            };
            return backupInstanceUserData(boot);
        });
        const instance = new aws.ec2.Instance(`${name}`, {
            region,
            ami: AL2023_AMI,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [securityGroup.id],
            iamInstanceProfile: profile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            rootBlockDevice: { encrypted: true, kmsKeyId: args.kmsKeyArn, volumeType: "gp3", volumeSize: 30, deleteOnTermination: true },
            monitoring: true,
            userData,
            userDataReplaceOnChange: true,
            tags: tags(name),
        }, parent);

        this.instanceId = instance.id;
        this.secretArn = secret.arn;
        this.roleArn = role.arn;
        this.artifactUri = pulumi.interpolate`s3://${bucket.bucketName}/${artifact.key}`;
        this.registerOutputs({ instanceId: this.instanceId, secretArn: this.secretArn });
    }
}
