import * as assert from "assert";
import { drDetectionWithinRto } from "../../../policies/rules";
import { changed, findings, resource, UNKNOWN_STRING } from "../harness";

const healthCheck = resource("aws:route53/healthCheck:HealthCheck", "primary-health", { fqdn: "seoul.example.com", type: "HTTPS", requestInterval: 30, failureThreshold: 3 }, { id: "hc-1" });
const primary = resource("aws:route53/record:Record", "failover-primary", {
    zoneId: "Z1", name: "app.example.com", type: "CNAME", ttl: 60, failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1",
});

describe("policy dr-detection-within-rto", () => {
    it("accepts the seeds' 30 s x 3 + 60 s TTL = 150 s within the default 180 s", async () => {
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [healthCheck, primary]), []);
    });

    it("reports a failure threshold that pushes detection past the budget", async () => {
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [changed(healthCheck, { failureThreshold: 5 }), primary]), [
            "failover-primary: PRIMARY failover record app.example.com fails over after up to 210 s (health check primary-health: 30 s x 5 failures, then TTL 60 s); the budget is 180 s",
        ]);
    });

    it("reports a long TTL", async () => {
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [healthCheck, changed(primary, { ttl: 300 })]), [
            "failover-primary: PRIMARY failover record app.example.com fails over after up to 390 s (health check primary-health: 30 s x 3 failures, then TTL 300 s); the budget is 180 s",
        ]);
    });

    it("uses Route 53's defaults (30 s, 3 failures) when the health check leaves them unset", async () => {
        const defaults = changed(healthCheck, { requestInterval: undefined, failureThreshold: undefined });
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [defaults, primary], { maxDetectionSeconds: 120 }), [
            "failover-primary: PRIMARY failover record app.example.com fails over after up to 150 s (health check primary-health: 30 s x 3 failures, then TTL 60 s); the budget is 120 s",
        ]);
    });

    it("finds the health check through the engine's property dependency when its id is unknown", async () => {
        const pending = changed(primary, { healthCheckId: UNKNOWN_STRING });
        const linked = { ...pending, propertyDependencies: { healthCheckId: [healthCheck.urn] } };
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [{ ...healthCheck, id: undefined }, linked], { maxDetectionSeconds: 100 }), [
            "failover-primary: PRIMARY failover record app.example.com fails over after up to 150 s (health check primary-health: 30 s x 3 failures, then TTL 60 s); the budget is 100 s",
        ]);
    });

    it("skips a record whose health check cannot be identified at preview", async () => {
        assert.deepStrictEqual(await findings(drDetectionWithinRto, [healthCheck, changed(primary, { healthCheckId: UNKNOWN_STRING })], { maxDetectionSeconds: 100 }), []);
    });
});
