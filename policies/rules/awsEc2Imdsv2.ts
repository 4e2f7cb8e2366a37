import { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../lib/typed";
import { T } from "../lib/types";

/** Config of {@link awsEc2Imdsv2}. */
export interface ImdsConfig {
    /** Highest httpPutResponseHopLimit allowed: 1 keeps containers on a node from reaching its metadata. */
    maxHopLimit: number;
}

interface MetadataOptions {
    httpEndpoint?: string;
    httpTokens?: string;
    httpPutResponseHopLimit?: number;
}

/** Instances, launch templates and EKS node groups require IMDSv2 (session tokens). */
export const awsEc2Imdsv2: ResourceValidationPolicy = {
    name: "aws-ec2-imdsv2",
    description: "EC2 instances and launch templates require IMDSv2 (httpTokens required) with a small hop limit; EKS node groups use such a launch template.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set metadataOptions { httpTokens: \"required\", httpPutResponseHopLimit: 1 } on the instance or launch template, and give EKS node groups a launchTemplate.",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 64,
                default: 1,
                description: "Highest httpPutResponseHopLimit; 2 lets containers without IRSA reach the node's metadata.",
            },
        },
    },
    validateResource: [
        resourceOfType<{ metadataOptions?: MetadataOptions }>(T.instance, (props, args, report) => checkMetadata(props.metadataOptions, args.getConfig<ImdsConfig>(), report)),
        resourceOfType<{ metadataOptions?: MetadataOptions }>(T.launchTemplate, (props, args, report) => checkMetadata(props.metadataOptions, args.getConfig<ImdsConfig>(), report)),
        resourceOfType<{ launchTemplate?: unknown }>(T.nodeGroup, (props, _args, report) => {
            if (!props.launchTemplate) {
                report("uses EKS's default launch template, which accepts IMDSv1: give the node group a launch template that requires IMDSv2");
            }
        }),
    ],
};

function checkMetadata(options: MetadataOptions | undefined, config: ImdsConfig, report: ReportViolation): void {
    if (options?.httpEndpoint === "disabled") {
        return;
    }
    const tokens = options?.httpTokens;
    if (tokens !== "required") {
        report(`does not require IMDSv2: metadataOptions.httpTokens is ${tokens === undefined ? "not set (the AMI decides)" : JSON.stringify(tokens)}; set it to "required"`);
    }
    const hops = options?.httpPutResponseHopLimit;
    if (hops !== undefined && hops > config.maxHopLimit) {
        report(`lets metadata responses travel ${hops} hops (httpPutResponseHopLimit); at most ${config.maxHopLimit} keeps containers from using the instance's credentials`);
    }
}
