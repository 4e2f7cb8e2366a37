import * as assert from "assert";
import { FailoverDns, FailoverDnsArgs, publicZone, validateFailoverDnsArgs, worstCaseDetectionSeconds } from "../../components/aws";
import { valueOf } from "../../plan/mockCloud";
import { declare } from "../support/components";
import { named, ofType } from "../support/query";

const base: FailoverDnsArgs = {
    accountId: "123456789012",
    domainName: "example.org",
    hostedZoneId: "ZEXISTING1",
    recordName: "app",
    primaryTarget: { kind: "alias", dnsName: "seoul-alb-1.ap-northeast-2.elb.amazonaws.com", zoneId: "ZWC3LUN7UZMQK" },
    primaryCheckedHost: "app-primary.example.org",
    secondaryTarget: { kind: "alias", dnsName: "tokyo-alb-1.ap-northeast-1.elb.amazonaws.com", zoneId: "Z14GRHDCWA56QT" },
    secondaryCheckedHost: "app-standby.example.org",
    healthCheck: { path: "/health", port: 443, protocol: "HTTPS", intervalSeconds: 30, failureThreshold: 3 },
    ttlSeconds: 60,
};

describe("component: publicZone", () => {
    it("creates a zone kept on delete, or uses the one given without declaring anything", async () => {
        const created = await declare(() => publicZone("z", "example.org", undefined));
        assert.strictEqual(named(created.resources, "aws:route53/zone:Zone", "z").inputs.name, "example.org");
        assert.deepStrictEqual(await valueOf(created.result.nameServers), ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"]);
        const existing = await declare(() => publicZone("z", "example.org", "ZEXISTING1"));
        assert.strictEqual(existing.resources.length, 0);
        assert.strictEqual(await valueOf(existing.result.zoneId), "ZEXISTING1");
    });
});

describe("component: FailoverDns", () => {
    it("checks both origins and alarms on each by default", async () => {
        const { resources, result } = await declare(() => new FailoverDns("d", base));
        assert.ok(ofType(resources, "aws:route53/record:Record").every(r => r.inputs.zoneId === "ZEXISTING1"));
        assert.strictEqual(ofType(resources, "aws:route53/healthCheck:HealthCheck").length, 2);
        assert.strictEqual(ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 2);
        const primary = named(resources, "aws:route53/healthCheck:HealthCheck", "d-primary-health");
        assert.deepStrictEqual([primary.inputs.type, primary.inputs.port, primary.inputs.requestInterval, primary.inputs.enableSni], ["HTTPS", 443, 30, true]);
        assert.strictEqual(named(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "d-primary-down").inputs.treatMissingData, "notBreaching");
        assert.strictEqual(result.fqdn, "app.example.org");
        assert.strictEqual(result.detectionSeconds, 150);
    });

    it("skips the secondary check when asked and subscribes listeners", async () => {
        const { resources } = await declare(() => new FailoverDns("d", {
            ...base, secondaryCheckedHost: undefined, alertSubscriptions: [{ protocol: "email", endpoint: "oncall@example.org" }],
        }));
        assert.strictEqual(named(resources, "aws:route53/record:Record", "d-secondary").inputs.healthCheckId, undefined);
        assert.strictEqual(ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 1);
        const subscription = named(resources, "aws:sns/topicSubscription:TopicSubscription", "d-alert-0");
        assert.deepStrictEqual([subscription.inputs.protocol, subscription.inputs.endpoint, subscription.inputs.region], ["email", "oncall@example.org", "us-east-1"]);
    });

    it("probes each site on its checked host (so Host header and SNI name it) and aliases the records to the load balancers", async () => {
        const { resources, result } = await declare(() => new FailoverDns("d", base));
        const checks = Object.fromEntries(ofType(resources, "aws:route53/healthCheck:HealthCheck").map(c => [c.name, c.inputs]));
        assert.deepStrictEqual([checks["d-primary-health"].fqdn, checks["d-primary-health"].enableSni], ["app-primary.example.org", true]);
        assert.strictEqual(checks["d-secondary-health"].fqdn, "app-standby.example.org");
        const primary = named(resources, "aws:route53/record:Record", "d-primary");
        assert.strictEqual(primary.inputs.type, "A");
        assert.deepStrictEqual(primary.inputs.aliases, [{ name: "seoul-alb-1.ap-northeast-2.elb.amazonaws.com", zoneId: "ZWC3LUN7UZMQK", evaluateTargetHealth: false }]);
        assert.strictEqual(primary.inputs.ttl, undefined, "alias records take the load balancer's TTL");
        assert.strictEqual(primary.inputs.records, undefined);
        assert.deepStrictEqual(named(resources, "aws:route53/record:Record", "d-secondary").inputs.aliases[0].name, "tokyo-alb-1.ap-northeast-1.elb.amazonaws.com");
        assert.strictEqual(result.detectionSeconds, 30 * 3 + 60);
    });

    it("makes a CNAME pair when the secondary is a host outside AWS", async () => {
        const { resources } = await declare(() => new FailoverDns("d", {
            ...base,
            primaryTarget: { kind: "cname", host: "seoul-alb-1.ap-northeast-2.elb.amazonaws.com" },
            secondaryTarget: { kind: "cname", host: "maintenance.z12.web.core.windows.net" },
            secondaryCheckedHost: undefined,
            ttlSeconds: 30,
        }));
        const records = Object.fromEntries(ofType(resources, "aws:route53/record:Record").map(r => [r.name, r.inputs]));
        assert.deepStrictEqual([records["d-primary"].type, records["d-primary"].records, records["d-primary"].ttl], ["CNAME", ["seoul-alb-1.ap-northeast-2.elb.amazonaws.com"], 30]);
        assert.deepStrictEqual([records["d-secondary"].type, records["d-secondary"].records], ["CNAME", ["maintenance.z12.web.core.windows.net"]]);
        assert.strictEqual(named(resources, "aws:route53/healthCheck:HealthCheck", "d-primary-health").inputs.fqdn, "app-primary.example.org");
    });

    it("refuses a failover pair of two record types", () => {
        assert.deepStrictEqual(validateFailoverDnsArgs({ ...base, secondaryTarget: { kind: "cname", host: "maintenance.example.net" } }), [
            "primaryTarget is alias but secondaryTarget is cname: Route 53 pairs failover records of one name and type, and a CNAME cannot share its name with an A record",
        ]);
    });

    it("computes worst-case detection as interval x threshold + TTL", () => {
        assert.strictEqual(worstCaseDetectionSeconds({ intervalSeconds: 10, failureThreshold: 3 }, 30), 60);
        assert.strictEqual(worstCaseDetectionSeconds({ intervalSeconds: 30, failureThreshold: 10 }, 60), 360);
    });

    it("refuses a long TTL, an interval Route 53 lacks, a bad threshold and a relative path", () => {
        assert.deepStrictEqual(validateFailoverDnsArgs({
            ...base, ttlSeconds: 300, healthCheck: { path: "health", port: 443, protocol: "HTTPS", intervalSeconds: 20 as 10, failureThreshold: 0 },
        }), [
            "ttlSeconds: 300 is outside 1-60",
            "healthCheck.intervalSeconds: Route 53 probes every 10 or 30 seconds, not 20",
            "healthCheck.failureThreshold: 0 is outside 1-10",
            "healthCheck.path must start with /",
        ]);
    });
});
