import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Parameters every database here runs with: row-based binlogs for replicas and binlog shipping, TLS only. */
export const MYSQL_PARAMETERS: Readonly<Record<string, string>> = {
    binlog_format: "ROW",
    binlog_row_image: "FULL",
    require_secure_transport: "1",
};

/** The smallest automated-backup retention this component accepts, in days. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

interface CommonDatabaseArgs {
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    /** Data-tier subnets in at least two zones. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The only networks that may connect on 3306 (the private, application tier). Never 0.0.0.0/0. */
    readonly allowedCidrs: string[];
    readonly instanceClass: string;
    /** MySQL version, e.g. `8.4` or `8.4.6`; its major.minor picks the parameter group family. */
    readonly engineVersion: string;
    /** KMS key in `region` for storage, snapshots and Performance Insights. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Automated backups kept, 7-35 days. */
    readonly backupRetentionDays: number;
    /** Mark the instance `protect` so no `pulumi up` or destroy can delete or replace it. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** A new primary database. */
export interface PrimaryDatabaseArgs extends CommonDatabaseArgs {
    readonly role: "primary";
    readonly multiAz: boolean;
    readonly databaseName: string;
    readonly username: string;
    readonly password: pulumi.Input<string>;
    readonly allocatedStorageGb: number;
    readonly maxAllocatedStorageGb: number;
}

/** A read replica of a database in another region; `promoted` turns it into a standalone primary. */
export interface ReplicaDatabaseArgs extends CommonDatabaseArgs {
    readonly role: "replica";
    /** ARN of the source instance (cross-region replicas need the ARN, not the identifier). */
    readonly sourceDbArn: pulumi.Input<string>;
    /**
     * Promote the replica: `replicateSourceDb` goes away, which the provider applies in place
     * (PromoteReadReplica), so the instance and its data are kept; in the same update it then
     * turns on Multi-AZ (see `promotedMultiAz`).
     */
    readonly promoted: boolean;
    /**
     * Make the promoted database Multi-AZ, applied immediately in the same `pulumi up`, after the
     * promotion: the provider promotes first, waits for the instance, then modifies it. The
     * database accepts writes once promoted; the update returns when the standby zone is in sync.
     * Default true. A waiting replica is always single-AZ.
     */
    readonly promotedMultiAz?: boolean;
    readonly maxAllocatedStorageGb?: number;
}

export type MysqlDatabaseArgs = PrimaryDatabaseArgs | ReplicaDatabaseArgs;

/** Problems with database args, one string each. */
export function validateMysqlDatabaseArgs(args: MysqlDatabaseArgs): string[] {
    const problems: string[] = [];
    if (args.allowedCidrs.length === 0) {
        problems.push("allowedCidrs: list the application networks that may connect");
    }
    if (args.allowedCidrs.some(cidr => cidr.endsWith("/0"))) {
        problems.push("allowedCidrs: a database must not be reachable from the whole internet");
    }
    if (args.backupRetentionDays < MIN_BACKUP_RETENTION_DAYS || args.backupRetentionDays > 35) {
        problems.push(`backupRetentionDays: ${args.backupRetentionDays} is outside ${MIN_BACKUP_RETENTION_DAYS}-35`);
    }
    if (parameterGroupFamily(args.engineVersion) === undefined) {
        problems.push(`engineVersion: "${args.engineVersion}" is not a MySQL 8 version`);
    }
    if (args.subnetIds.length < 2) {
        problems.push("subnetIds: RDS needs subnets in at least two zones");
    }
    if (args.role === "primary" && args.maxAllocatedStorageGb < args.allocatedStorageGb) {
        problems.push("maxAllocatedStorageGb is below allocatedStorageGb");
    }
    return problems;
}

/** Characters of the random, per-deploy part of a final snapshot identifier. */
export const SNAPSHOT_SUFFIX_LENGTH = 8;
/** RDS's longest DB snapshot identifier. */
export const MAX_SNAPSHOT_IDENTIFIER_LENGTH = 255;

/** A name as it can stand in an RDS identifier: lowercase letters, digits and single hyphens. */
function identifierPart(value: string): string {
    return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * The final snapshot identifier of database `name` in `stack`, with a random `suffix` created
 * once per deploy: `<name>-<stack>-<suffix>-final`, cut to RDS's rules (1-255 letters, digits and
 * hyphens, starting with a letter, no double or trailing hyphen). Unique per stack, so two stacks
 * in one account never collide, and per deploy, so a stack destroyed twice does not either.
 */
export function finalSnapshotIdentifier(name: string, stack: string, suffix: string): string {
    const tail = `-${identifierPart(suffix)}-final`;
    let head = [identifierPart(name), identifierPart(stack)].filter(part => part.length > 0).join("-");
    if (!/^[a-z]/.test(head)) {
        head = `db-${head}`;
    }
    head = head.slice(0, MAX_SNAPSHOT_IDENTIFIER_LENGTH - tail.length).replace(/-+$/, "");
    return `${head}${tail}`;
}

