import * as assert from "assert";
import { DeclaredResource } from "../../plan/runOffline";
import { diffResources, resourceDiffLines, shortValue, valueChanges } from "../../runbook/resourceDiff";

function resource(type: string, name: string, inputs: Record<string, unknown>, custom = true): DeclaredResource {
    return { type, name, inputs, secretInputs: [], urn: `urn:pulumi:s::p::${type}::${name}`, protect: false, custom };
}

describe("runbook: value-level diff of two program runs", () => {
    it("names each changed leaf by its path, matching named list items by name", () => {
        const before = { spec: { replicas: 1, template: { spec: { containers: [{ name: "app", env: [{ name: "A", value: "1" }, { name: "ROLE", value: "standby" }] }] } } } };
        const after = { spec: { replicas: 2, template: { spec: { containers: [{ name: "app", env: [{ name: "NEW", value: "x" }, { name: "A", value: "1" }, { name: "ROLE", value: "active" }] }] } } } };
        assert.deepStrictEqual(valueChanges(before, after), [
            { path: "spec.replicas", before: 1, after: 2 },
            { path: "spec.template.spec.containers[app].env[ROLE].value", before: "standby", after: "active" },
            { path: "spec.template.spec.containers[app].env[NEW]", before: undefined, after: { name: "NEW", value: "x" } },
        ]);
    });

    it("falls back to positions for unnamed lists and quotes keys that are not identifiers", () => {
        assert.deepStrictEqual(valueChanges({ args: ["a", "b"], labels: { "dr/site-role": "standby" } }, { args: ["a", "c", "d"], labels: { "dr/site-role": "active" } }), [
            { path: "args[1]", before: "b", after: "c" },
            { path: "args[2]", before: undefined, after: "d" },
            { path: "labels[\"dr/site-role\"]", before: "standby", after: "active" },
        ]);
        assert.deepStrictEqual(valueChanges({ a: { b: [1] } }, { a: { b: [1] } }), []);
    });

    it("compares resources a provider would hold by URN: added, removed, changed; components and stacks left out", () => {
        const before = [
            resource("pulumi:pulumi:Stack", "s", { x: 1 }, false),
            resource("dr:k8s:App", "app", { replicas: 1 }, false),
            resource("kubernetes:core/v1:ConfigMap", "settings", { data: { ROLE: "standby" } }),
            resource("kubernetes:core/v1:Service", "gone", {}),
            resource("kubernetes:core/v1:Service", "same", { spec: { port: 80 } }),
        ];
        const after = [
            resource("pulumi:pulumi:Stack", "s", { x: 2 }, false),
            resource("dr:k8s:App", "app", { replicas: 2 }, false),
            resource("kubernetes:core/v1:ConfigMap", "settings", { data: { ROLE: "active" } }),
            resource("kubernetes:core/v1:Service", "same", { spec: { port: 80 } }),
            resource("kubernetes:apps/v1:Deployment", "new", {}),
        ];
        const diff = diffResources(before, after);
        assert.deepStrictEqual(diff, {
            added: [{ type: "kubernetes:apps/v1:Deployment", name: "new" }],
            removed: [{ type: "kubernetes:core/v1:Service", name: "gone" }],
            changed: [{ type: "kubernetes:core/v1:ConfigMap", name: "settings", changes: [{ path: "data.ROLE", before: "standby", after: "active" }] }],
        });
        assert.deepStrictEqual(resourceDiffLines(diff), [
            "+1 added, -1 removed, ~1 changed",
            "  + kubernetes:apps/v1:Deployment  new",
            "  - kubernetes:core/v1:Service  gone",
            "  ~ kubernetes:core/v1:ConfigMap  settings",
            "      data.ROLE: standby -> active",
        ]);
    });

    it("never prints a secret input's values, only that it changes", () => {
        const before = { ...resource("kubernetes:core/v1:Secret", "db", { stringData: { password: "old" }, metadata: { name: "db" } }), secretInputs: ["stringData"] };
        const after = { ...resource("kubernetes:core/v1:Secret", "db", { stringData: { password: "new" }, metadata: { name: "db" } }), secretInputs: ["stringData"] };
        assert.deepStrictEqual(diffResources([before], [after]).changed, [
            { type: "kubernetes:core/v1:Secret", name: "db", changes: [{ path: "stringData", before: "[secret]", after: "[secret]" }] },
        ]);
        assert.deepStrictEqual(diffResources([before], [before]).changed, []);
    });

    it("prints values briefly: strings bare, absent as (none), long ones cut", () => {
        assert.deepStrictEqual([shortValue("active"), shortValue(""), shortValue(undefined), shortValue(true), shortValue({ a: 1 })], ["active", "\"\"", "(none)", "true", "{\"a\":1}"]);
        assert.strictEqual(shortValue("x".repeat(100), 10), "xxxxxxx...");
    });
});
