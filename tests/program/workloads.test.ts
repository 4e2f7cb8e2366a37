import * as assert from "assert";
import { runStack } from "../support/stacks";
import { named, ofType } from "../support/query";
import { DeclaredResource } from "../../plan/runOffline";

const K = {
    deployment: "kubernetes:apps/v1:Deployment",
    configMap: "kubernetes:core/v1:ConfigMap",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    service: "kubernetes:core/v1:Service",
    provider: "pulumi:providers:kubernetes",
};

async function warmStandby(overrides: Record<string, unknown> = {}): Promise<DeclaredResource[]> {
    return (await runStack("warm-standby", overrides)).resources;
}

describe("program: workloads on both clusters", () => {
    let normal: DeclaredResource[];
    let failover: DeclaredResource[];
    before(async () => {
        normal = await warmStandby();
        failover = await warmStandby({ "multicloud-dr:failover": true });
    });

    it("runs the five services on each cluster, ready on /health, hardened", () => {
        const deployments = ofType(normal, K.deployment);
        assert.strictEqual(deployments.length, 10);
        assert.deepStrictEqual(deployments.filter(d => d.name.startsWith("standby-app-")).map(d => d.inputs.metadata.name).sort(), ["ai", "auth", "project", "support", "team"]);
        for (const deployment of deployments) {
            const container = deployment.inputs.spec.template.spec.containers[0];
            assert.strictEqual(container.readinessProbe.httpGet.path, "/health");
            assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
            assert.strictEqual(deployment.inputs.spec.template.spec.securityContext.runAsNonRoot, true);
            assert.strictEqual(container.envFrom[0].configMapRef.name, "site-settings");
        }
        assert.match(named(normal, K.deployment, "primary-app-ai").inputs.spec.template.spec.containers[0].image, /^\d{12}\.dkr\.ecr\.ap-northeast-2\.amazonaws\.com\/portforge-ai:latest$/);
        assert.match(named(normal, K.deployment, "standby-app-ai").inputs.spec.template.spec.containers[0].image, /\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/portforge-ai:latest$/);
        assert.strictEqual(ofType(normal, K.service).length, 10);
        assert.strictEqual(ofType(normal, K.provider).length, 2, "one Kubernetes provider per cluster");
    });

    it("keeps the standby minimal and read-only, pointed at Tokyo's replica, buckets and registry", () => {
        const settings = named(normal, K.configMap, "standby-app-settings").inputs.data;
        assert.strictEqual(settings.ROLE, "standby");
        assert.strictEqual(settings.REGION, "ap-northeast-1");
        assert.strictEqual(settings.DB_READ_ONLY, "true");
        assert.match(settings.DB_HOST, /^standby-mysql-[0-9a-f]+\.c[0-9a-f]+\.ap-northeast-1\.rds\.amazonaws\.com$/);
        assert.match(settings.S3_BUCKET_PORTFORGE_TEAM, /^portforge-team-dr-/);
        assert.match(settings.ECR_REGISTRY, /\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com$/);
        assert.ok(settings.DYNAMODB_TABLE_TEAM_CHATS_DDB);
        assert.strictEqual(named(normal, K.deployment, "standby-app-ai").inputs.spec.replicas, 1);
        assert.deepStrictEqual(named(normal, K.pdb, "standby-app-ai").inputs.spec.maxUnavailable, 1, "one pod may move during a drain");
        assert.strictEqual(named(normal, K.configMap, "primary-app-settings").inputs.data.ROLE, "primary");
        assert.strictEqual(named(normal, K.pdb, "primary-app-ai").inputs.spec.minAvailable, 1);
    });

    it("turns the standby active after failover: full size, writable, pods restarted on the new settings", () => {
        const settings = named(failover, K.configMap, "standby-app-settings").inputs.data;
        assert.strictEqual(settings.ROLE, "active");
        assert.strictEqual(settings.DB_READ_ONLY, "false");
        assert.strictEqual(named(failover, K.deployment, "standby-app-ai").inputs.spec.replicas, 2);
        const checksum = (rs: DeclaredResource[]) => named(rs, K.deployment, "standby-app-ai").inputs.spec.template.metadata.annotations["dr/settings-checksum"];
        assert.notStrictEqual(checksum(failover), checksum(normal));
        assert.deepStrictEqual(named(failover, K.configMap, "primary-app-settings").inputs, named(normal, K.configMap, "primary-app-settings").inputs);
    });

    it("declares no workloads when deployWorkloads is false", async () => {
        const resources = await warmStandby({ "multicloud-dr:deployWorkloads": false });
        assert.strictEqual(resources.filter(r => r.type.startsWith("kubernetes:")).length, 0);
    });
});
