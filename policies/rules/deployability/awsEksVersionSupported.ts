import { ResourceValidationPolicy } from "@pulumi/policy";
import { EKS_VERSION_SUPPORT, EKS_VERSION_SUPPORT_SOURCE, eksSupportStatus, newestStandardVersion } from "../../lib/eksVersions";
import { resourceOfType } from "../../lib/typed";
import { T } from "../../lib/types";

/** Config of {@link awsEksVersionSupported}. */
export interface EksVersionConfig {
    /** The day to judge support on (YYYY-MM-DD, UTC); unset: the day the policy runs. */
    today?: string;
}

/** EKS clusters run a Kubernetes version in EKS standard support, by the pack's calendar. */
export const awsEksVersionSupported: ResourceValidationPolicy = {
    name: "aws-eks-version-supported",
    description: `EKS clusters run a Kubernetes version in EKS standard support: after it, AWS bills extended support ($0.60 instead of $0.10 per cluster-hour, https://aws.amazon.com/eks/pricing/), and after extended support the version cannot be created at all. Calendar in policies/lib/eksVersions.ts, read ${EKS_VERSION_SUPPORT_SOURCE.asOf} from ${EKS_VERSION_SUPPORT_SOURCE.url}.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set the cluster's version to one in standard support (the newest in the calendar), with upgradePolicy { supportType: \"STANDARD\" }; add a row to policies/lib/eksVersions.ts when EKS releases a version.",
    configSchema: {
        properties: {
            today: {
                type: "string",
                pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                description: "The day to judge support on (YYYY-MM-DD, UTC); unset: the day the policy runs.",
            },
        },
    },
    validateResource: resourceOfType<{ version?: string }>(T.eksCluster, (props, args, report) => {
        const version = props.version;
        if (version === undefined) {
            return;
        }
        const today = args.getConfig<EksVersionConfig>().today ?? new Date().toISOString().slice(0, 10);
        const newest = newestStandardVersion(today);
        const instead = newest ? `; use ${newest} (standard support until ${EKS_VERSION_SUPPORT[newest].standardSupportEnds})` : "";
        if (!/^[0-9]+\.[0-9]+$/.test(version)) {
            report(`sets version ${JSON.stringify(version)}, which is not an EKS minor version like 1.35${instead}`);
            return;
        }
        const row = EKS_VERSION_SUPPORT[version];
        switch (eksSupportStatus(version, today)) {
            case "extended":
                report(`runs Kubernetes ${version}, which left EKS standard support on ${row.standardSupportEnds}: AWS bills extended support ($0.60 instead of $0.10 per cluster-hour) until ${row.extendedSupportEnds}${instead}`);
                break;
            case "ended":
                report(row
                    ? `runs Kubernetes ${version}, which EKS no longer offers (extended support ended ${row.extendedSupportEnds}): the cluster cannot be created${instead}`
                    : `runs Kubernetes ${version}, older than every version in the pack's EKS calendar: EKS no longer offers it${instead}`);
                break;
            case "standard":
                break;
        }
    }),
};
