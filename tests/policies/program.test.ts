import * as assert from "assert";
import { defineStack } from "../../program";
import { mockState } from "../../plan/mockCloud";
import { DeclaredResource, runProgram } from "../../plan/runOffline";
import { stackFileConfig } from "../../plan/stackFiles";
import { EvaluatedResource, evaluatePolicies, PolicyEvaluation } from "../../policies/evaluate";
import { allPolicies } from "../../policies/rules";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0dGVzdGtleWZvcm11bHRpY2xvdWRkcnRlc3RzMDAwMDAw ops@example.com";

/**
 * The program's resources under the mock runtime, each with the id and state the mock cloud
 * returned for it, as the engine hands stack policies the provider's outputs.
 */
async function programResources(stack: string, overrides: Record<string, unknown> = {}): Promise<EvaluatedResource[]> {
    const run = await runProgram(defineStack, { ...stackFileConfig(stack), ...overrides }, stack);
    return run.resources.map((declared: DeclaredResource) => {
        if (!declared.custom) {
            return declared;
        }
        const { id, state } = mockState(declared.type, declared.name, declared.inputs);
        return { ...declared, id, outputs: state };
    });
}

const STACKS: [string, string, Record<string, unknown>][] = [
    ["warm-standby", "normal times", {}],
    ["warm-standby", "failover=true", { "multicloud-dr:failover": true }],
    ["pilot-light", "normal times", {}],
    ["pilot-light", "emergency=true, serveApp=true", { "multicloud-dr:emergency": true, "multicloud-dr:serveApp": true, "multicloud-dr:azureSshPublicKey": SSH_KEY }],
];

