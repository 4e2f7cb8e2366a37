import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import { awsManagedPolicyArn, policyDocument, serviceTrustPolicy } from "../../lib/iamPolicy";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";
import {
    backupAgentConfigSha256, backupAgentDocument, backupAgentFiles, BackupAgentConfig, BackupAgentRelease, backupInstanceUserData,
    TOOL_INSTALL_SCHEDULE,
} from "./backupInstanceBoot";
import { SecureBucket } from "./secureBucket";

/** AWS's public SSM parameter naming the current Amazon Linux 2023 image (x86_64, default kernel). */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** An EC2 image id: `ami-` and 8 or 17 hex digits. */
export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** CloudWatch namespace the agent may publish its lag metric to, and nothing else. */
export const BACKUP_METRIC_NAMESPACE = "MultiCloudDR/Backup";

export interface BackupInstanceArgs {
    readonly region: string;
    /**
     * The image to boot, an `ami-` id. Default: the image {@link AL2023_AMI_PARAMETER} names in
     * `region` at the first deploy, kept afterwards (`ignoreChanges`), so a newer image never
     * replaces the instance. A pinned id is used as given; changing it replaces the instance.
     */
    readonly ami?: string;
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

/** Problems with backup instance args, one string each. */
export function validateBackupInstanceArgs(args: BackupInstanceArgs): string[] {
    const problems: string[] = [];
    if (args.ami !== undefined && !AMI_ID_PATTERN.test(args.ami)) {
        problems.push(`ami: "${args.ami}" is not an EC2 image id like ami-0123456789abcdef0`);
    }
    return problems;
}

/** Hex sha256 of a file or string asset's bytes: what the instance must download before it installs. */
export function assetSha256(asset: pulumi.asset.Asset): pulumi.Output<string> {
    const digest = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");
    if (asset instanceof pulumi.asset.FileAsset) {
        return pulumi.output(asset.path).apply(async file => digest(await fs.readFile(file)));
    }
    if (asset instanceof pulumi.asset.StringAsset) {
        return pulumi.output(asset.text).apply(text => digest(Buffer.from(text, "utf8")));
    }
    throw new Error("the backup tool must be a FileAsset or StringAsset so its sha256 can be checked on the instance");
}

/**
 * The pilot light's only always-on AWS compute: a small instance in a private subnet that runs
 * the backup agent under systemd. IMDSv2 only, no SSH (Session Manager instead), an encrypted root
 * volume, and a role that can read exactly one secret and one object, publish one metric
 * namespace, and register with Session Manager. User data is a fixed bootstrap (packages, user,
 * directories). The agent's configuration (settings, scripts, units) and the tool are written, and
 * every change shipped, by an SSM association: its document embeds the configuration and its
 * parameters carry the configuration's digest and the build's S3 version and sha256, so a changed
 * setting or a new build updates the association, never the instance.
 */
export class BackupInstance extends pulumi.ComponentResource {
    readonly instanceId: pulumi.Output<string>;
    /** The image the instance actually runs: pin it (`backupInstanceAmi`) before an outage. */
    readonly ami: pulumi.Output<string>;
    readonly secretArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly artifactUri: pulumi.Output<string>;
    /** Hex sha256 of the build the association installs. */
    readonly toolSha256: pulumi.Output<string>;
    /** Hex sha256 of the agent configuration the association writes. */
    readonly configSha256: pulumi.Output<string>;

    constructor(name: string, args: BackupInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("BackupInstance", name, validateBackupInstanceArgs(args));
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
        const secretVersion = new aws.secretsmanager.SecretVersion(`${name}-settings-value`, {
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
                // GetObjectVersion: the installer fetches the exact version the association names.
                { Sid: "ReadOwnArtifact", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: pulumi.interpolate`${bucket.arn}/${artifact.key}` },
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

        // Looked up only when not pinned: during a Seoul outage this call would itself need Seoul's SSM.
        // Only a looked-up image is ignored: ignoreChanges keeps the state's image even on `--replace`.
        const ami = args.ami ?? aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER, region }, { parent: this }).value;
        const instance = new aws.ec2.Instance(`${name}`, {
            region,
            ami,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [securityGroup.id],
            iamInstanceProfile: profile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            rootBlockDevice: { encrypted: true, kmsKeyId: args.kmsKeyArn, volumeType: "gp3", volumeSize: 30, deleteOnTermination: true },
            monitoring: true,
            // Packages, user and directories only: no setting or build is in it.
            userData: backupInstanceUserData(),
            userDataReplaceOnChange: true,
            tags: tags(name),
        }, {
            parent: this,
            // userData: instances deployed before the bootstrap shrank keep their longer script in state,
            // so comparing would replace them; the association converges both kinds of instance.
            ignoreChanges: args.ami === undefined ? ["ami", "userData"] : ["userData"],
        });

        const toolSha256 = assetSha256(args.artifact);
        const agentConfig: pulumi.Output<BackupAgentConfig> = pulumi.all([secret.arn, pulumi.output(args.settings), secretVersion.versionId])
            .apply(([secretArn, settings, secretVersionId]) => ({
                region,
                secretArn,
                settings: settings as Record<string, string>,
                binlogRetentionHours: args.binlogRetentionHours,
                secretVersionId,
            }));
        const configSha256 = agentConfig.apply(config => backupAgentConfigSha256(backupAgentFiles(config)));
        const installDocument = new aws.ssm.Document(`${name}-tool-install`, {
            region,
            documentType: "Command",
            documentFormat: "JSON",
            content: agentConfig.apply(config => backupAgentDocument(config)),
            tags: tags(`${name}-tool-install`),
        }, parent);
        const release: pulumi.Output<BackupAgentRelease> = pulumi.all([bucket.bucketName, artifact.key, artifact.versionId, toolSha256, configSha256])
            .apply(([bucketName, key, version, sha256, config]) => ({ region, bucket: bucketName, key, version: version ?? "", sha256, configSha256: config }));
        new aws.ssm.Association(`${name}-tool-release`, {
            region,
            name: installDocument.name,
            // A new document version (any configuration change) updates the association too, so it runs at once.
            documentVersion: installDocument.latestVersion,
            targets: [{ key: "InstanceIds", values: [instance.id] }],
            parameters: release.apply(r => ({ ...r })),
            scheduleExpression: TOOL_INSTALL_SCHEDULE,
            complianceSeverity: "HIGH",
            maxConcurrency: "1",
            maxErrors: "1",
            tags: tags(`${name}-tool-release`),
        }, parent);

        this.instanceId = instance.id;
        this.ami = instance.ami;
        this.secretArn = secret.arn;
        this.roleArn = role.arn;
        this.artifactUri = pulumi.interpolate`s3://${bucket.bucketName}/${artifact.key}`;
        this.toolSha256 = toolSha256;
        this.configSha256 = configSha256;
        this.registerOutputs({
            instanceId: this.instanceId, ami: this.ami, secretArn: this.secretArn, toolSha256: this.toolSha256, configSha256: this.configSha256,
        });
    }
}
