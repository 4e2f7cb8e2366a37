import * as assert from "assert";
import { awsEc2Imdsv2 } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

const metadataOptions = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };
const instance = resource("aws:ec2/instance:Instance", "backup-agent", { instanceType: "t3.small", metadataOptions });
const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt", { metadataOptions });
const nodeGroup = resource("aws:eks/nodeGroup:NodeGroup", "nodes", { launchTemplate: { id: "lt-1", version: "1" } });

describe("policy aws-ec2-imdsv2", () => {
    it("accepts instances, launch templates and node groups that require IMDSv2 with hop limit 1", async () => {
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [instance, template, nodeGroup]), []);
    });

    it("reports optional tokens", async () => {
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [changed(instance, { metadataOptions: { ...metadataOptions, httpTokens: "optional" } })]), [
            'backup-agent: does not require IMDSv2: metadataOptions.httpTokens is "optional"; set it to "required"',
        ]);
    });

    it("reports a launch template that leaves tokens to the AMI", async () => {
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [changed(template, { metadataOptions: undefined })]), [
            'nodes-lt: does not require IMDSv2: metadataOptions.httpTokens is not set (the AMI decides); set it to "required"',
        ]);
    });

    it("reports a hop limit above the configured maximum", async () => {
        const twoHops = changed(template, { metadataOptions: { ...metadataOptions, httpPutResponseHopLimit: 2 } });
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [twoHops]), [
            "nodes-lt: lets metadata responses travel 2 hops (httpPutResponseHopLimit); at most 1 keeps containers from using the instance's credentials",
        ]);
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [twoHops], { maxHopLimit: 2 }), []);
    });

    it("accepts an instance with the metadata service off", async () => {
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [changed(instance, { metadataOptions: { httpEndpoint: "disabled" } })]), []);
    });

    it("reports a node group on EKS's default launch template", async () => {
        assert.deepStrictEqual(await findings(awsEc2Imdsv2, [changed(nodeGroup, { launchTemplate: undefined })]), [
            "nodes: uses EKS's default launch template, which accepts IMDSv1: give the node group a launch template that requires IMDSv2",
        ]);
    });
});
