import * as assert from "assert";
import { runStack } from "../support/stacks";
import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../../plan/mockCloud";
import { cloudResources, ofType, statementsOf } from "../support/query";
import { DeclaredResource } from "../../plan/runOffline";

const SCENARIOS: { name: string; stack: string; overrides: Record<string, unknown> }[] = [
    { name: "warm-standby", stack: "warm-standby", overrides: {} },
    { name: "warm-standby failover", stack: "warm-standby", overrides: { "multicloud-dr:failover": true } },
    { name: "pilot-light", stack: "pilot-light", overrides: {} },
    {
        name: "pilot-light emergency serving the app, generated SSH key",
        stack: "pilot-light",
        overrides: { "multicloud-dr:emergency": true, "multicloud-dr:serveApp": true },
    },
];

/** Ports that must never face the internet: SSH, RDP, databases and caches. */
const ADMIN_PORTS = [22, 3389, 3306, 5432, 1433, 6379, 27017];

/** Every policy document a resource carries, by where it sits. */
function policyDocuments(resources: DeclaredResource[]): { where: string; document: unknown }[] {
    const documents: { where: string; document: unknown }[] = [];
    for (const r of resources) {
        for (const field of ["policy", "assumeRolePolicy"]) {
            // ECR lifecycle policies are also called `policy`; only IAM-style documents have a Statement.
            if (typeof r.inputs[field] === "string" && JSON.parse(r.inputs[field]).Statement !== undefined) {
                documents.push({ where: `${r.type}::${r.name}.${field}`, document: r.inputs[field] });
            }
        }
        for (const inline of r.inputs.inlinePolicies ?? []) {
            documents.push({ where: `${r.type}::${r.name}.inlinePolicies`, document: inline.policy });
        }
    }
    return documents;
}

