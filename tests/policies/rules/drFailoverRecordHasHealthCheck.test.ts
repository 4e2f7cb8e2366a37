import * as assert from "assert";
import { drFailoverRecordHasHealthCheck } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";

const RECORD = "aws:route53/record:Record";
const healthCheck = resource("aws:route53/healthCheck:HealthCheck", "primary-health", { fqdn: "seoul.example.com", type: "HTTPS", requestInterval: 30, failureThreshold: 3 }, { id: "hc-1" });
const primary = resource(RECORD, "failover-primary", {
    zoneId: "Z1", name: "app.example.com", type: "CNAME", ttl: 60, setIdentifier: "primary", records: ["seoul.example.com"],
    failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1",
});
const secondary = resource(RECORD, "failover-secondary", {
    zoneId: "Z1", name: "app.example.com.", type: "CNAME", ttl: 60, setIdentifier: "secondary", records: ["tokyo.example.com"],
    failoverRoutingPolicies: [{ type: "SECONDARY" }],
});

describe("policy dr-failover-record-has-health-check", () => {
    it("accepts a health-checked PRIMARY with a SECONDARY of the same name (trailing dot aside) and type", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [healthCheck, primary, secondary]), []);
    });

    it("reports a PRIMARY without a health check", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [healthCheck, changed(primary, { healthCheckId: undefined }), secondary]), [
            "failover-primary: PRIMARY failover record app.example.com (CNAME) has no health check: Route 53 would keep answering with the failed primary. Set healthCheckId, or evaluateTargetHealth on its alias",
        ]);
    });

    it("accepts an alias PRIMARY that evaluates its target's health instead", async () => {
        const alias = changed(primary, { healthCheckId: undefined, ttl: undefined, records: undefined, type: "A", aliases: [{ name: "lb.example.com", zoneId: "ZLB", evaluateTargetHealth: true }] });
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [alias, changed(secondary, { type: "A" })]), []);
    });

    it("reports a PRIMARY whose only partner has another type", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [healthCheck, primary, changed(secondary, { type: "A" })]), [
            "failover-primary: PRIMARY failover record app.example.com (CNAME) has no SECONDARY record with the same zone, name and type: there is nothing to fail over to",
        ]);
    });

    it("reports a PRIMARY with no SECONDARY at all", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [healthCheck, primary]), [
            "failover-primary: PRIMARY failover record app.example.com (CNAME) has no SECONDARY record with the same zone, name and type: there is nothing to fail over to",
        ]);
    });

    it("skips the partner check while a candidate's zone is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [healthCheck, primary, changed(secondary, { zoneId: UNKNOWN_STRING })]), []);
    });

    it("accepts a health check id that is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drFailoverRecordHasHealthCheck, [changed(primary, { healthCheckId: UNKNOWN_STRING }), secondary]), []);
    });
});
