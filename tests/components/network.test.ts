import * as assert from "assert";
import { Network, NetworkArgs, validateNetworkArgs } from "../../components/aws";
import { declare } from "../support/components";
import { named, ofType } from "../support/query";

const SEOUL_ZONES = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
const base: NetworkArgs = { region: "ap-northeast-2", cidr: "10.10.0.0/16", availabilityZones: SEOUL_ZONES };

describe("component: Network", () => {
    it("defaults to a NAT gateway per zone, private routes through their own zone's NAT", async () => {
        const { resources } = await declare(() => new Network("n", base));
        assert.strictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 3);
        const natIds = [0, 1, 2].map(i => named(resources, "aws:ec2/routeTable:RouteTable", `n-private-rt-${i}`).inputs.routes[0].natGatewayId);
        assert.strictEqual(new Set(natIds).size, 3);
    });

    it("uses one NAT gateway for all zones in single mode", async () => {
        const { resources } = await declare(() => new Network("n", { ...base, natMode: "single" }));
        assert.strictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 1);
        const natIds = [0, 1, 2].map(i => named(resources, "aws:ec2/routeTable:RouteTable", `n-private-rt-${i}`).inputs.routes[0].natGatewayId);
        assert.strictEqual(new Set(natIds).size, 1);
    });

    it("gives the data tier no route out, and free S3 and DynamoDB gateway endpoints to private and data tiers", async () => {
        const { resources } = await declare(() => new Network("n", base));
        const dataRoutes = named(resources, "aws:ec2/routeTable:RouteTable", "n-data-rt");
        assert.strictEqual(dataRoutes.inputs.routes, undefined);
        const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.deepStrictEqual(endpoints.map(e => e.inputs.serviceName).sort(), ["com.amazonaws.ap-northeast-2.dynamodb", "com.amazonaws.ap-northeast-2.s3"]);
        assert.ok(endpoints.every(e => e.inputs.vpcEndpointType === "Gateway" && e.inputs.routeTableIds.length === 4));
        assert.deepStrictEqual(named(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "n-default-sg").inputs.ingress, undefined);
        assert.ok(ofType(resources, "aws:ec2/subnet:Subnet").every(s => s.inputs.mapPublicIpOnLaunch === false));
    });

    it("creates requested interface endpoints reachable on 443 from the VPC only", async () => {
        const { resources } = await declare(() => new Network("n", { ...base, interfaceEndpoints: ["ecr.api", "sts"] }));
        const interfaces = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(e => e.inputs.vpcEndpointType === "Interface");
        assert.deepStrictEqual(interfaces.map(e => e.inputs.serviceName).sort(), ["com.amazonaws.ap-northeast-2.ecr.api", "com.amazonaws.ap-northeast-2.sts"]);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "n-endpoints-sg");
        assert.deepStrictEqual(sg.inputs.ingress.map((r: any) => [r.fromPort, r.cidrBlocks]), [[443, ["10.10.0.0/16"]]]);
    });

    it("exposes the private tier's CIDRs for database rules", async () => {
        const { result } = await declare(() => new Network("n", base));
        assert.deepStrictEqual(result.privateSubnetCidrs, ["10.10.0.0/18", "10.10.64.0/18", "10.10.128.0/18"]);
    });

    it("refuses foreign or duplicate zones, too many zones and bad blocks, all at once", () => {
        const problems = validateNetworkArgs({ region: "ap-northeast-2", cidr: "10.0.0.0/12", availabilityZones: ["ap-northeast-1a", "ap-northeast-1a", "x", "y"] });
        assert.deepStrictEqual(problems, [
            "cidr: 10.0.0.0/12 must be a /16 to /22",
            "availabilityZones: need 2-3 zones, got 4",
            "availabilityZones: ap-northeast-1a, ap-northeast-1a, x, y not in ap-northeast-2",
            "availabilityZones: a zone is listed twice",
        ]);
        assert.throws(() => new Network("bad", { ...base, cidr: "10.10.0.0" }), /Network bad: cidr: "10.10.0.0" is not an IPv4 CIDR/);
    });
});
