import * as assert from "assert";
import { DeclaredResource, ProgramRun } from "../../plan/runOffline";
import { runWorkloadsStack } from "../../workloads/offline";
import { IRSA_ROLE_ANNOTATION } from "../../workloads/serviceWorkloads";
import { named, ofType } from "../support/query";
import { runStack } from "../support/stacks";
import { K } from "./fixtures";

interface Deployed {
    readonly infra: ProgramRun<Record<string, unknown>>;
    readonly workloads: ProgramRun<unknown>;
}

async function deploy(infraStack: string, site: string, infraOverrides: Record<string, unknown> = {}): Promise<Deployed> {
    const infra = await runStack<Record<string, unknown>>(infraStack, infraOverrides);
    const workloads = await runWorkloadsStack(`${infraStack}-${site}`, infra.outputs, { imageTag: "2026.12.01" });
    return { infra, workloads };
}

function roleByArn(resources: DeclaredResource[], arn: string): DeclaredResource {
    const role = ofType(resources, "aws:iam/role:Role").find(r => r.outputs?.arn === arn);
    assert.ok(role, `the infrastructure declares no role ${arn}`);
    return role;
}

describe("workloads: against the infrastructure program's own outputs", () => {
    const cases = [
        { infraStack: "warm-standby", site: "primary", failover: false, role: "primary", replicas: 2, region: "ap-northeast-2" },
        { infraStack: "warm-standby", site: "standby", failover: false, role: "standby", replicas: 1, region: "ap-northeast-1" },
        { infraStack: "warm-standby", site: "primary", failover: true, role: "primary", replicas: 2, region: "ap-northeast-2" },
        { infraStack: "warm-standby", site: "standby", failover: true, role: "active", replicas: 2, region: "ap-northeast-1" },
        { infraStack: "pilot-light", site: "primary", failover: false, role: "primary", replicas: 2, region: "ap-northeast-2" },
    ];
    const runs = new Map<string, Deployed>();
    const key = (c: { infraStack: string; site: string; failover: boolean }) => `${c.infraStack}/${c.site}/${c.failover}`;
    before(async () => {
        for (const c of cases) {
            runs.set(key(c), await deploy(c.infraStack, c.site, c.failover ? { "multicloud-dr:failover": true } : {}));
        }
    });

    for (const c of cases) {
        it(`deploys ${c.infraStack}'s ${c.site} site with failover ${c.failover ? "on" : "off"}: ${c.role}, ${c.replicas} pods per service`, () => {
            const { infra, workloads } = runs.get(key(c))!;
            const name = `${c.site}-app`;
            const data = named(workloads.resources, K.configMap, `${name}-settings`).inputs.data;
            assert.strictEqual(data.ROLE, c.role);
            assert.strictEqual(data.REGION, c.region);
            assert.strictEqual(data.DB_READ_ONLY, String(c.role === "standby"));
            assert.match(data.DB_SECRET_ARN, new RegExp(`^arn:aws:secretsmanager:${c.region}:`), "the site's own copy of the secret");
            const deployments = ofType(workloads.resources, K.deployment);
            assert.ok(deployments.length > 0);
            assert.ok(deployments.every(d => d.inputs.spec.replicas === c.replicas));

            const cluster = ofType(infra.resources, "aws:eks/cluster:Cluster").find(r => r.outputs?.region === c.region || r.inputs.region === c.region)!;
            const kubeconfig = JSON.parse(named(workloads.resources, K.provider, `${name}-k8s`).inputs.kubeconfig);
            assert.strictEqual(kubeconfig.clusters[0].cluster.server, cluster.outputs!.endpoint);

            const targetGroups = ofType(infra.resources, "aws:lb/targetGroup:TargetGroup").filter(r => r.inputs.region === c.region);
            for (const binding of ofType(workloads.resources, K.binding)) {
                const group = targetGroups.find(g => g.outputs?.arn === binding.inputs.spec.targetGroupARN);
                assert.ok(group, `${binding.name} binds a target group of the ${c.region} load balancer`);
                assert.strictEqual(group.inputs.targetType, "ip");
                assert.strictEqual(group.inputs.port, 8080, "the target group's port is the pods' port");
            }
        });
    }

    it("gives pods and the controller roles whose web-identity trust names exactly their ServiceAccounts", () => {
        for (const c of cases) {
            const { infra, workloads } = runs.get(key(c))!;
            const [account] = ofType(workloads.resources, K.serviceAccount);
            const appRole = roleByArn(infra.resources, account.inputs.metadata.annotations[IRSA_ROLE_ANNOTATION]);
            assert.ok(String(appRole.inputs.assumeRolePolicy).includes(`"system:serviceaccount:${account.inputs.metadata.namespace}:${account.inputs.metadata.name}"`), `${key(c)}: app role trusts the app's ServiceAccount`);
            const values = ofType(workloads.resources, K.release)[0].inputs.values;
            const controllerRole = roleByArn(infra.resources, values.serviceAccount.annotations[IRSA_ROLE_ANNOTATION]);
            const namespace = ofType(workloads.resources, K.release)[0].inputs.namespace;
            assert.ok(String(controllerRole.inputs.assumeRolePolicy).includes(`"system:serviceaccount:${namespace}:${values.serviceAccount.name}"`), `${key(c)}: controller role trusts the controller's ServiceAccount`);
            const vpc = ofType(infra.resources, "aws:ec2/vpc:Vpc").find(v => v.id === values.vpcId);
            assert.ok(vpc, `${key(c)}: the controller's vpcId is a VPC of the infrastructure`);
        }
    });

    it("leaves every Kubernetes resource to the workloads: the infrastructure never needs the Kubernetes API", () => {
        for (const c of cases) {
            const { infra } = runs.get(key(c))!;
            const kubernetes = infra.resources.filter(r => r.type.startsWith("kubernetes:") || r.type === K.provider);
            assert.deepStrictEqual(kubernetes.map(r => r.urn), [], key(c));
        }
    });

    it("leaves the primary's workloads unchanged by failover: nothing in Seoul needs an update during its outage", () => {
        const normal = runs.get("warm-standby/primary/false")!.workloads.resources;
        const failedOver = runs.get("warm-standby/primary/true")!.workloads.resources;
        const k8s = (rs: DeclaredResource[]) => rs.filter(r => r.type.startsWith("kubernetes:") || r.type === K.provider).map(r => [r.urn, r.inputs]);
        assert.deepStrictEqual(k8s(failedOver), k8s(normal));
    });
});
