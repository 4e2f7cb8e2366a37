import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TableSpec } from "../../config/types";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Stream view the global-table replication and any change consumer need. */
export const STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";

export interface GlobalTablesArgs {
    readonly region: string;
    /** The tables; none is allowed (the component then declares nothing). */
    readonly tables: TableSpec[];
    /** KMS key in `region`. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Replica regions, each with a KMS key of its own. Default none (single-region tables). */
    readonly replicas?: { region: string; kmsKeyArn: pulumi.Input<string> }[];
    /** Mark tables `protect`. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/** Problems with table args, one string each. */
export function validateGlobalTablesArgs(args: GlobalTablesArgs): string[] {
    const problems: string[] = [];
    const names = args.tables.map(t => t.name);
    if (new Set(names).size !== names.length) {
        problems.push("tables: names must be unique");
    }
    for (const table of args.tables) {
        if ((table.rangeKey === undefined) !== (table.rangeKeyType === undefined)) {
            problems.push(`tables.${table.name}: rangeKey and rangeKeyType go together`);
        }
        if (table.rangeKey === table.hashKey) {
            problems.push(`tables.${table.name}: rangeKey repeats the hashKey`);
        }
    }
    if ((args.replicas ?? []).some(replica => replica.region === args.region)) {
        problems.push("replicas: a replica cannot be in the table's own region");
    }
    return problems;
}

/**
 * On-demand DynamoDB tables (global tables version 2019.11.21 when replicas are given) with
 * streams, point-in-time recovery and deletion protection on every replica, encrypted with a
 * customer-managed key per region.
 */
export class GlobalTables extends pulumi.ComponentResource {
    /** Physical table names by logical name. */
    readonly tableNames: Record<string, pulumi.Output<string>>;
    readonly tableArns: Record<string, pulumi.Output<string>>;
    readonly streamArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GlobalTablesArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("GlobalTables", name, validateGlobalTablesArgs(args));
        super("dr:aws:GlobalTables", name, {}, opts);
        this.tableNames = {};
        this.tableArns = {};
        this.streamArns = {};
        for (const spec of args.tables) {
            const attributes = [{ name: spec.hashKey, type: spec.hashKeyType }];
            if (spec.rangeKey && spec.rangeKeyType) {
                attributes.push({ name: spec.rangeKey, type: spec.rangeKeyType });
            }
            const table = new aws.dynamodb.Table(`${name}-${spec.name}`, {
                region: args.region,
                billingMode: "PAY_PER_REQUEST",
                hashKey: spec.hashKey,
                rangeKey: spec.rangeKey,
                attributes,
                streamEnabled: true,
                streamViewType: STREAM_VIEW_TYPE,
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                deletionProtectionEnabled: true,
                replicas: (args.replicas ?? []).map(replica => ({
                    regionName: replica.region,
                    kmsKeyArn: replica.kmsKeyArn,
                    pointInTimeRecovery: true,
                    deletionProtectionEnabled: true,
                    propagateTags: true,
                })),
                tags: childTags(spec.name, args.tags),
            }, { parent: this, protect: args.protect ?? true });
            this.tableNames[spec.name] = table.name;
            this.tableArns[spec.name] = table.arn;
            this.streamArns[spec.name] = table.streamArn;
        }
        this.registerOutputs({ tableNames: this.tableNames, tableArns: this.tableArns });
    }
}
