import * as assert from "assert";
import { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies, hasMandatoryViolation, PolicyConfigError } from "../../policies/evaluate";
import { allPolicies, awsRdsEncrypted, drReplicationTimeBounded } from "../../policies/rules";
import { resource, UNKNOWN_STRING } from "./harness";

const PACK_POLICIES = [
    "dr-cidr-no-overlap", "dr-failover-record-has-health-check", "dr-detection-within-rto", "dr-health-check-alarmed", "dr-data-residency",
    "dr-stateful-resources-protected", "dr-backup-shipping-meets-rpo", "dr-backups-immutable", "dr-replication-time-bounded",
    "aws-rds-encrypted", "aws-s3-public-access-blocked", "aws-ec2-imdsv2", "aws-sg-no-world-admin-ports", "aws-iam-no-wildcard-actions",
    "azure-storage-secure-transport", "azure-mysql-secure", "azure-vm-ssh-key-only",
    "aws-lambda-no-reserved-concurrency", "aws-ec2-ami-pinned", "aws-eks-version-supported", "aws-rds-final-snapshot-unique",
    "aws-resource-name-limits", "aws-route53-record-unique", "aws-lb-listener-rule-priority-unique", "aws-ec2-eip-quota",
    "aws-s3-log-target-sse-s3", "azure-storage-account-level-worm", "azure-storage-lifecycle-reachable",
    "kubernetes-pdb-unhealthy-eviction", "kubernetes-nonroot-numeric-user",
];
const unencrypted = resource("aws:rds/instance:Instance", "db", { storageEncrypted: false }, { protect: true, parentUrn: "urn:parent" });

