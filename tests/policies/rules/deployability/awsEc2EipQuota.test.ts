import * as assert from "assert";
import { EvaluatedResource } from "../../../../policies/evaluate";
import { awsEc2EipQuota } from "../../../../policies/rules";
import { evaluate, findings, resource, UNKNOWN_STRING } from "../../harness";

const SEOUL = "ap-northeast-2";
const TOKYO = "ap-northeast-1";
const seoulProvider = { type: "pulumi:providers:aws", name: "default", urn: "urn:pulumi:test::multicloud-dr::pulumi:providers:aws::default", inputs: { region: SEOUL } };

/** `count` Elastic IPs named `<prefix>-<i>` with the given inputs. */
function eips(prefix: string, count: number, inputs: Record<string, unknown>, extra: Partial<EvaluatedResource> = {}): EvaluatedResource[] {
    return [...Array(count).keys()].map(i => resource("aws:ec2/eip:Eip", `${prefix}-${i}`, { domain: "vpc", ...inputs }, extra));
}

// The default config: Seoul 3 NAT gateways (per-az), Tokyo 1 (single).
const compliant = [...eips("primary-nat-eip", 3, { region: SEOUL }), ...eips("standby-nat-eip", 1, { region: TOKYO })];

describe("policy aws-ec2-eip-quota", () => {
    it("accepts up to the default quota of 5 per region", async () => {
        assert.deepStrictEqual(await findings(awsEc2EipQuota, [...compliant, ...eips("extra", 2, { region: SEOUL })]), []);
    });

    it("reports a region whose count exceeds the quota, at the policy's advisory level", async () => {
        const evaluation = await evaluate(awsEc2EipQuota, [...compliant, ...eips("extra", 3, { region: SEOUL })]);
        assert.deepStrictEqual(evaluation.violations.map(v => [v.enforcementLevel, v.resource, v.message]), [[
            "advisory",
            undefined,
            "the stack allocates 6 Elastic IPs in ap-northeast-2, over the quota of 5 per region (maxElasticIpsPerRegion): the allocations past it fail with AddressLimitExceeded. Request an Elastic IP quota increase (Service Quotas code L-0263D0A3), or set primaryNatGateways: single",
        ]]);
    });

    it("counts against maxElasticIpsPerRegion from the policy config", async () => {
        assert.deepStrictEqual(await findings(awsEc2EipQuota, compliant, { maxElasticIpsPerRegion: 2 }), [
            "(stack): the stack allocates 3 Elastic IPs in ap-northeast-2, over the quota of 2 per region (maxElasticIpsPerRegion): the allocations past it fail with AddressLimitExceeded. Request an Elastic IP quota increase (Service Quotas code L-0263D0A3), or set primaryNatGateways: single",
        ]);
        assert.deepStrictEqual(await findings(awsEc2EipQuota, [...compliant, ...eips("extra", 7, { region: SEOUL })], { maxElasticIpsPerRegion: 10 }), []);
    });

    it("falls back to the provider's region (the aws:region config) when an Elastic IP has no region of its own", async () => {
        assert.deepStrictEqual(await findings(awsEc2EipQuota, [...compliant, ...eips("default-provider", 3, {}, { provider: seoulProvider })]), [
            "(stack): the stack allocates 6 Elastic IPs in ap-northeast-2, over the quota of 5 per region (maxElasticIpsPerRegion): the allocations past it fail with AddressLimitExceeded. Request an Elastic IP quota increase (Service Quotas code L-0263D0A3), or set primaryNatGateways: single",
        ]);
    });

    it("does not count an Elastic IP whose region is unknown at preview or named nowhere", async () => {
        const unknown = eips("unknown", 3, { region: UNKNOWN_STRING });
        const unknownProvider = eips("unknown-provider", 3, {}, { provider: { ...seoulProvider, inputs: { region: UNKNOWN_STRING } } });
        const nowhere = eips("nowhere", 3, {});
        assert.deepStrictEqual(await findings(awsEc2EipQuota, [...compliant, ...unknown, ...unknownProvider, ...nowhere]), []);
    });

    it("is not applicable without Elastic IPs", async () => {
        const evaluation = await evaluate(awsEc2EipQuota, [resource("aws:ec2/vpc:Vpc", "primary-vpc", { cidrBlock: "10.0.0.0/16" })]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no Elastic IP"]);
    });
});
