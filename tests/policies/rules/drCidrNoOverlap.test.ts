import * as assert from "assert";
import { drCidrNoOverlap } from "../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_STRING } from "../harness";

const seoul = resource("aws:ec2/vpc:Vpc", "primary-vpc", { cidrBlock: "10.10.0.0/16", region: "ap-northeast-2" });
const tokyo = resource("aws:ec2/vpc:Vpc", "standby-vpc", { cidrBlock: "10.20.0.0/16", region: "ap-northeast-1" });
const azure = resource("azure-native:network:VirtualNetwork", "pilot-light-vnet", { addressSpace: { addressPrefixes: ["10.30.0.0/16", "fd00:30::/48"] }, location: "koreacentral" });

describe("policy dr-cidr-no-overlap", () => {
    it("accepts the seeds' blocks: 10.10/16 Seoul, 10.20/16 Tokyo, 10.30/16 Azure", async () => {
        assert.deepStrictEqual(await findings(drCidrNoOverlap, [seoul, tokyo, azure]), []);
    });

    it("reports a VNet that overlaps a VPC in another cloud", async () => {
        const overlapping = changed(azure, { addressSpace: { addressPrefixes: ["10.10.128.0/17"] } });
        assert.deepStrictEqual(await findings(drCidrNoOverlap, [seoul, tokyo, overlapping]), [
            "pilot-light-vnet: VNet pilot-light-vnet (koreacentral) 10.10.128.0/17 overlaps VPC primary-vpc (ap-northeast-2) 10.10.0.0/16: networks that must reach each other during a failover cannot share addresses",
        ]);
    });

    it("reports two VPCs in different regions with the same block", async () => {
        assert.deepStrictEqual(await findings(drCidrNoOverlap, [seoul, changed(tokyo, { cidrBlock: "10.10.0.0/16" })]), [
            "standby-vpc: VPC standby-vpc (ap-northeast-1) 10.10.0.0/16 overlaps VPC primary-vpc (ap-northeast-2) 10.10.0.0/16: networks that must reach each other during a failover cannot share addresses",
        ]);
    });

    it("reports a secondary VPC block that overlaps another network", async () => {
        const secondary = resource("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "standby-extra", { cidrBlock: "10.30.64.0/18", region: "ap-northeast-1" });
        assert.deepStrictEqual(await findings(drCidrNoOverlap, [seoul, tokyo, azure, secondary]), [
            "standby-extra: VPC block standby-extra (ap-northeast-1) 10.30.64.0/18 overlaps VNet pilot-light-vnet (koreacentral) 10.30.0.0/16: networks that must reach each other during a failover cannot share addresses",
        ]);
    });

    it("skips a block that is unknown at preview (e.g. allocated from IPAM)", async () => {
        assert.deepStrictEqual(await findings(drCidrNoOverlap, [seoul, changed(tokyo, { cidrBlock: UNKNOWN_STRING })]), []);
    });

    it("is not applicable to a stack without networks", async () => {
        const evaluation = await evaluate(drCidrNoOverlap, [resource("aws:sns/topic:Topic", "alerts", {})]);
        assert.deepStrictEqual(evaluation.notApplicable, [{ policy: "dr-cidr-no-overlap", reason: "The stack declares no VPC or VNet", resource: undefined }]);
    });
});