/** A resource policy that records the args it was given. */
function spyResource(seen: ResourceValidationArgs[], extra: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy {
    return {
        name: "spy-resource",
        description: "Records its args.",
        enforcementLevel: "mandatory",
        configSchema: { properties: { threshold: { type: "integer", default: 3 }, regions: { type: "array", items: { type: "string" }, default: ["a"] } } },
        validateResource: args => {
            seen.push(args);
        },
        ...extra,
    };
}

/** A stack policy that records the args it was given. */
function spyStack(seen: StackValidationArgs[]): StackValidationPolicy {
    return { name: "spy-stack", description: "Records its args.", enforcementLevel: "advisory", validateStack: args => void seen.push(args) };
}

describe("policy evaluator", () => {
    it("lists every policy of the pack with its level and kind", async () => {
        const evaluation = await evaluatePolicies([]);
        assert.deepStrictEqual(evaluation.policies.map(p => p.name), PACK_POLICIES);
        assert.deepStrictEqual(allPolicies.map(p => p.name), PACK_POLICIES);
        assert.deepStrictEqual(evaluation.policies.find(p => p.name === "dr-cidr-no-overlap"), { name: "dr-cidr-no-overlap", enforcementLevel: "mandatory", kind: "stack" });
        assert.deepStrictEqual(evaluation.policies.find(p => p.name === "dr-replication-time-bounded"), { name: "dr-replication-time-bounded", enforcementLevel: "advisory", kind: "resource" });
    });

    it("describes every policy: kebab-case name, description, level, severity and remediation steps", () => {
        for (const policy of allPolicies) {
            assert.match(policy.name, /^(dr|aws|azure|kubernetes)-[a-z0-9]+(-[a-z0-9]+)+$/, policy.name);
            assert.ok(policy.description.length > 20 && policy.remediationSteps && policy.remediationSteps.length > 20, policy.name);
            assert.ok(policy.enforcementLevel && policy.severity, policy.name);
        }
    });

    it("reports a violation with the policy's level, description, severity and the resource", async () => {
        const evaluation = await evaluatePolicies([unencrypted], { policies: [awsRdsEncrypted] });
        assert.deepStrictEqual(evaluation.violations, [{
            policy: "aws-rds-encrypted",
            enforcementLevel: "mandatory",
            message: "does not set storageEncrypted: true, so the database, its snapshots and its replicas are stored unencrypted",
            description: awsRdsEncrypted.description,
            severity: "high",
            resource: { type: "aws:rds/instance:Instance", name: "db", urn: unencrypted.urn },
        }]);
        assert.strictEqual(hasMandatoryViolation(evaluation), true);
    });

    it("takes a bare level string per policy, as --policy-pack-config does", async () => {
        const evaluation = await evaluatePolicies([unencrypted], { policies: [awsRdsEncrypted], policyConfig: { "aws-rds-encrypted": "advisory" } });
        assert.deepStrictEqual(evaluation.violations.map(v => v.enforcementLevel), ["advisory"]);
        assert.strictEqual(hasMandatoryViolation(evaluation), false);
    });

    it("applies `all` to every policy, and a policy's own level over `all`", async () => {
        const evaluation = await evaluatePolicies([unencrypted], { policyConfig: { all: "advisory", "dr-data-residency": { enforcementLevel: "mandatory" } } });
        assert.ok(evaluation.policies.filter(p => p.name !== "dr-data-residency").every(p => p.enforcementLevel === "advisory"));
        assert.strictEqual(evaluation.policies.find(p => p.name === "dr-data-residency")?.enforcementLevel, "mandatory");
    });

    it("does not run a disabled policy", async () => {
        const seen: ResourceValidationArgs[] = [];
        const evaluation = await evaluatePolicies([unencrypted], { policies: [spyResource(seen), awsRdsEncrypted], policyConfig: { "spy-resource": "disabled", "aws-rds-encrypted": { enforcementLevel: "disabled" } } });
        assert.strictEqual(seen.length, 0);
        assert.deepStrictEqual(evaluation.violations, []);
        assert.deepStrictEqual(evaluation.policies.map(p => p.enforcementLevel), ["disabled", "disabled"]);
    });

    it("reports violations of a remediate-level policy as mandatory, as the analyzer does", async () => {
        const evaluation = await evaluatePolicies([unencrypted], { policies: [awsRdsEncrypted], policyConfig: { "aws-rds-encrypted": "remediate" } });
        assert.deepStrictEqual(evaluation.policies.map(p => p.enforcementLevel), ["remediate"]);
        assert.deepStrictEqual(evaluation.violations.map(v => v.enforcementLevel), ["mandatory"]);
    });

    it("gives resource policies the analyzer's args: type, name, urn, opts, stack tags, config with defaults", async () => {
        const seen: ResourceValidationArgs[] = [];
        await evaluatePolicies([unencrypted], { policies: [spyResource(seen)], policyConfig: { "spy-resource": { threshold: 5 } }, stackTags: { owner: "sre" } });
        const [args] = seen;
        assert.deepStrictEqual([args.type, args.name, args.urn], ["aws:rds/instance:Instance", "db", unencrypted.urn]);
        assert.deepStrictEqual(args.opts, { protect: true, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: "urn:parent" });
        assert.strictEqual(args.stackTags.get("owner"), "sre");
        assert.ok(Object.isFrozen(args.stackTags));
        assert.deepStrictEqual(args.getConfig(), { threshold: 5, regions: ["a"] });
        (args.getConfig<{ regions: string[] }>()).regions.push("mutated");
        assert.deepStrictEqual(args.getConfig(), { threshold: 5, regions: ["a"] }, "each call returns a fresh copy");
        assert.strictEqual(args.isType({ __pulumiType: "aws:rds/instance:Instance" } as never), true);
        assert.strictEqual(args.asType({ __pulumiType: "aws:s3/bucket:Bucket" } as never), undefined);
        assert.throws(() => args.notApplicable("why"), /why/);
    });

    it("wraps props in the analyzer's unknown-checking proxy and drops undefined inputs", async () => {
        const seen: ResourceValidationArgs[] = [];
        await evaluatePolicies([resource("aws:s3/bucket:Bucket", "b", { bucket: UNKNOWN_STRING, region: "ap-northeast-2", tags: undefined })], { policies: [spyResource(seen)] });
        const [args] = seen;
        assert.deepStrictEqual(Object.keys(args.props), ["bucket", "region"]);
        assert.strictEqual(args.props.region, "ap-northeast-2");
        assert.throws(() => args.props.bucket, /string value at \.bucket can't be known during preview/);
    });

    it("records notApplicable, including the analyzer's fast path for typed validations", async () => {
        const evaluation = await evaluatePolicies([resource("aws:sns/topic:Topic", "t", {})], { policies: [awsRdsEncrypted] });
        assert.deepStrictEqual(evaluation.notApplicable, [{
            policy: "aws-rds-encrypted",
            reason: "Policy only applies to resources of types 'aws:rds/instance:Instance', 'aws:rds/cluster:Cluster'",
            resource: { type: "aws:sns/topic:Topic", name: "t", urn: "urn:pulumi:test::multicloud-dr::aws:sns/topic:Topic::t" },
        }]);
        const fast = await evaluatePolicies([resource("aws:sns/topic:Topic", "t", {})], { policies: [drReplicationTimeBounded] });
        assert.deepStrictEqual(fast.notApplicable.map(n => n.reason), ["Policy only applies to resources of type 'aws:s3/bucketReplicationConfig:BucketReplicationConfig'"]);
    });

    it("gives stack policies outputs with the id, and links parents and dependencies", async () => {
        const seen: StackValidationArgs[] = [];
        const parent = resource("dr:aws:Thing", "thing", {});
        const bucket = resource("aws:s3/bucket:Bucket", "b", { region: "ap-northeast-2" }, { id: "b-123", outputs: { bucket: "b-123", region: "ap-northeast-2" }, parentUrn: parent.urn });
        const block = resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: "b-123" }, { dependencies: [bucket.urn], propertyDependencies: { bucket: [bucket.urn] } });
        await evaluatePolicies([parent, bucket, block], { policies: [spyStack(seen)], stackTags: { env: "dr" } });
        const [args] = seen;
        const [, stackBucket, stackBlock] = args.resources;
        assert.deepStrictEqual({ ...stackBucket.props }, { bucket: "b-123", region: "ap-northeast-2", id: "b-123" });
        assert.strictEqual(stackBucket.parent?.name, "thing");
        assert.deepStrictEqual(stackBlock.dependencies.map(d => d.name), ["b"]);
        assert.deepStrictEqual(stackBlock.propertyDependencies.bucket.map(d => d.name), ["b"]);
        assert.strictEqual(args.stackTags.get("env"), "dr");
    });

    it("attributes stack violations to the reported URN, or to the stack", async () => {
        const reporter: StackValidationPolicy = {
            name: "reporter", description: "Reports twice.", enforcementLevel: "mandatory",
            validateStack: (args, report) => {
                report("about the bucket", args.resources[0].urn);
                report("about the stack");
            },
        };
        const bucket = resource("aws:s3/bucket:Bucket", "b", {});
        const evaluation = await evaluatePolicies([bucket], { policies: [reporter] });
        assert.deepStrictEqual(evaluation.violations.map(v => [v.message, v.resource?.name]), [["about the bucket", "b"], ["about the stack", undefined]]);
    });

    it("fails like the analyzer when a policy throws", async () => {
        const broken: ResourceValidationPolicy = { name: "broken", description: "Throws.", enforcementLevel: "advisory", validateResource: () => { throw new Error("boom"); } };
        await assert.rejects(evaluatePolicies([unencrypted], { policies: [broken] }), {
            message: "Error validating resource with policy 'broken' from policy pack 'multicloud-dr@v0.1.0': boom",
        });
    });

    it("names every config problem at once: policy, key and what is wrong", async () => {
        const policyConfig = {
            "dr-data-residence": { allowedRegions: ["ap-northeast-2"] },
            "dr-data-residency": { allowedRegion: ["ap-northeast-2"] },
            "dr-detection-within-rto": { maxDetectionSeconds: "3 minutes" },
            "aws-ec2-imdsv2": "strict",
            "aws-rds-encrypted": { requireCustomerManagedKey: true },
        };
        await assert.rejects(evaluatePolicies([], { policyConfig }), (error: unknown) => {
            assert.ok(error instanceof PolicyConfigError);
            assert.strictEqual(error.message, [
                "Invalid policy config (4 problems):",
                "  - dr-data-residence: not a policy in this pack (did you mean dr-data-residency?)",
                "  - aws-ec2-imdsv2: \"strict\" is not an enforcement level (advisory, mandatory, remediate, disabled)",
                "  - dr-detection-within-rto.maxDetectionSeconds: expected integer, got string \"3 minutes\"",
                "  - dr-data-residency.allowedRegion: unknown key (did you mean allowedRegions?); known keys: allowedRegions",
            ].join("\n"));
            return true;
        });
    });

    it("refuses a key on a policy that takes no config, and a config that is not an object", async () => {
        await assert.rejects(evaluatePolicies([], { policyConfig: { "aws-s3-public-access-blocked": { strict: true } } }), /aws-s3-public-access-blocked\.strict: unknown key; the policy takes no config/);
        await assert.rejects(evaluatePolicies([], { policyConfig: ["aws-rds-encrypted"] }), /the policy config must be a JSON object keyed by policy name/);
    });

    it("refuses a pack it cannot evaluate faithfully", async () => {
        const exotic = spyResource([], { configSchema: { properties: { x: { type: "string", format: "email" } } } });
        await assert.rejects(evaluatePolicies([], { policies: [exotic] }), /spy-resource\.x: schema keyword format is not implemented by the offline evaluator/);
        const remediating = spyResource([], { name: "fixer", remediateResource: () => undefined });
        await assert.rejects(evaluatePolicies([], { policies: [remediating] }), /fixer: the offline evaluator does not run remediations/);
    });
});