for (const scenario of SCENARIOS) {
    describe(`program security: ${scenario.name}`, () => {
        let resources: DeclaredResource[];
        let outputs: Record<string, unknown>;
        before(async () => {
            const run = await runStack(scenario.stack, scenario.overrides);
            resources = cloudResources(run.resources);
            outputs = run.outputs as unknown as Record<string, unknown>;
        });

        it("grants no `*` or `service:*` action in any policy", () => {
            const documents = policyDocuments(resources);
            assert.ok(documents.length >= 5, `found only ${documents.length} policy documents`);
            const wildcards = documents.flatMap(({ where, document }) => statementsOf(document)
                .filter(s => s.Effect === "Allow")
                .flatMap(s => ([] as string[]).concat(s.Action))
                .filter(action => action === "*" || /^[a-z0-9-]+:\*$/.test(action))
                .map(action => `${where}: ${action}`));
            assert.deepStrictEqual(wildcards, []);
        });

        it("opens only the load balancers' HTTPS and HTTP to the internet, and they reach nothing but pods", () => {
            const groups = ofType(resources, "aws:ec2/securityGroup:SecurityGroup");
            const open = groups.flatMap(sg => (sg.inputs.ingress ?? [])
                .filter((rule: any) => (rule.cidrBlocks ?? []).includes("0.0.0.0/0") || (rule.ipv6CidrBlocks ?? []).includes("::/0"))
                .map((rule: any) => `${sg.name}:${rule.fromPort}-${rule.toPort}`));
            const sites = scenario.stack === "warm-standby" ? ["primary", "standby"] : ["primary"];
            assert.deepStrictEqual(open.sort(), sites.flatMap(site => [`${site}-alb-sg:443-443`, `${site}-alb-sg:80-80`]).sort());
            for (const site of sites) {
                const alb = groups.find(sg => sg.name === `${site}-alb-sg`)!;
                assert.deepStrictEqual(alb.inputs.egress.map((rule: any) => [rule.fromPort, rule.toPort, rule.cidrBlocks.every((c: string) => c.startsWith("10."))]), [[8080, 8080, true]]);
            }
            assert.ok(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").every(rule => rule.inputs.cidrIpv4 === undefined && rule.inputs.referencedSecurityGroupId));
            const database = ofType(resources, "aws:ec2/securityGroup:SecurityGroup").filter(sg => sg.name.endsWith("-sg") && sg.inputs.description.startsWith("MySQL"));
            assert.ok(database.length >= 1);
            for (const sg of database) {
                assert.ok(sg.inputs.ingress.every((rule: any) => rule.fromPort === 3306 && rule.cidrBlocks.every((c: string) => c.startsWith("10."))));
            }
        });

        it("keeps databases private, TLS-only and encrypted", () => {
            for (const db of ofType(resources, "aws:rds/instance:Instance")) {
                assert.strictEqual(db.inputs.publiclyAccessible, false, db.name);
                assert.strictEqual(db.inputs.storageEncrypted, true, db.name);
            }
            for (const group of ofType(resources, "aws:rds/parameterGroup:ParameterGroup")) {
                const params = Object.fromEntries(group.inputs.parameters.map((p: any) => [p.name, p.value]));
                assert.strictEqual(params.require_secure_transport, "1");
                assert.strictEqual(params.binlog_format, "ROW");
            }
        });

        it("keeps Kubernetes API endpoints private and nodes on IMDSv2 with encrypted disks", () => {
            for (const cluster of ofType(resources, "aws:eks/cluster:Cluster")) {
                assert.strictEqual(cluster.inputs.vpcConfig.endpointPublicAccess, false);
                assert.deepStrictEqual(cluster.inputs.encryptionConfig.resources, ["secrets"]);
            }
            const templates = ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.ok(templates.length >= 1);
            for (const template of templates) {
                assert.strictEqual(template.inputs.metadataOptions.httpTokens, "required");
                assert.strictEqual(template.inputs.blockDeviceMappings[0].ebs.encrypted, "true");
            }
        });

        it("blocks public access to every bucket, encrypts it with KMS and refuses plain HTTP", () => {
            const buckets = ofType(resources, "aws:s3/bucket:Bucket").map(b => b.name);
            const blocks = ofType(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            for (const name of buckets) {
                const block = blocks.find(b => b.name === `${name}-public-access`);
                assert.ok(block, `${name} has no public access block`);
                assert.deepStrictEqual(
                    [block.inputs.blockPublicAcls, block.inputs.blockPublicPolicy, block.inputs.ignorePublicAcls, block.inputs.restrictPublicBuckets],
                    [true, true, true, true]);
                const sse = ofType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(e => e.name === `${name}-encryption`);
                // S3 writes server access logs only into SSE-S3 buckets; every other bucket uses the site's KMS key.
                assert.strictEqual(sse?.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, name.includes("access-logs") ? "AES256" : "aws:kms", name);
                const policy = ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").find(p => p.name === `${name}-tls-only` || p.name === `${name}-policy`);
                const deny = statementsOf(policy?.inputs.policy).find(statement => statement.Effect === "Deny");
                assert.deepStrictEqual(deny?.Condition, { Bool: { "aws:SecureTransport": "false" } }, name);
            }
        });

        it("rotates every KMS key and waits the longest window before deleting one", () => {
            for (const key of ofType(resources, "aws:kms/key:Key")) {
                assert.strictEqual(key.inputs.enableKeyRotation, true, key.name);
                assert.strictEqual(key.inputs.deletionWindowInDays, 30, key.name);
            }
        });

        it("never shows the generated password in a plain output", async () => {
            const [password] = ofType(resources, "random:index/randomPassword:RandomPassword");
            assert.ok(password, "a password is generated");
            const plain: string[] = [];
            for (const [key, value] of Object.entries(outputs)) {
                const secret = pulumi.Output.isInstance(value) ? await pulumi.isSecret(value) : false;
                if (!secret) {
                    plain.push(`${key}=${JSON.stringify(await valueOf(value as any))}`);
                }
            }
            assert.ok(plain.length > 5);
            assert.ok(!plain.join("\n").includes("MockPassword"), "a plain output holds the password");
            assert.ok(!plain.join("\n").includes("MockPrivateKey"), "a plain output holds a private key");
            assert.ok(!plain.join("\n").includes("sig=MockSig"), "a plain output holds a SAS");
        });

        it("hands the password to RDS and Secrets Manager only as a secret", () => {
            const withPassword = ofType(resources, "aws:rds/instance:Instance").filter(db => db.inputs.password !== undefined);
            assert.strictEqual(withPassword.length, 1, "only the primary takes a password; a replica inherits it");
            assert.ok(withPassword[0].secretInputs.includes("password"));
            const versions = ofType(resources, "aws:secretsmanager/secretVersion:SecretVersion");
            assert.ok(versions.length >= 1);
            assert.deepStrictEqual(versions.filter(v => !v.secretInputs.includes("secretString")).map(v => v.name), []);
        });

        it("keeps Azure storage on TLS 1.2 without public blob access, and every Azure secret secret", () => {
            for (const account of ofType(resources, "azure-native:storage:StorageAccount")) {
                assert.strictEqual(account.inputs.minimumTlsVersion, "TLS1_2", account.name);
                assert.strictEqual(account.inputs.allowBlobPublicAccess, false, account.name);
            }
            assert.deepStrictEqual(ofType(resources, "azure-native:keyvault:Secret").filter(x => !x.secretInputs.includes("properties")).map(x => x.name), []);
        });

        it("opens no admin or database port to the internet in Azure, and logs into VMs by key only", () => {
            const open = ofType(resources, "azure-native:network:NetworkSecurityGroup").flatMap(nsg => (nsg.inputs.securityRules ?? [])
                .filter((rule: any) => rule.access === "Allow" && rule.direction === "Inbound")
                .filter((rule: any) => ["*", "Internet", "0.0.0.0/0"].includes(rule.sourceAddressPrefix))
                .filter((rule: any) => rule.destinationPortRange === "*" || ADMIN_PORTS.includes(Number(rule.destinationPortRange)))
                .map((rule: any) => `${nsg.name}:${rule.name}`));
            assert.deepStrictEqual(open, []);
            for (const vm of ofType(resources, "azure-native:compute:VirtualMachine")) {
                assert.strictEqual(vm.inputs.osProfile.linuxConfiguration.disablePasswordAuthentication, true);
            }
            for (const instance of ofType(resources, "aws:ec2/instance:Instance")) {
                assert.strictEqual(instance.inputs.metadataOptions.httpTokens, "required");
            }
        });

        it("tags every taggable resource with its name, project, strategy and site", () => {
            const untagged = resources
                .filter(r => r.inputs.tags !== undefined && typeof r.inputs.tags === "object")
                .filter(r => !r.inputs.tags.Name || r.inputs.tags["dr:project"] !== "multicloud-dr" || !r.inputs.tags["dr:strategy"] || !r.inputs.tags["dr:site"]);
            assert.deepStrictEqual(untagged.map(r => r.name), []);
        });
    });
}