describe("policy pack on the whole program (mock runtime)", () => {
    const runs = new Map<string, { resources: EvaluatedResource[]; evaluation: PolicyEvaluation }>();
    before(async () => {
        for (const [stack, mode, overrides] of STACKS) {
            const resources = await programResources(stack, overrides);
            runs.set(`${stack} ${mode}`, { resources, evaluation: await evaluatePolicies(resources) });
        }
    });

    for (const [stack, mode] of STACKS) {
        it(`${stack}, ${mode}: evaluates every policy and finds no mandatory violation`, () => {
            const { evaluation } = runs.get(`${stack} ${mode}`)!;
            assert.deepStrictEqual(evaluation.policies.map(p => p.name), allPolicies.map(p => p.name));
            assert.ok(evaluation.policies.every(p => p.enforcementLevel !== "disabled"));
            const mandatory = evaluation.violations.filter(v => v.enforcementLevel === "mandatory").map(v => `${v.policy} ${v.resource?.name}: ${v.message}`);
            assert.deepStrictEqual(mandatory, []);
            assert.deepStrictEqual(evaluation.violations, [], "no advisory findings either");
        });
    }

    it("applies the DR policies to what each stack declares (not applicable only where the stack has no such thing)", () => {
        const stackLevel = (key: string) => runs.get(key)!.evaluation.notApplicable.filter(n => n.resource === undefined).map(n => n.policy).sort();
        assert.deepStrictEqual(stackLevel("warm-standby normal times"), ["azure-storage-lifecycle-reachable", "dr-backup-shipping-meets-rpo", "dr-backups-immutable"]);
        // The pilot-light stack keeps no application buckets, so nothing is access-logged.
        assert.deepStrictEqual(stackLevel("pilot-light normal times"), ["aws-s3-log-target-sse-s3"]);
    });

    it("runs the AWS deployability policies on the resources they are about, in some stack", () => {
        const appliedTo = (policy: string) => [...new Set([...runs.values()].flatMap(({ resources, evaluation }) => {
            const skipped = new Set(evaluation.notApplicable.filter(n => n.policy === policy).map(n => n.resource?.urn));
            return resources.filter(r => !skipped.has(r.urn)).map(r => r.type);
        }))].sort();
        assert.deepStrictEqual(appliedTo("aws-lambda-no-reserved-concurrency"), ["aws:lambda/function:Function"]);
        assert.deepStrictEqual(appliedTo("aws-ec2-ami-pinned"), ["aws:ec2/instance:Instance"]);
        assert.deepStrictEqual(appliedTo("aws-eks-version-supported"), ["aws:eks/cluster:Cluster"]);
        assert.deepStrictEqual(appliedTo("aws-rds-final-snapshot-unique"), ["aws:rds/instance:Instance"]);
        const named = appliedTo("aws-resource-name-limits");
        for (const type of ["aws:iam/role:Role", "aws:lambda/function:Function", "aws:lb/loadBalancer:LoadBalancer", "aws:rds/instance:Instance", "aws:s3/bucket:Bucket"]) {
            assert.ok(named.includes(type), `aws-resource-name-limits runs on ${type}`);
        }
    });

    it("reports Tokyo's data as a mandatory dr-data-residency violation when only Seoul is allowed", async () => {
        const { resources } = runs.get("warm-standby normal times")!;
        const evaluation = await evaluatePolicies(resources, { policyConfig: { "dr-data-residency": { allowedRegions: ["ap-northeast-2"] } } });
        const residency = evaluation.violations.filter(v => v.policy === "dr-data-residency");
        assert.ok(residency.length > 0 && residency.every(v => v.enforcementLevel === "mandatory"));
        assert.ok(residency.some(v => v.resource?.name === "standby-mysql" && v.message === "stores data in ap-northeast-1, outside the allowed regions (ap-northeast-2)"));
        assert.ok(residency.some(v => v.message === "keeps a replica in ap-northeast-1, outside the allowed regions (ap-northeast-2)"));
    });

    it("does not run a policy the config disables, even where it would fail", async () => {
        const { resources } = runs.get("warm-standby normal times")!;
        const evaluation = await evaluatePolicies(resources, { policyConfig: { "dr-data-residency": { enforcementLevel: "disabled", allowedRegions: ["ap-northeast-2"] } } });
        assert.strictEqual(evaluation.policies.find(p => p.name === "dr-data-residency")?.enforcementLevel, "disabled");
        assert.deepStrictEqual(evaluation.violations.filter(v => v.policy === "dr-data-residency"), []);
        assert.ok(!evaluation.notApplicable.some(n => n.policy === "dr-data-residency"), "a disabled policy is not even asked whether it applies");
    });

    it("joins the program's side resources to what they protect: removing one is reported", async () => {
        const { resources } = runs.get("pilot-light normal times")!;
        const without = (predicate: (r: EvaluatedResource) => boolean, from = resources) => evaluatePolicies(from.filter(r => !predicate(r)));
        const messages = async (predicate: (r: EvaluatedResource) => boolean, from = resources) => (await without(predicate, from)).violations.map(v => `${v.policy}: ${v.resource?.name}`);
        // The pilot-light stack keeps no application buckets; the warm standby's show the bucket joins.
        const warm = runs.get("warm-standby normal times")!.resources;
        assert.deepStrictEqual(await messages(r => r.name === "portforge-team-public-access", warm), ["aws-s3-public-access-blocked: portforge-team"]);
        assert.deepStrictEqual(await messages(r => r.name === "portforge-team-versioning", warm), ["dr-stateful-resources-protected: portforge-team"]);
        assert.deepStrictEqual(await messages(r => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm"), ["dr-health-check-alarmed: failover-primary-health"]);
        // The agent's settings arrive through the backup instance's SSM document, not its user data.
        assert.deepStrictEqual(await messages(r => r.type === "aws:ssm/document:Document"), ["dr-backup-shipping-meets-rpo: drbackups-container"]);
        // Backups are write-once through the backup account's version-level WORM: without it, the container is reported.
        const withoutWorm = resources.map(r => (r.type === "azure-native:storage:StorageAccount" && r.name === "drbackups"
            ? { ...r, inputs: { ...r.inputs, immutableStorageWithVersioning: undefined }, outputs: r.outputs && { ...r.outputs, immutableStorageWithVersioning: undefined } }
            : r));
        assert.deepStrictEqual(await messages(() => false, withoutWorm), ["dr-backups-immutable: drbackups-container"]);
    });

    it("joins the program's records, listener rules, Elastic IPs and log buckets for the deployability stack policies: breaking one is reported", async () => {
        const { resources } = runs.get("warm-standby normal times")!;
        // Stack policies see the provider's outputs, so a change goes into inputs and outputs alike.
        const changing = (name: string, type: string, change: Record<string, unknown>) => resources.map(r => (r.name === name && r.type === type
            ? { ...r, inputs: { ...r.inputs, ...change }, outputs: r.outputs && { ...r.outputs, ...change } }
            : r));
        const found = async (from: EvaluatedResource[], policyConfig: Record<string, unknown> = {}) => (await evaluatePolicies(from, { policyConfig })).violations
            .map(v => `${v.policy} ${v.enforcementLevel} ${v.resource?.name ?? "(stack)"}`);
        assert.deepStrictEqual(await found(changing("standby-cert-validation-0", "aws:route53/record:Record", { allowOverwrite: false })), [
            "aws-route53-record-unique mandatory standby-cert-validation-0",
        ]);
        const aiPriority = resources.find(r => r.name === "primary-route-ai")!.inputs.priority;
        assert.deepStrictEqual(await found(changing("primary-route-auth", "aws:lb/listenerRule:ListenerRule", { priority: aiPriority })), [
            "aws-lb-listener-rule-priority-unique mandatory primary-route-auth",
        ]);
        const kms = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }];
        assert.deepStrictEqual(await found(changing("buckets-access-logs-encryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: kms })), [
            "aws-s3-log-target-sse-s3 mandatory buckets-access-logs",
        ]);
        assert.deepStrictEqual(await found(resources, { "aws-ec2-eip-quota": { maxElasticIpsPerRegion: 2 } }), ["aws-ec2-eip-quota advisory (stack)"]);
    });

    it("holds the maintenance site to HTTPS like every account, with no exemption to configure", async () => {
        for (const key of ["pilot-light normal times", "pilot-light emergency=true, serveApp=true"]) {
            const { evaluation } = runs.get(key)!;
            assert.deepStrictEqual(evaluation.violations.filter(v => v.policy === "azure-storage-secure-transport"), [], key);
        }
        const { resources } = runs.get("pilot-light normal times")!;
        const plainHttp = resources.map(r => (r.name === "maintenance-account" ? { ...r, inputs: { ...r.inputs, enableHttpsTrafficOnly: false } } : r));
        const evaluation = await evaluatePolicies(plainHttp);
        assert.deepStrictEqual(evaluation.violations.map(v => `${v.resource?.name}: ${v.message}`), [
            "maintenance-account: accepts plain HTTP (enableHttpsTrafficOnly: false): set it to true",
        ]);
    });
});
