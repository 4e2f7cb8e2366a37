import * as assert from "assert";
import { FailoverDns, FailoverDnsArgs } from "../../components/aws";
import { declare } from "../support/components";
import { named, ofType } from "../support/query";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const args: FailoverDnsArgs = {
    accountId: "123456789012",
    domainName: "example.org",
    hostedZoneId: "ZEXISTING1",
    recordName: "app",
    primaryTarget: { kind: "cname", host: "seoul.example.org" },
    primaryCheckedHost: "app-primary.example.org",
    secondaryTarget: { kind: "cname", host: "tokyo.example.org" },
    secondaryCheckedHost: "app-standby.example.org",
    healthCheck: { path: "/health", port: 443, protocol: "HTTPS", intervalSeconds: 30, failureThreshold: 3 },
    ttlSeconds: 60,
};

describe("component: FailoverDns health-check alarms", () => {
    it("alarm only after three failing minutes in a row, so one bad or missing data point never starts a failover", async () => {
        const { resources } = await declare(() => new FailoverDns("d", args));
        const alarms = ofType(resources, ALARM);
        assert.deepStrictEqual(alarms.map(a => a.name).sort(), ["d-primary-down", "d-secondary-down"]);
        for (const alarm of alarms) {
            const { period, evaluationPeriods, datapointsToAlarm, treatMissingData, statistic, threshold, comparisonOperator } = alarm.inputs;
            assert.deepStrictEqual(
                { period, evaluationPeriods, datapointsToAlarm, treatMissingData, statistic, threshold, comparisonOperator },
                { period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "notBreaching", statistic: "Minimum", threshold: 1, comparisonOperator: "LessThanThreshold" },
                alarm.name,
            );
        }
    });

    it("keeps watching the primary's health check and telling the alert topic, in us-east-1", async () => {
        const { resources } = await declare(() => new FailoverDns("d", args));
        const primary = named(resources, ALARM, "d-primary-down");
        assert.deepStrictEqual([primary.inputs.region, primary.inputs.namespace, primary.inputs.metricName], ["us-east-1", "AWS/Route53", "HealthCheckStatus"]);
        assert.match(primary.inputs.dimensions.HealthCheckId, /^d-primary-health-/);
        assert.strictEqual(primary.inputs.alarmActions.length, 1);
        assert.deepStrictEqual(primary.inputs.okActions, primary.inputs.alarmActions);
    });
});
