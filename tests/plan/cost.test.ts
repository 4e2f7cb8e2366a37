import * as assert from "assert";
import { estimateCost } from "../../plan/cost/estimate";
import { HOURS_PER_MONTH, PRICES, priceOf } from "../../plan/cost/prices";
import { DeclaredResource } from "../../plan/runOffline";

function resource(type: string, name: string, inputs: Record<string, any>): DeclaredResource {
    return { type, name, inputs, secretInputs: [], urn: `urn:${name}`, protect: false, custom: true };
}

describe("plan: cost estimate", () => {
    it("keeps a source, a date and a basis beside every price", () => {
        for (const [key, prices] of Object.entries(PRICES)) {
            for (const price of prices) {
                assert.match(price.source.url, /^https:\/\//, key);
                assert.match(price.source.asOf, /^\d{4}-\d{2}$/, key);
                assert.ok(["checked", "list"].includes(price.source.basis), key);
                assert.ok(price.usd > 0, key);
            }
        }
    });

    it("prices by region, falling back to a price valid everywhere", () => {
        assert.strictEqual(priceOf("ec2:t3.large", "ap-northeast-1")?.usd, 0.1088);
        assert.strictEqual(priceOf("eks-cluster", "eu-west-1")?.usd, 0.10);
        assert.strictEqual(priceOf("ec2:t3.large", "eu-west-1"), undefined);
    });

    it("multiplies node groups by their desired size and health checks by their options", () => {
        const estimate = estimateCost([
            resource("aws:eks/nodeGroup:NodeGroup", "nodes", { region: "ap-northeast-2", instanceTypes: ["t3.large"], scalingConfig: { desiredSize: 4 }, tags: { "dr:site": "standby" } }),
            resource("aws:route53/healthCheck:HealthCheck", "check", { type: "HTTPS", requestInterval: 10, tags: { "dr:site": "global" } }),
        ]);
        const nodes = estimate.items.find(i => i.priceKey === "ec2:t3.large")!;
        assert.strictEqual(nodes.quantity, 4);
        assert.strictEqual(nodes.monthlyUsd, Math.round(4 * 0.104 * HOURS_PER_MONTH * 100) / 100);
        assert.strictEqual(estimate.items.find(i => i.priceKey === "route53-health-check-option")?.quantity, 2, "HTTPS and 10 s are options");
        assert.deepStrictEqual(Object.keys(estimate.monthlyUsdBySite).sort(), ["global", "standby"]);
        assert.strictEqual(estimate.monthlyUsd, Math.round(estimate.items.reduce((sum, i) => sum + i.monthlyUsd, 0) * 100) / 100);
    });

    it("lists what it cannot price, with a reason, instead of counting it as zero", () => {
        const estimate = estimateCost([
            resource("aws:dynamodb/table:Table", "chats", { region: "ap-northeast-2" }),
            resource("aws:ec2/instance:Instance", "big", { region: "ap-northeast-2", instanceType: "m7i.48xlarge" }),
            resource("aws:lambda/function:Function", "f", { region: "ap-northeast-2" }),
            resource("aws:ec2/vpc:Vpc", "vpc", { region: "ap-northeast-2" }),
        ]);
        assert.deepStrictEqual(estimate.unpriced.map(u => [u.name, u.reason]), [
            ["chats", "on-demand: per request and GB stored (replicas: per replicated write)"],
            ["big", "no price for ec2:m7i.48xlarge in ap-northeast-2"],
            ["f", "no price in the table for this resource type"],
        ]);
        assert.strictEqual(estimate.freeCount, 1);
        assert.strictEqual(estimate.monthlyUsd, 0);
    });

    it("prices a cluster past EKS standard support at the extended rate, one in standard support at the standard rate", () => {
        const clusters = [
            resource("aws:eks/cluster:Cluster", "old", { region: "ap-northeast-2", version: "1.33" }),
            resource("aws:eks/cluster:Cluster", "current", { region: "ap-northeast-2", version: "1.35" }),
        ];
        const onDecember2 = estimateCost(clusters, new Date("2026-12-02T00:00:00Z"));
        assert.deepStrictEqual(onDecember2.items.map(i => [i.resource.name, i.priceKey, i.monthlyUsd]), [
            ["old", "eks-cluster-extended", Math.round(0.60 * HOURS_PER_MONTH * 100) / 100],
            ["current", "eks-cluster", Math.round(0.10 * HOURS_PER_MONTH * 100) / 100],
        ]);
        // 1.33 was still in standard support before 2026-07-29.
        const inJune = estimateCost(clusters, new Date("2026-06-01T00:00:00Z"));
        assert.deepStrictEqual(inJune.items.map(i => i.priceKey), ["eks-cluster", "eks-cluster"]);
    });

    it("prices a Front Door profile by its SKU's base fee and counts its endpoint, origins, domain and route as free", () => {
        const cdn = (kind: string, name: string, inputs: Record<string, any> = {}) => resource(`azure-native:cdn:${kind}`, name, { resourceGroupName: "rg", ...inputs });
        const estimate = estimateCost([
            cdn("Profile", "front", { location: "Global", sku: { name: "Standard_AzureFrontDoor" }, tags: { "dr:site": "standby" } }),
            cdn("Profile", "premium", { location: "Global", sku: { name: "Premium_AzureFrontDoor" }, tags: { "dr:site": "standby" } }),
            cdn("AFDEndpoint", "endpoint", { location: "Global" }),
            cdn("AFDOriginGroup", "group"),
            cdn("AFDOrigin", "origin"),
            cdn("AFDCustomDomain", "domain"),
            cdn("Route", "route"),
        ]);
        assert.deepStrictEqual(estimate.items.map(i => [i.resource.name, i.priceKey, i.monthlyUsd]), [
            ["front", "azure-frontdoor:Standard_AzureFrontDoor", 35],
            ["premium", "azure-frontdoor:Premium_AzureFrontDoor", 330],
        ]);
        assert.match(estimate.items[0].excludes!, /requests/);
        assert.deepStrictEqual([estimate.freeCount, estimate.unpriced], [5, []]);
        assert.strictEqual(priceOf("cloudfront-flat-rate:Pro", "*")?.usd, 15, "the compared CloudFront plan is in the table");
    });

    it("ignores components and prices a gateway endpoint as free, an interface endpoint per zone", () => {
        const estimate = estimateCost([
            { ...resource("dr:aws:Network", "net", {}), custom: false },
            resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { region: "ap-northeast-2", vpcEndpointType: "Gateway" }),
            resource("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr", { region: "ap-northeast-2", vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] }),
        ]);
        assert.strictEqual(estimate.freeCount, 1);
        assert.deepStrictEqual(estimate.items.map(i => [i.resource.name, i.quantity]), [["ecr", 3]]);
    });
});
