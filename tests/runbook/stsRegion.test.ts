import * as assert from "assert";
import { stsRegionAwayFromPrimary } from "../../runbook/commands/stsRegion";

describe("runbook: STS calls leave the primary region before an outage deploy", () => {
    it("uses the standby region for warm standby and a region other than the primary for the pilot light", () => {
        assert.strictEqual(stsRegionAwayFromPrimary({ strategy: "warm-standby" }), "ap-northeast-1");
        assert.strictEqual(stsRegionAwayFromPrimary({ strategy: "warm-standby", standbyRegion: "ap-southeast-1" }), "ap-southeast-1");
        assert.strictEqual(stsRegionAwayFromPrimary({ strategy: "pilot-light" }), "us-east-1");
        assert.strictEqual(stsRegionAwayFromPrimary({ strategy: "pilot-light", primaryRegion: "us-east-1" }), "us-west-2");
    });
});
