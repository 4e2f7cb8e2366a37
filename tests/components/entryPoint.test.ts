import * as assert from "assert";
import { checkedHostOf, ENTRY_TLS_POLICY, EntryPoint, EntryPointArgs, listenerRulePriority, SERVICE_PORT, validateEntryPointArgs } from "../../components/aws";
import { valueOf } from "../../plan/mockCloud";
import { constructionError, declare } from "../support/components";
import { named, ofType } from "../support/query";

const base: EntryPointArgs = {
    region: "ap-northeast-1",
    site: "standby",
    vpcId: "vpc-123",
    vpcCidr: "10.20.0.0/16",
    publicSubnetIds: ["subnet-a", "subnet-b"],
    clusterSecurityGroupId: "sg-cluster",
    services: ["ai", "auth", "team"],
    hostedZoneId: "ZEXISTING1",
    domainName: "example.org",
    recordName: "app",
};

describe("component: EntryPoint", () => {
    it("names the checked host after the site: <recordName>-<site>.<domainName>", () => {
        assert.strictEqual(checkedHostOf("app", "primary", "portforge.example.com"), "app-primary.portforge.example.com");
        assert.strictEqual(checkedHostOf("app", "standby", "portforge.example.com"), "app-standby.portforge.example.com");
    });

    it("puts an internet-facing ALB in the public subnets that admits 443 and 80 and sends only to pods in the VPC", async () => {
        const { resources } = await declare(() => new EntryPoint("standby", base));
        const alb = named(resources, "aws:lb/loadBalancer:LoadBalancer", "standby-alb");
        assert.deepStrictEqual([alb.inputs.region, alb.inputs.internal, alb.inputs.loadBalancerType], ["ap-northeast-1", false, "application"]);
        assert.deepStrictEqual(alb.inputs.subnets, ["subnet-a", "subnet-b"]);
        assert.strictEqual(alb.inputs.dropInvalidHeaderFields, true);
        assert.strictEqual(alb.inputs.enableDeletionProtection, true);
        const unprotected = await declare(() => new EntryPoint("standby", { ...base, deletionProtection: false }));
        assert.strictEqual(named(unprotected.resources, "aws:lb/loadBalancer:LoadBalancer", "standby-alb").inputs.enableDeletionProtection, false);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "standby-alb-sg");
        assert.deepStrictEqual(sg.inputs.ingress.map((r: any) => [r.fromPort, r.toPort, r.cidrBlocks]).sort(), [[443, 443, ["0.0.0.0/0"]], [80, 80, ["0.0.0.0/0"]]]);
        assert.deepStrictEqual(sg.inputs.egress.map((r: any) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]), [["tcp", SERVICE_PORT, SERVICE_PORT, ["10.20.0.0/16"]]]);
        const toPods = named(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "standby-alb-to-pods");
        assert.deepStrictEqual([toPods.inputs.securityGroupId, toPods.inputs.fromPort, toPods.inputs.toPort], ["sg-cluster", 8080, 8080]);
        assert.match(toPods.inputs.referencedSecurityGroupId, /^sg-/);
    });

    it("keeps one ip target group per service on 8080, checked on /health", async () => {
        const { resources, result } = await declare(() => new EntryPoint("standby", base));
        const groups = ofType(resources, "aws:lb/targetGroup:TargetGroup");
        assert.deepStrictEqual(groups.map(g => g.name).sort(), ["standby-tg-ai", "standby-tg-auth", "standby-tg-team"]);
        for (const group of groups) {
            assert.deepStrictEqual([group.inputs.targetType, group.inputs.port, group.inputs.protocol, group.inputs.vpcId], ["ip", 8080, "HTTP", "vpc-123"]);
            assert.strictEqual(group.inputs.healthCheck.path, "/health");
        }
        assert.deepStrictEqual(Object.keys(result.targetGroupArns), ["ai", "auth", "team"]);
        assert.match(await valueOf(result.targetGroupArns.auth), /^arn:aws:elasticloadbalancing:ap-northeast-1:\d{12}:targetgroup\/standby-tg-auth-/);
    });

    it("serves HTTPS with a modern policy and the validated certificate, forwards unclaimed paths to the entry service and /<service> to each", async () => {
        const { resources, result } = await declare(() => new EntryPoint("standby", { ...base, entryService: "auth" }));
        const https = named(resources, "aws:lb/listener:Listener", "standby-https");
        assert.deepStrictEqual([https.inputs.port, https.inputs.protocol, https.inputs.sslPolicy], [443, "HTTPS", ENTRY_TLS_POLICY]);
        assert.strictEqual(https.inputs.certificateArn, named(resources, "aws:acm/certificateValidation:CertificateValidation", "standby-cert-validated").inputs.certificateArn);
        assert.strictEqual(https.inputs.defaultActions[0].targetGroupArn, await valueOf(result.targetGroupArns.auth));
        const http = named(resources, "aws:lb/listener:Listener", "standby-http");
        assert.deepStrictEqual(http.inputs.defaultActions[0].redirect, { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
        const rules = ofType(resources, "aws:lb/listenerRule:ListenerRule");
        assert.deepStrictEqual(rules.map(r => [r.inputs.priority, r.inputs.conditions[0].pathPattern.values]), [
            [listenerRulePriority("ai"), ["/ai", "/ai/*"]], [listenerRulePriority("auth"), ["/auth", "/auth/*"]], [listenerRulePriority("team"), ["/team", "/team/*"]],
        ]);
        // A service added in the middle of the list must not move anyone else's rule (the update would hit PriorityInUse).
        const more = await declare(() => new EntryPoint("standby", { ...base, services: ["ai", "project", "auth", "team"] }));
        const priorities = (found: typeof rules) => Object.fromEntries(found.map(r => [r.name, r.inputs.priority]));
        const after = priorities(ofType(more.resources, "aws:lb/listenerRule:ListenerRule"));
        for (const [rule, priority] of Object.entries(priorities(rules))) {
            assert.strictEqual(after[rule], priority, rule);
        }
        for (const priority of Object.values(after)) {
            assert.ok(Number.isInteger(priority) && priority >= 1 && priority <= 50000, String(priority));
        }
        for (const rule of rules) {
            const service = rule.name.replace("standby-route-", "");
            assert.strictEqual(rule.inputs.actions[0].targetGroupArn, await valueOf(result.targetGroupArns[service]));
        }
    });

    it("certifies the public name and the checked host by DNS in the hosted zone, and points the checked host at the ALB", async () => {
        const { resources, result } = await declare(() => new EntryPoint("standby", base));
        const certificate = named(resources, "aws:acm/certificate:Certificate", "standby-cert");
        assert.deepStrictEqual([certificate.inputs.domainName, certificate.inputs.subjectAlternativeNames, certificate.inputs.validationMethod],
            ["app.example.org", ["app-standby.example.org"], "DNS"]);
        const validations = ofType(resources, "aws:route53/record:Record").filter(r => r.name.startsWith("standby-cert-validation-"));
        assert.strictEqual(validations.length, 2);
        const options = certificate.outputs!.domainValidationOptions;
        assert.deepStrictEqual(validations.map(v => [v.inputs.zoneId, v.inputs.name, v.inputs.type, v.inputs.records, v.inputs.allowOverwrite]),
            options.map((o: any) => ["ZEXISTING1", o.resourceRecordName, "CNAME", [o.resourceRecordValue], true]));
        const validated = named(resources, "aws:acm/certificateValidation:CertificateValidation", "standby-cert-validated");
        assert.strictEqual(validated.inputs.validationRecordFqdns.length, 2);
        const checked = named(resources, "aws:route53/record:Record", "standby-checked-host");
        const alb = named(resources, "aws:lb/loadBalancer:LoadBalancer", "standby-alb");
        assert.deepStrictEqual([checked.inputs.name, checked.inputs.type, checked.inputs.zoneId], ["app-standby.example.org", "A", "ZEXISTING1"]);
        assert.deepStrictEqual(checked.inputs.aliases, [{ name: alb.outputs!.dnsName, zoneId: alb.outputs!.zoneId, evaluateTargetHealth: false }]);
        assert.strictEqual(result.checkedHost, "app-standby.example.org");
        assert.strictEqual(await valueOf(result.dnsName), alb.outputs!.dnsName);
    });

    it("refuses no services, an unknown entry service, names too long for a target group and one public subnet", () => {
        assert.deepStrictEqual(validateEntryPointArgs("standby", { ...base, services: [], publicSubnetIds: ["subnet-a"] }), [
            "services: at least one service is needed to send traffic to",
            "publicSubnetIds: an Application Load Balancer needs subnets in at least two zones",
        ]);
        assert.deepStrictEqual(validateEntryPointArgs("standby", { ...base, services: ["ai", "notifications-hub"], entryService: "web" }), [
            "entryService web is not one of services",
            "services notifications-hub: target group names would pass AWS's 32 characters",
        ]);
        assert.match(constructionError(() => new EntryPoint("bad", { ...base, services: [] })).message, /EntryPoint bad: services: at least one/);
    });
});
