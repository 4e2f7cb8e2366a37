import { Policies } from "@pulumi/policy";
import { awsEc2Imdsv2 } from "./awsEc2Imdsv2";
import { awsIamNoWildcardActions } from "./awsIamNoWildcardActions";
import { awsRdsEncrypted } from "./awsRdsEncrypted";
import { awsS3PublicAccessBlocked } from "./awsS3PublicAccessBlocked";
import { awsSgNoWorldAdminPorts } from "./awsSgNoWorldAdminPorts";
import { azureMysqlSecure } from "./azureMysqlSecure";
import { azureStorageSecureTransport } from "./azureStorageSecureTransport";
import { azureVmSshKeyOnly } from "./azureVmSshKeyOnly";
import { drBackupShippingMeetsRpo } from "./drBackupShippingMeetsRpo";
import { drBackupsImmutable } from "./drBackupsImmutable";
import { drCidrNoOverlap } from "./drCidrNoOverlap";
import { drDataResidency } from "./drDataResidency";
import { drDetectionWithinRto } from "./drDetectionWithinRto";
import { drFailoverRecordHasHealthCheck } from "./drFailoverRecordHasHealthCheck";
import { drHealthCheckAlarmed } from "./drHealthCheckAlarmed";
import { drReplicationTimeBounded } from "./drReplicationTimeBounded";
import { drStatefulResourcesProtected } from "./drStatefulResourcesProtected";
import { deployabilityPolicies } from "./deployability";

export {
    awsEc2Imdsv2,
    awsIamNoWildcardActions,
    awsRdsEncrypted,
    awsS3PublicAccessBlocked,
    awsSgNoWorldAdminPorts,
    azureMysqlSecure,
    azureStorageSecureTransport,
    azureVmSshKeyOnly,
    drBackupShippingMeetsRpo,
    drBackupsImmutable,
    drCidrNoOverlap,
    drDataResidency,
    drDetectionWithinRto,
    drFailoverRecordHasHealthCheck,
    drHealthCheckAlarmed,
    drReplicationTimeBounded,
    drStatefulResourcesProtected,
};
export * from "./deployability";

/** Every policy of the pack, in the order the pack reports them: DR first, then AWS, Azure, and the deployability group. */
export const allPolicies: Policies = [
    drCidrNoOverlap,
    drFailoverRecordHasHealthCheck,
    drDetectionWithinRto,
    drHealthCheckAlarmed,
    drDataResidency,
    drStatefulResourcesProtected,
    drBackupShippingMeetsRpo,
    drBackupsImmutable,
    drReplicationTimeBounded,
    awsRdsEncrypted,
    awsS3PublicAccessBlocked,
    awsEc2Imdsv2,
    awsSgNoWorldAdminPorts,
    awsIamNoWildcardActions,
    azureStorageSecureTransport,
    azureMysqlSecure,
    azureVmSshKeyOnly,
    ...deployabilityPolicies,
];
