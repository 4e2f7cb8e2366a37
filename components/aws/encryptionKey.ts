import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyStatement } from "../../lib/iamPolicy";
import { childTags } from "../tags";

/** Days KMS waits before deleting a key scheduled for deletion (the maximum). */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** Administrative actions the account keeps on its keys; listed so no policy in the program says `kms:*`. */
export const KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias", "kms:DescribeKey",
    "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
    "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReplicateKey", "kms:RetireGrant", "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/** Actions that use a key for data; services and IAM policies get only these. */
export const KEY_USAGE_ACTIONS = [
    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom", "kms:ReEncryptTo",
];

export interface EncryptionKeyArgs {
    /** Region the key lives in; KMS keys never leave their region. */
    readonly region: string;
    /** Account that owns and administers the key. */
    readonly accountId: pulumi.Input<string>;
    readonly description: string;
    /** Service principals (e.g. `cloudwatch.amazonaws.com`) that may use the key directly. Default none. */
    readonly usableByServices?: string[];
    /** Mark the key `protect`: deleting it makes every snapshot encrypted with it unreadable. Default true. */
    readonly protect?: boolean;
    readonly tags?: Record<string, string>;
}

/**
 * A customer-managed KMS key with yearly rotation, the longest deletion window, an alias and an
 * explicit key policy: the account administers and uses it through IAM, listed services may use it.
 */
export class EncryptionKey extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly keyId: pulumi.Output<string>;
    readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:aws:EncryptionKey", name, {}, opts);
        const root = pulumi.interpolate`arn:aws:iam::${args.accountId}:root`;
        const statements: PolicyStatement[] = [{
            Sid: "AccountAdministersAndDelegates",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: [...KEY_ADMIN_ACTIONS, ...KEY_USAGE_ACTIONS],
            Resource: "*",
        }];
        if (args.usableByServices && args.usableByServices.length > 0) {
            statements.push({
                Sid: "ServicesUseForData",
                Effect: "Allow",
                Principal: { Service: args.usableByServices },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            });
        }
        const key = new aws.kms.Key(`${name}-key`, {
            region: args.region,
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
            policy: policyDocument(statements),
            tags: childTags(`${name}-key`, args.tags),
        }, { parent: this, protect: args.protect ?? true });
        const alias = new aws.kms.Alias(`${name}-alias`, {
            region: args.region,
            namePrefix: `alias/${name}-`,
            targetKeyId: key.keyId,
        }, { parent: this });
        this.arn = key.arn;
        this.keyId = key.keyId;
        this.aliasName = alias.name;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
    }
}
