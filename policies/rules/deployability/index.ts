import { Policies } from "@pulumi/policy";
import { awsEc2AmiPinned } from "./awsEc2AmiPinned";
import { awsEksVersionSupported } from "./awsEksVersionSupported";
import { awsLambdaNoReservedConcurrency } from "./awsLambdaNoReservedConcurrency";
import { awsRdsFinalSnapshotUnique } from "./awsRdsFinalSnapshotUnique";
import { awsResourceNameLimits } from "./awsResourceNameLimits";
import { kubernetesNonrootNumericUser } from "./kubernetesNonrootNumericUser";
import { kubernetesPdbUnhealthyEviction } from "./kubernetesPdbUnhealthyEviction";

export {
    awsEc2AmiPinned,
    awsEksVersionSupported,
    awsLambdaNoReservedConcurrency,
    awsRdsFinalSnapshotUnique,
    awsResourceNameLimits,
    kubernetesNonrootNumericUser,
    kubernetesPdbUnhealthyEviction,
};

/**
 * The deployability group: what makes a first `pulumi up` (or a later update or destroy) fail or
 * replace something although the preview passes, checked on resource inputs before deploy.
 */
export const deployabilityPolicies: Policies = [
    awsLambdaNoReservedConcurrency,
    awsEc2AmiPinned,
    awsEksVersionSupported,
    awsRdsFinalSnapshotUnique,
    awsResourceNameLimits,
    kubernetesPdbUnhealthyEviction,
    kubernetesNonrootNumericUser,
];
