/**
 * The EKS release calendar the program checks `kubernetesVersion` against. One table serves the
 * program and the policy pack; it lives in the pack because the pack must install on its own.
 */
export {
    EKS_VERSION_SUPPORT, EKS_VERSION_SUPPORT_SOURCE, EksSupportStatus, EksVersionSupport, eksSupportStatus,
} from "../policies/lib/eksVersions";
