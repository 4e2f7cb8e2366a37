import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, runProgram } from "../../plan/runOffline";
import { runStack } from "../support/stacks";

function resolved(output: pulumi.Output<string>): Promise<string> {
    return new Promise(resolve => output.apply(value => {
        resolve(value);
        return value;
    }));
}

class Custom extends pulumi.CustomResource {
    constructor(type: string, name: string, opts?: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

/** A stack child, a component, a component inside it and a resource inside that. */
function nested(): void {
    new Custom("aws:ec2/vpc:Vpc", "v");
    const outer = new pulumi.ComponentResource("dr:test:Outer", "outer");
    const inner = new pulumi.ComponentResource("dr:test:Inner", "inner", {}, { parent: outer });
    new Custom("aws:s3/bucket:Bucket", "b", { parent: inner });
}

function byName(resources: DeclaredResource[], name: string): DeclaredResource {
    return resources.find(r => r.name === name)!;
}

// Violations name resources by URN; a URN that a real preview does not print cannot be looked up.
describe("offline plan URNs have the engine's form", () => {
    it("gives a child of the stack its own type and a nested child its parents' whole type chain", async () => {
        const { resources } = await runProgram(nested, {}, "test");
        const urns = Object.fromEntries(resources.map(r => [r.name, r.urn]));
        assert.deepStrictEqual(urns, {
            "multicloud-dr-test": "urn:pulumi:test::multicloud-dr::pulumi:pulumi:Stack::multicloud-dr-test",
            v: "urn:pulumi:test::multicloud-dr::aws:ec2/vpc:Vpc::v",
            outer: "urn:pulumi:test::multicloud-dr::dr:test:Outer::outer",
            inner: "urn:pulumi:test::multicloud-dr::dr:test:Outer$dr:test:Inner::inner",
            b: "urn:pulumi:test::multicloud-dr::dr:test:Outer$dr:test:Inner$aws:s3/bucket:Bucket::b",
        });
        assert.strictEqual(byName(resources, "v").parentUrn, urns["multicloud-dr-test"]);
        assert.strictEqual(byName(resources, "inner").parentUrn, urns.outer);
        assert.strictEqual(byName(resources, "b").parentUrn, urns.inner);
    });

    it("agrees with the SDK's own createUrn (the form aliases are matched against) for every resource", async () => {
        const { resources } = await runProgram(nested, {}, "test");
        for (const r of resources.filter(r => r.parentUrn !== undefined)) {
            assert.strictEqual(r.urn, await resolved(pulumi.createUrn(r.name, r.type, r.parentUrn, "multicloud-dr", "test")));
        }
    });

    it("names the warm standby's primary VPC as a preview would, and links every resource to a declared parent", async () => {
        const { resources } = await runStack("warm-standby");
        assert.strictEqual(byName(resources, "primary-vpc").urn, "urn:pulumi:warm-standby::multicloud-dr::dr:aws:Network$aws:ec2/vpc:Vpc::primary-vpc");
        assert.deepStrictEqual(resources.filter(r => r.urn.includes("pulumi:pulumi:Stack$")).map(r => r.urn), []);
        const urns = new Set(resources.map(r => r.urn));
        assert.deepStrictEqual(resources.filter(r => r.parentUrn !== undefined && !urns.has(r.parentUrn)).map(r => r.urn), []);
    });
});
