import * as assert from "assert";
import { drHealthCheckAlarmed } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";

const healthCheck = resource("aws:route53/healthCheck:HealthCheck", "primary-health", { fqdn: "seoul.example.com", type: "HTTPS" }, { id: "hc-1" });
const primary = resource("aws:route53/record:Record", "failover-primary", {
    zoneId: "Z1", name: "app.example.com", type: "CNAME", ttl: 60, failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1",
});
const alarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-down", {
    region: "us-east-1", namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: "hc-1" },
    comparisonOperator: "LessThanThreshold", threshold: 1, alarmActions: ["arn:aws:sns:us-east-1:123456789012:alerts"],
});

describe("policy dr-health-check-alarmed", () => {
    it("accepts an alarm in us-east-1 on the health check's status that notifies a topic", async () => {
        assert.deepStrictEqual(await findings(drHealthCheckAlarmed, [healthCheck, primary, alarm]), []);
    });

    it("reports a health check nobody watches", async () => {
        assert.deepStrictEqual(await findings(drHealthCheckAlarmed, [healthCheck, primary, changed(alarm, { dimensions: { HealthCheckId: "hc-other" } })]), [
            "primary-health: health check primary-health of PRIMARY record failover-primary has no CloudWatch alarm on its HealthCheckStatus: nobody is told when the primary fails",
        ]);
    });

    it("reports an alarm outside us-east-1, where the metric never arrives", async () => {
        assert.deepStrictEqual(await findings(drHealthCheckAlarmed, [healthCheck, primary, changed(alarm, { region: "ap-northeast-2" })]), [
            "primary-down: alarm primary-down watches health check primary-health from ap-northeast-2, but Route 53 publishes health-check metrics only in us-east-1: it would never fire",
        ]);
    });

    it("reports an alarm without actions", async () => {
        assert.deepStrictEqual(await findings(drHealthCheckAlarmed, [healthCheck, primary, changed(alarm, { alarmActions: [] })]), [
            "primary-down: alarm primary-down has no alarmActions: it changes state without telling anyone",
        ]);
    });

    it("skips while the alarm's health-check dimension is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drHealthCheckAlarmed, [healthCheck, primary, changed(alarm, { dimensions: { HealthCheckId: UNKNOWN_STRING } })]), []);
    });
});
