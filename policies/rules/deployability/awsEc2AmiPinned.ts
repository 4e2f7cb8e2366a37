import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../../lib/typed";
import { T } from "../../lib/types";

/** The prefix EC2 accepts for an AMI resolved from an SSM parameter at launch. */
export const SSM_AMI_PREFIX = "resolve:ssm:";

/** EC2 instances name a concrete AMI id, not an SSM parameter resolved at launch. */
export const awsEc2AmiPinned: ResourceValidationPolicy = {
    name: "aws-ec2-ami-pinned",
    description: "EC2 instances name a concrete AMI id: with ami \"resolve:ssm:...\" the provider compares the parameter with the instance's resolved ami-... id on every update and plans a replacement, which destroys the instance's disk (https://github.com/hashicorp/terraform-provider-aws/issues/43364, https://github.com/hashicorp/terraform-provider-aws/issues/22912).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Resolve the parameter once in the program (aws.ssm.getParameter or aws.ec2.getAmi) and pass the ami-... id; add \"ami\" to ignoreChanges so a newer image is a deliberate, documented replacement.",
    validateResource: resourceOfType<{ ami?: string }>(T.instance, (props, _args, report) => {
        const ami = props.ami;
        if (typeof ami === "string" && ami.startsWith(SSM_AMI_PREFIX)) {
            report(`takes its AMI from an SSM parameter at launch (ami: "${ami}"): every later update compares it with the instance's ami-... id and replaces the instance; resolve the id once in the program and ignore later AMI changes`);
        }
    }),
};
