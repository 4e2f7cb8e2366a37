import * as assert from "assert";
import { DeclaredResource } from "../../plan/runOffline";
import { runStack } from "../support/stacks";

/** A resource whose inputs differ between two runs, or that only one of them declares. */
interface Change {
    readonly type: string;
    readonly name: string;
    readonly region?: string;
    readonly inputs: string[];
}

/** What a `pulumi up` from `before`'s config to `after`'s would create, update or delete (cloud resources only). */
function changesBetween(before: DeclaredResource[], after: DeclaredResource[]): Change[] {
    const cloud = (resources: DeclaredResource[]) => resources.filter(r => r.custom && !r.type.startsWith("pulumi:"));
    const old = new Map(cloud(before).map(r => [r.urn, r]));
    const now = new Map(cloud(after).map(r => [r.urn, r]));
    const changes: Change[] = [];
    for (const [urn, resource] of now) {
        const previous = old.get(urn);
        const keys = [...new Set([...Object.keys(previous?.inputs ?? {}), ...Object.keys(resource.inputs)])];
        const differing = previous === undefined
            ? ["(created)"]
            : keys.filter(key => JSON.stringify(previous.inputs[key]) !== JSON.stringify(resource.inputs[key]));
        if (differing.length > 0) {
            changes.push({ type: resource.type, name: resource.name, region: resource.inputs.region, inputs: differing.sort() });
        }
    }
    for (const [urn, resource] of old) {
        if (!now.has(urn)) {
            changes.push({ type: resource.type, name: resource.name, region: resource.inputs.region, inputs: ["(deleted)"] });
        }
    }
    return changes;
}

describe("docs/deployability.md: what a flag flip touches while the primary region is down", () => {
    it("warm standby: failover=true changes AWS resources only in the standby region, the replica's promotion among them", async () => {
        const before = await runStack("warm-standby", { failover: false });
        const after = await runStack("warm-standby", { failover: true });
        const aws = changesBetween(before.resources, after.resources).filter(c => c.type.startsWith("aws:"));
        const elsewhere = aws.filter(c => c.region !== "ap-northeast-1").map(c => `${c.type} ${c.name} in ${c.region ?? "a global service"}: ${c.inputs.join(",")}`);
        assert.deepStrictEqual(elsewhere, [], "the failover update would call another region than the standby's");
        const promotion = aws.find(c => c.type === "aws:rds/instance:Instance");
        assert.ok(promotion?.inputs.includes("replicateSourceDb"), `the replica is not promoted: ${JSON.stringify(aws)}`);
    });

    it("pilot light: emergency=true changes no AWS resource (Seoul is not called); Front Door's route moves to the gateway", async () => {
        const before = await runStack("pilot-light", { emergency: false, serveApp: false });
        const after = await runStack("pilot-light", { emergency: true, serveApp: false });
        const changes = changesBetween(before.resources, after.resources);
        const aws = changes.filter(c => c.type.startsWith("aws:")).map(c => `${c.type} ${c.name} in ${c.region ?? "a global service"}: ${c.inputs.join(",")}`);
        assert.deepStrictEqual(aws, [], "the emergency update would call AWS (the SECONDARY record points at Front Door in both states)");
        const route = changes.find(c => c.type === "azure-native:cdn:Route");
        assert.ok(route?.inputs.includes("originGroup"), `Front Door's route does not move to the gateway: ${JSON.stringify(changes.map(c => c.type))}`);
    });
});
