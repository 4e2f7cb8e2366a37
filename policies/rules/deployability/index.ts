import { Policies } from "@pulumi/policy";
import { awsEc2AmiPinned } from "./awsEc2AmiPinned";
import { awsEc2EipQuota } from "./awsEc2EipQuota";
import { awsEksVersionSupported } from "./awsEksVersionSupported";
import { awsLambdaNoReservedConcurrency } from "./awsLambdaNoReservedConcurrency";
import { awsLbListenerRulePriorityUnique } from "./awsLbListenerRulePriorityUnique";
import { awsRdsFinalSnapshotUnique } from "./awsRdsFinalSnapshotUnique";
import { awsResourceNameLimits } from "./awsResourceNameLimits";
import { awsRoute53RecordUnique } from "./awsRoute53RecordUnique";
import { awsS3LogTargetSseS3 } from "./awsS3LogTargetSseS3";
import { azureStorageAccountLevelWorm } from "./azureStorageAccountLevelWorm";
import { azureStorageLifecycleReachable } from "./azureStorageLifecycleReachable";
import { kubernetesNonrootNumericUser } from "./kubernetesNonrootNumericUser";
import { kubernetesPdbUnhealthyEviction } from "./kubernetesPdbUnhealthyEviction";

export {
    awsEc2AmiPinned,
    awsEc2EipQuota,
    awsEksVersionSupported,
    awsLambdaNoReservedConcurrency,
    awsLbListenerRulePriorityUnique,
    awsRdsFinalSnapshotUnique,
    awsResourceNameLimits,
    awsRoute53RecordUnique,
    awsS3LogTargetSseS3,
    azureStorageAccountLevelWorm,
    azureStorageLifecycleReachable,
    kubernetesNonrootNumericUser,
    kubernetesPdbUnhealthyEviction,
};

/**
 * The deployability group: what makes a first `pulumi up` (or a later update or destroy) fail or
 * replace something although the preview passes, checked on resource inputs (and, for the stack
 * policies, on the whole stack) before deploy.
 */
export const deployabilityPolicies: Policies = [
    awsLambdaNoReservedConcurrency,
    awsEc2AmiPinned,
    awsEksVersionSupported,
    awsRdsFinalSnapshotUnique,
    awsResourceNameLimits,
    awsRoute53RecordUnique,
    awsLbListenerRulePriorityUnique,
    awsEc2EipQuota,
    awsS3LogTargetSseS3,
    azureStorageAccountLevelWorm,
    azureStorageLifecycleReachable,
    kubernetesPdbUnhealthyEviction,
    kubernetesNonrootNumericUser,
];
