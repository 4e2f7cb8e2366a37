import * as assert from "assert";
import { awsSgNoWorldAdminPorts } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

const mysqlFromApps = { protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["10.10.0.0/18"], description: "MySQL from the application subnets" };
const httpsFromWorld = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };
const group = resource("aws:ec2/securityGroup:SecurityGroup", "db-sg", {
    ingress: [mysqlFromApps, httpsFromWorld],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});
const rule = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh-from-office", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24"], securityGroupId: "sg-1" });
const ingressRule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rdp-from-office", { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "203.0.113.0/24", securityGroupId: "sg-1" });

describe("policy aws-sg-no-world-admin-ports", () => {
    it("accepts admin ports from private ranges, HTTPS from anywhere and open egress", async () => {
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [group, rule, ingressRule]), []);
    });

    it("reports MySQL open to the world in an inline rule", async () => {
        const ingress = [{ ...mysqlFromApps, cidrBlocks: ["0.0.0.0/0"] }, httpsFromWorld];
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [changed(group, { ingress })]), [
            "db-sg: ingress rule 1 (MySQL from the application subnets) admits 0.0.0.0/0 to port 3306, including admin port 3306",
        ]);
    });

    it("reports every port open to ::/0 through protocol -1", async () => {
        const ingress = [mysqlFromApps, { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }];
        const [message] = await findings(awsSgNoWorldAdminPorts, [changed(group, { ingress })]);
        assert.match(message, /^db-sg: ingress rule 2 admits ::\/0 to all ports, including admin ports 22, 23, 135, .*, 27017$/);
    });

    it("reports a range of ports that covers SSH", async () => {
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [changed(rule, { fromPort: 0, toPort: 1024, cidrBlocks: ["0.0.0.0/0"] })]), [
            "ssh-from-office: the rule admits 0.0.0.0/0 to ports 0-1024, including admin ports 22, 23, 135, 139, 445",
        ]);
    });

    it("reports RDP open to the world through a vpc ingress rule", async () => {
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [changed(ingressRule, { cidrIpv4: "0.0.0.0/0" })]), [
            "rdp-from-office: the rule admits 0.0.0.0/0 to port 3389, including admin port 3389",
        ]);
    });

    it("ignores egress rules of the rule resource", async () => {
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [changed(rule, { type: "egress", cidrBlocks: ["0.0.0.0/0"] })]), []);
    });

    it("reads the port list from config", async () => {
        assert.deepStrictEqual(await findings(awsSgNoWorldAdminPorts, [group], { adminPorts: [443] }), [
            "db-sg: ingress rule 2 admits 0.0.0.0/0 and ::/0 to port 443, including admin port 443",
        ]);
    });
});
