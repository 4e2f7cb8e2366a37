import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, ProgramRun, runProgram } from "../../plan/runOffline";
import { DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION } from "../../workloads/config";
import { resolveStackOutputs, runWorkloadsStack, workloadsRunOptions } from "../../workloads/offline";
import { defineWorkloads } from "../../workloads/program";
import { workloadsStackConfig } from "../../workloads/stackFiles";
import { IRSA_ROLE_ANNOTATION, SETTINGS_CHECKSUM_ANNOTATION } from "../../workloads/serviceWorkloads";
import { named, ofType } from "../support/query";
import { infraOutputs, K, pilotLightSites, runFixtureStack, SECRET_ARNS, warmStandbySites } from "./fixtures";

const SERVICES = ["ai", "auth", "project", "support", "team"];

function deployments(run: ProgramRun<unknown>): DeclaredResource[] {
    return ofType(run.resources, K.deployment);
}

function podSpec(deployment: DeclaredResource): Record<string, any> {
    return deployment.inputs.spec.template.spec;
}

describe("workloads: the application on one site", () => {
    const sites = warmStandbySites(false);
    const failedOver = warmStandbySites(true);
    let primary: ProgramRun<unknown>;
    let standby: ProgramRun<unknown>;
    let active: ProgramRun<unknown>;
    let firstDeploy: ProgramRun<unknown>;
    before(async () => {
        primary = await runFixtureStack("warm-standby-primary", sites, { imageTag: "2026.12.01" });
        standby = await runFixtureStack("warm-standby-standby", sites, { imageTag: "2026.12.01" });
        active = await runFixtureStack("warm-standby-standby", failedOver, { imageTag: "2026.12.01" });
        firstDeploy = await runFixtureStack("warm-standby-primary", sites);
    });

    it("reads the infrastructure stack named by infraStack and deploys only its own site", () => {
        assert.deepStrictEqual(ofType(standby.resources, K.stackReference).map(r => r.inputs.name), ["organization/multicloud-dr/warm-standby"]);
        assert.strictEqual(ofType(standby.resources, K.provider).length, 1, "one cluster per workloads stack");
        assert.ok(standby.resources.every(r => !r.name.startsWith("primary-")), "nothing of the primary site in the standby stack");
        assert.deepStrictEqual(standby.outputs, { site: "standby", role: "standby", region: "ap-northeast-1", namespace: "portforge", services: SERVICES, replicas: 1, serving: true });
    });

    it("builds the Kubernetes provider from the site's cluster, with short-lived tokens from the AWS CLI", () => {
        const provider = named(standby.resources, K.provider, "standby-app-k8s");
        const kubeconfig = JSON.parse(provider.inputs.kubeconfig);
        assert.strictEqual(kubeconfig.clusters[0].cluster.server, sites.standby.cluster.endpoint);
        assert.strictEqual(kubeconfig.clusters[0].cluster["certificate-authority-data"], sites.standby.cluster.certificateAuthority);
        assert.deepStrictEqual(kubeconfig.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", sites.standby.cluster.name, "--region", "ap-northeast-1", "--output", "json"]);
        assert.strictEqual(provider.inputs.clusterIdentifier, sites.standby.cluster.name);
        assert.ok(provider.secretInputs.includes("kubeconfig"));
    });

    it("runs 0 replicas until an image tag is set, without skipping Pulumi's rollout wait", () => {
        for (const deployment of deployments(firstDeploy)) {
            assert.strictEqual(deployment.inputs.spec.replicas, 0, deployment.name);
            assert.strictEqual(deployment.inputs.metadata.annotations?.["pulumi.com/skipAwait"], undefined, "later rollouts are still awaited");
        }
        assert.strictEqual((firstDeploy.outputs as { serving: boolean }).serving, false);
        for (const deployment of deployments(primary)) {
            assert.strictEqual(deployment.inputs.spec.replicas, 2, deployment.name);
            assert.strictEqual(deployment.inputs.metadata.annotations?.["pulumi.com/skipAwait"], undefined);
            assert.strictEqual(podSpec(deployment).containers[0].image, `${sites.primary.repositories[deployment.inputs.metadata.name]}:2026.12.01`);
        }
    });

    it("runs the configured replicas where the site serves", async () => {
        const run = await runFixtureStack("warm-standby-primary", sites, { imageTag: "v7", replicas: 4, standbyReplicas: 2 });
        assert.deepStrictEqual(deployments(run).map(d => d.inputs.spec.replicas), [4, 4, 4, 4, 4]);
    });

    it("runs the five services on each cluster from that region's registry, ready on /health, hardened", () => {
        for (const [run, region] of [[primary, "ap-northeast-2"], [standby, "ap-northeast-1"]] as const) {
            assert.deepStrictEqual(deployments(run).map(d => d.inputs.metadata.name).sort(), SERVICES);
            assert.deepStrictEqual(ofType(run.resources, K.service).map(s => s.inputs.metadata.name).sort(), SERVICES);
            for (const deployment of deployments(run)) {
                const container = podSpec(deployment).containers[0];
                assert.match(container.image, new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com/portforge-${deployment.inputs.metadata.name}:2026\\.12\\.01$`));
                assert.strictEqual(container.readinessProbe.httpGet.path, "/health");
                assert.strictEqual(container.envFrom[0].configMapRef.name, "site-settings");
                assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false);
            }
        }
    });

    it("keeps the standby minimal and read-only; after failover it is active, full size, writable, pods restarted", () => {
        const waiting = named(standby.resources, K.configMap, "standby-app-settings").inputs.data;
        assert.strictEqual(waiting.ROLE, "standby");
        assert.strictEqual(waiting.REGION, "ap-northeast-1");
        assert.strictEqual(waiting.DB_READ_ONLY, "true");
        assert.ok(deployments(standby).every(d => d.inputs.spec.replicas === 1));
        assert.deepStrictEqual(named(standby.resources, K.pdb, "standby-app-ai").inputs.spec.maxUnavailable, 1, "one pod may move during a drain");

        const serving = named(active.resources, K.configMap, "standby-app-settings").inputs.data;
        assert.strictEqual(serving.ROLE, "active");
        assert.strictEqual(serving.DB_READ_ONLY, "false");
        assert.ok(deployments(active).every(d => d.inputs.spec.replicas === 2));
        assert.strictEqual(named(active.resources, K.pdb, "standby-app-ai").inputs.spec.minAvailable, 1);
        const checksum = (run: ProgramRun<unknown>) => named(run.resources, K.deployment, "standby-app-ai").inputs.spec.template.metadata.annotations[SETTINGS_CHECKSUM_ANNOTATION];
        assert.notStrictEqual(checksum(active), checksum(standby));
        assert.strictEqual(named(primary.resources, K.configMap, "primary-app-settings").inputs.data.ROLE, "primary");
    });

    it("gives every site's pods that site's own secret copy, endpoints and region", () => {
        const standbySettings = named(standby.resources, K.configMap, "standby-app-settings").inputs.data;
        assert.strictEqual(standbySettings.DB_SECRET_ARN, SECRET_ARNS.standby);
        assert.match(standbySettings.DB_SECRET_ARN, /^arn:aws:secretsmanager:ap-northeast-1:/);
        assert.strictEqual(standbySettings.DB_HOST, sites.standby.settings.DB_HOST);
        const primarySettings = named(primary.resources, K.configMap, "primary-app-settings").inputs.data;
        assert.strictEqual(primarySettings.DB_SECRET_ARN, SECRET_ARNS.primary);
        assert.strictEqual(primarySettings.REGION, "ap-northeast-2");
    });

    it("gives the pods the site's IAM role through an IRSA ServiceAccount that every Deployment uses", () => {
        for (const [run, site] of [[primary, sites.primary], [standby, sites.standby]] as const) {
            const [account] = ofType(run.resources, K.serviceAccount);
            assert.strictEqual(account.inputs.metadata.name, site.serviceAccountName);
            assert.strictEqual(account.inputs.metadata.namespace, site.namespace);
            assert.strictEqual(account.inputs.metadata.annotations[IRSA_ROLE_ANNOTATION], site.workloadRoleArn);
            for (const deployment of deployments(run)) {
                const spec = podSpec(deployment);
                assert.strictEqual(spec.serviceAccountName, site.serviceAccountName, deployment.name);
                // The webhook mounts its own projected token; a volume of that name would make it skip the pod.
                assert.ok(!spec.volumes.some((v: { name: string }) => v.name === "aws-iam-token"));
                assert.ok(!spec.containers[0].env?.some((e: { name: string }) => e.name === "AWS_WEB_IDENTITY_TOKEN_FILE"));
            }
        }
    });

    it("runs as a numeric non-root user and group with a writable /tmp on a read-only root", async () => {
        for (const deployment of deployments(primary)) {
            const spec = podSpec(deployment);
            assert.deepStrictEqual([spec.securityContext.runAsNonRoot, spec.securityContext.runAsUser, spec.securityContext.runAsGroup, spec.securityContext.fsGroup], [true, 10001, 10001, 10001]);
            const container = spec.containers[0];
            assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
            const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/tmp");
            assert.ok(mount, `${deployment.name} mounts /tmp`);
            assert.deepStrictEqual(Object.keys(spec.volumes.find((v: { name: string }) => v.name === mount.name)), ["emptyDir", "name"]);
        }
        const custom = await runFixtureStack("warm-standby-primary", sites, { runAsUser: 2000, runAsGroup: 3000 });
        const context = podSpec(deployments(custom)[0]).securityContext;
        assert.deepStrictEqual([context.runAsUser, context.runAsGroup, context.fsGroup], [2000, 3000, 3000]);
    });

    it("lets node drains evict unready pods", () => {
        for (const run of [primary, standby, active, firstDeploy]) {
            const budgets = ofType(run.resources, K.pdb);
            assert.strictEqual(budgets.length, SERVICES.length);
            assert.ok(budgets.every(b => b.inputs.spec.unhealthyPodEvictionPolicy === "AlwaysAllow"));
        }
    });

    it("binds each Service to its target group of the site's load balancer, by pod IP", () => {
        for (const [run, site, prefix] of [[primary, sites.primary, "primary-app"], [standby, sites.standby, "standby-app"]] as const) {
            const bindings = ofType(run.resources, K.binding);
            assert.deepStrictEqual(bindings.map(b => b.inputs.metadata.name).sort(), SERVICES);
            for (const binding of bindings) {
                const service = named(run.resources, K.service, `${prefix}-${binding.inputs.metadata.name}`);
                assert.strictEqual(binding.inputs.apiVersion, "elbv2.k8s.aws/v1beta1");
                assert.strictEqual(binding.inputs.spec.targetGroupARN, site.entryPoint.targetGroupArns[binding.inputs.metadata.name]);
                assert.strictEqual(binding.inputs.spec.targetType, "ip");
                assert.strictEqual(binding.inputs.spec.serviceRef.name, service.inputs.metadata.name);
                assert.strictEqual(binding.inputs.spec.serviceRef.port, service.inputs.spec.ports[0].port);
                assert.strictEqual(service.inputs.spec.ports[0].port, 80);
                assert.strictEqual(service.inputs.spec.type, "ClusterIP");
                assert.strictEqual(binding.inputs.metadata.namespace, site.namespace);
            }
        }
    });

    it("installs the AWS Load Balancer Controller with its IRSA role, cluster, region and VPC", () => {
        for (const [run, site] of [[primary, sites.primary], [standby, sites.standby]] as const) {
            const [release] = ofType(run.resources, K.release);
            assert.strictEqual(release.inputs.chart, "aws-load-balancer-controller");
            assert.strictEqual(release.inputs.version, DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION);
            assert.strictEqual(release.inputs.repositoryOpts.repo, "https://aws.github.io/eks-charts");
            assert.strictEqual(release.inputs.namespace, site.loadBalancerController.namespace);
            const values = release.inputs.values;
            assert.strictEqual(values.clusterName, site.cluster.name);
            assert.strictEqual(values.region, site.region);
            assert.strictEqual(values.vpcId, site.loadBalancerController.vpcId);
            assert.strictEqual(values.serviceAccount.name, site.loadBalancerController.serviceAccountName);
            assert.strictEqual(values.serviceAccount.annotations[IRSA_ROLE_ANNOTATION], site.loadBalancerController.roleArn);
            assert.strictEqual(values.enableServiceMutatorWebhook, false);
        }
    });

    it("keeps the settings secret when the infrastructure exported its sites as a secret", async () => {
        const run = await runWorkloadsStack("warm-standby-standby", { workloadSites: pulumi.secret(sites) });
        assert.ok(named(run.resources, K.configMap, "standby-app-settings").secretInputs.includes("data"));
        assert.ok(!named(standby.resources, K.configMap, "standby-app-settings").secretInputs.includes("data"));
    });
});

describe("workloads: the infrastructure's sites are checked before use", () => {
    it("refuses a site the infrastructure stack does not have", async () => {
        await assert.rejects(runWorkloadsStack("warm-standby-standby", infraOutputs(pilotLightSites())),
            /infrastructure stack organization\/multicloud-dr\/warm-standby has no standby site \(its sites: primary\)/);
    });

    it("refuses an infrastructure stack without the workloadSites output", async () => {
        await assert.rejects(runWorkloadsStack("pilot-light-primary", { strategy: "pilot-light" }),
            /infrastructure stack organization\/multicloud-dr\/pilot-light has no workloadSites output; deploy the infrastructure \(pulumi up\) first/);
    });

    it("names every broken part of the contract and declares no Kubernetes resource", async () => {
        const broken = warmStandbySites(true);
        const standby = {
            ...broken.standby,
            role: "standby" as const,
            entryPoint: { ...broken.standby.entryPoint, targetGroupArns: { ...broken.standby.entryPoint.targetGroupArns, ai: "not-an-arn", extra: broken.standby.entryPoint.targetGroupArns.ai } },
        };
        delete (standby.entryPoint.targetGroupArns as Record<string, string>).team;
        await assert.rejects(runWorkloadsStack("warm-standby-standby", infraOutputs({ ...broken, standby })), (error: Error & { declared?: string[] }) => {
            assert.strictEqual(error.message, "workloadSites.standby of organization/multicloud-dr/warm-standby cannot be deployed:\n" +
                "  - role is standby, but a standby site with failover=true is active\n" +
                '  - entryPoint.targetGroupArns.ai "not-an-arn" is not a target group ARN\n' +
                "  - entryPoint.targetGroupArns has no target group for service team\n" +
                "  - entryPoint.targetGroupArns.extra has no repository; nothing would serve it");
            assert.deepStrictEqual(error.declared?.filter(type => type.startsWith("kubernetes:")), []);
            return true;
        });
    });
});

describe("workloads: ordering on a fresh cluster", () => {
    it("creates the target group bindings only after the controller release (its chart brings their CRD and webhook)", async () => {
        const dependsOn = new Map<string, unknown[]>();
        const reference = await resolveStackOutputs(infraOutputs(warmStandbySites(false)));
        const program = () => {
            pulumi.runtime.registerStackTransformation(args => {
                dependsOn.set(`${args.type}::${args.name}`, ([] as unknown[]).concat(args.opts.dependsOn ?? []));
                return undefined;
            });
            return defineWorkloads();
        };
        const run = await runProgram(program, workloadsStackConfig("warm-standby-primary"), "warm-standby-primary", workloadsRunOptions(reference));
        await run.outputs;
        const bindings = [...dependsOn.entries()].filter(([key]) => key.startsWith(`${K.binding}::`));
        assert.strictEqual(bindings.length, 5);
        for (const [key, deps] of bindings) {
            assert.ok(deps.some(dep => k8s.helm.v3.Release.isInstance(dep)), `${key} waits for the controller`);
        }
    });
});