/** What is wrong with a DB snapshot identifier under RDS's rules; empty when it is valid. */
export function snapshotIdentifierProblems(identifier: string): string[] {
    const problems: string[] = [];
    if (identifier.length < 1 || identifier.length > MAX_SNAPSHOT_IDENTIFIER_LENGTH) {
        problems.push(`is ${identifier.length} characters; RDS allows 1-${MAX_SNAPSHOT_IDENTIFIER_LENGTH}`);
    }
    if (!/^[A-Za-z]/.test(identifier)) {
        problems.push("does not start with a letter");
    }
    if (!/^[A-Za-z0-9-]*$/.test(identifier)) {
        problems.push("holds characters other than letters, digits and hyphens");
    }
    if (identifier.includes("--")) {
        problems.push("holds two consecutive hyphens");
    }
    if (identifier.endsWith("-")) {
        problems.push("ends with a hyphen");
    }
    return problems;
}

/** `mysql8.4` for `8.4.6`; undefined for anything that is not MySQL 8. */
export function parameterGroupFamily(engineVersion: string): string | undefined {
    const match = /^(8\.\d+)(\.\d+)?$/.exec(engineVersion);
    return match ? `mysql${match[1]}` : undefined;
}

/**
 * RDS MySQL, either a Multi-AZ primary or a cross-region read replica. Both are encrypted with a
 * KMS key of their own region, keep automated backups, have deletion protection, take a final
 * snapshot if deleted anyway, require TLS, and admit connections only from the listed networks.
 */
export class MysqlDatabase extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly identifier: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** `primary`, `replica`, or `promoted` (a replica that now accepts writes). */
    readonly role: "primary" | "replica" | "promoted";

    constructor(name: string, args: MysqlDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("MysqlDatabase", name, validateMysqlDatabaseArgs(args));
        super("dr:aws:MysqlDatabase", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);

        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
            region,
            subnetIds: args.subnetIds,
            tags: tags(`${name}-subnets`),
        }, parent);
        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            region,
            vpcId: args.vpcId,
            description: "MySQL from the application tier only",
            ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: args.allowedCidrs, description: "MySQL from the application subnets" }],
            tags: tags(`${name}-sg`),
        }, parent);
        const parameterGroup = new aws.rds.ParameterGroup(`${name}-params`, {
            region,
            family: parameterGroupFamily(args.engineVersion)!,
            description: "Row-based binlogs and TLS-only connections",
            parameters: Object.entries(MYSQL_PARAMETERS).map(([paramName, value]) => ({ name: paramName, value, applyMethod: "pending-reboot" })),
            tags: tags(`${name}-params`),
        }, parent);

        // Created once with the database and never changed, so the identifier is stable across updates.
        const snapshotSuffix = new random.RandomString(`${name}-snapshot-suffix`, {
            length: SNAPSHOT_SUFFIX_LENGTH,
            upper: false,
            special: false,
        }, parent);
        const keepsFinalSnapshot = args.role === "primary" || args.promoted === true;
        const shared = {
            region,
            instanceClass: args.instanceClass,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: args.kmsKeyArn,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroup.id],
            parameterGroupName: parameterGroup.name,
            publiclyAccessible: false,
            backupRetentionPeriod: args.backupRetentionDays,
            deletionProtection: true,
            // RDS refuses a final snapshot when it deletes a read replica (the source holds the
            // data); a promoted replica and the primary keep one.
            skipFinalSnapshot: keepsFinalSnapshot ? false : true,
            finalSnapshotIdentifier: keepsFinalSnapshot
                ? snapshotSuffix.result.apply(suffix => finalSnapshotIdentifier(name, pulumi.getStack(), suffix))
                : undefined,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: ["error", "slowquery"],
            tags: tags(`${name}-mysql`),
        };
        const instanceArgs: aws.rds.InstanceArgs = args.role === "primary"
            ? {
                ...shared,
                engine: "mysql",
                engineVersion: args.engineVersion,
                multiAz: args.multiAz,
                dbName: args.databaseName,
                username: args.username,
                password: args.password,
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
            }
            : {
                ...shared,
                // Engine, storage size and credentials come from the source; setting them here
                // would make promotion look like a change to them.
                replicateSourceDb: args.promoted ? undefined : args.sourceDbArn,
                multiAz: args.promoted && (args.promotedMultiAz ?? true),
                // Without it the provider defers the Multi-AZ change to the maintenance window.
                applyImmediately: args.promoted ? true : undefined,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
            };
        const instance = new aws.rds.Instance(`${name}-mysql`, instanceArgs, { parent: this, protect: args.protect ?? true });

        this.arn = instance.arn;
        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.identifier = instance.identifier;
        this.securityGroupId = securityGroup.id;
        this.role = args.role === "primary" ? "primary" : args.promoted ? "promoted" : "replica";
        this.registerOutputs({ arn: this.arn, endpoint: this.endpoint, role: this.role });
    }
}
