import * as assert from "assert";
import { awsEc2AmiPinned } from "../../../../policies/rules";
import { changed, findings, resource } from "../../harness";

const instance = resource("aws:ec2/instance:Instance", "backup-agent", { ami: "ami-0123456789abcdef0", instanceType: "t3.small" });
const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt", { imageId: "resolve:ssm:/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id" });

describe("policy aws-ec2-ami-pinned", () => {
    it("accepts an instance with an AMI id, and leaves launch templates (versioned) alone", async () => {
        assert.deepStrictEqual(await findings(awsEc2AmiPinned, [instance, template]), []);
    });

    it("reports an instance whose AMI is resolved from SSM at launch", async () => {
        const ami = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        assert.deepStrictEqual(await findings(awsEc2AmiPinned, [changed(instance, { ami })]), [
            `backup-agent: takes its AMI from an SSM parameter at launch (ami: "${ami}"): every later update compares it with the instance's ami-... id and replaces the instance; resolve the id once in the program and ignore later AMI changes`,
        ]);
    });
});
