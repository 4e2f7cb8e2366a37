import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfTypes } from "../lib/typed";
import { RdsProps, T } from "../lib/types";

/** Config of {@link awsRdsEncrypted}. */
export interface RdsEncryptionConfig {
    /** Require a customer-managed KMS key (kmsKeyId) rather than the account's aws/rds key. */
    requireCustomerManagedKey: boolean;
}

/** RDS storage (and so its snapshots and replicas) is encrypted, with a customer-managed key by default. */
export const awsRdsEncrypted: ResourceValidationPolicy = {
    name: "aws-rds-encrypted",
    description: "RDS instances and clusters encrypt their storage, by default with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set storageEncrypted: true and kmsKeyId to a customer-managed key in the database's region (a cross-region replica needs a key in its own region). Encryption cannot be turned on in place: restore an encrypted copy from a snapshot.",
    configSchema: {
        properties: {
            requireCustomerManagedKey: {
                type: "boolean",
                default: true,
                description: "Also require kmsKeyId: a key you control can be audited, rotated and granted per role; aws/rds cannot be shared across regions or accounts.",
            },
        },
    },
    validateResource: resourceOfTypes<RdsProps>([T.rdsInstance, T.rdsCluster], (props, args, reportViolation) => {
        if (props.storageEncrypted !== true) {
            reportViolation("does not set storageEncrypted: true, so the database, its snapshots and its replicas are stored unencrypted");
            return;
        }
        if (args.getConfig<RdsEncryptionConfig>().requireCustomerManagedKey && !props.kmsKeyId) {
            reportViolation("encrypts with the AWS-managed aws/rds key (no kmsKeyId): name a customer-managed key");
        }
    }),
};
