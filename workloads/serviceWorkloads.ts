import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { renderKubeconfig } from "../components/aws/kubernetesCluster";
import { assertValidArgs } from "../components/validation";
import { WorkloadSite, WorkloadSiteRole } from "../lib/workloadSite";

/** Port every service listens on inside its pod (the target groups' port), and the path readiness probes. */
export const SERVICE_PORT = 8080;
/** Port of each ClusterIP Service; the TargetGroupBinding names it, the controller registers the pods' 8080. */
export const SERVICE_FRONT_PORT = 80;
export const HEALTH_PATH = "/health";
/** Chart repository of the AWS Load Balancer Controller. */
export const EKS_CHARTS_REPO = "https://aws.github.io/eks-charts";
export const LOAD_BALANCER_CONTROLLER_CHART = "aws-load-balancer-controller";
/** Annotation IRSA's webhook reads on a ServiceAccount to give its pods a role. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";
/** Pod template annotation carrying the settings' hash: a settings change restarts the pods. */
export const SETTINGS_CHECKSUM_ANNOTATION = "dr/settings-checksum";

export interface ServiceWorkloadsArgs {
    /** The site as the infrastructure exported it: cluster, identities, target groups, settings. */
    readonly site: WorkloadSite;
    /** What the site does now; becomes the ROLE setting and a label. */
    readonly role: WorkloadSiteRole;
    /** Service names, each with the image it runs (`<repository url>:<tag>`). */
    readonly services: { name: string; image: string }[];
    /** Pods per service; 0 before any image was pushed. */
    readonly replicas: number;
    /** Numeric user and group of every container (group also fsGroup). */
    readonly runAsUser: number;
    readonly runAsGroup: number;
    /** Exact aws-load-balancer-controller chart version. */
    readonly loadBalancerControllerChartVersion: string;
    /** Keep the ConfigMap's data secret (the infrastructure exported the sites as a secret). Default false. */
    readonly secretSettings?: boolean;
}

/** Problems with workload args, one string each. */
export function validateServiceWorkloadsArgs(args: ServiceWorkloadsArgs): string[] {
    const problems: string[] = [];
    if (args.services.length === 0) {
        problems.push("services: at least one service is needed");
    }
    if (!Number.isInteger(args.replicas) || args.replicas < 0) {
        problems.push(`replicas: ${args.replicas} is not a whole number >= 0`);
    }
    for (const [key, id] of [["runAsUser", args.runAsUser], ["runAsGroup", args.runAsGroup]] as const) {
        if (!Number.isInteger(id) || id < 1) {
            problems.push(`${key}: ${id} is not a non-root numeric id`);
        }
    }
    return problems;
}

/** The ConfigMap's data: the site's settings plus REGION and ROLE, so the app can say which region serves it. */
export function settingsData(site: WorkloadSite, role: WorkloadSiteRole): Record<string, string> {
    return { ...site.settings, REGION: site.region, ROLE: role };
}

/** Hash of the settings, stable across key order. */
export function settingsChecksum(data: Record<string, string>): string {
    const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
    return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

/**
 * The application on one site's cluster: a namespace, a ConfigMap of site settings, a
 * ServiceAccount carrying the site's IAM role (IRSA), the AWS Load Balancer Controller, and per
 * service a Deployment (non-root numeric user, read-only root with a writable /tmp, readiness on
 * /health), a ClusterIP Service, a PodDisruptionBudget that never blocks a drain on unready pods,
 * and a TargetGroupBinding that registers the pods in the infrastructure's target group.
 * Pods restart when the settings change, because the pod template carries their checksum.
 */
export class ServiceWorkloads extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly configMapName: pulumi.Output<string>;
    readonly serviceAccountName: pulumi.Output<string>;

    constructor(name: string, args: ServiceWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("ServiceWorkloads", name, validateServiceWorkloadsArgs(args));
        super("dr:k8s:ServiceWorkloads", name, {}, opts);
        const { site } = args;
        const provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: pulumi.secret(renderKubeconfig(site.cluster.name, site.cluster.endpoint, site.cluster.certificateAuthority, site.region)),
            // A stable identity, so a new endpoint or CA updates the provider instead of replacing everything.
            clusterIdentifier: site.cluster.name,
            enableServerSideApply: true,
        }, { parent: this });
        const opt = { parent: this, provider };
        const labels = (app?: string) => ({ "app.kubernetes.io/part-of": site.namespace, "dr/site-role": args.role, ...(app ? { "app.kubernetes.io/name": app } : {}) });

        const namespace = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: site.namespace, labels: labels() } }, opt);
        const data = settingsData(site, args.role);
        const settings = new k8s.core.v1.ConfigMap(`${name}-settings`, {
            metadata: { name: "site-settings", namespace: namespace.metadata.name, labels: labels() },
            data: args.secretSettings ? pulumi.secret(data) : data,
        }, opt);
        const checksum = settingsChecksum(data);
        // Pods must be created after their ServiceAccount: IRSA's webhook reads its annotation at pod admission.
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, {
            metadata: {
                name: site.serviceAccountName,
                namespace: namespace.metadata.name,
                labels: labels(),
                annotations: { [IRSA_ROLE_ANNOTATION]: site.workloadRoleArn },
            },
            // The pods need no Kubernetes API token; IRSA's webhook mounts its own projected AWS token.
            automountServiceAccountToken: false,
        }, opt);
        const controller = this.loadBalancerController(name, args, opt);

        for (const service of args.services) {
            const selector = { "app.kubernetes.io/name": service.name };
            new k8s.apps.v1.Deployment(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: {
                    replicas: args.replicas,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: { labels: labels(service.name), annotations: { [SETTINGS_CHECKSUM_ANNOTATION]: checksum } },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: args.runAsUser,
                                runAsGroup: args.runAsGroup,
                                fsGroup: args.runAsGroup,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
                            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
                            containers: [{
                                name: service.name,
                                image: service.image,
                                ports: [{ name: "http", containerPort: SERVICE_PORT }],
                                envFrom: [{ configMapRef: { name: settings.metadata.name } }],
                                readinessProbe: { httpGet: { path: HEALTH_PATH, port: "http" }, periodSeconds: 5, failureThreshold: 3 },
                                livenessProbe: { httpGet: { path: HEALTH_PATH, port: "http" }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 },
                                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            }],
                        },
                    },
                },
            }, opt);
            const kubeService = new k8s.core.v1.Service(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: SERVICE_FRONT_PORT, targetPort: "http" }] },
            }, opt);
            new k8s.policy.v1.PodDisruptionBudget(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: {
                    // One replica cannot keep one available through a drain; let it move instead of blocking.
                    ...(args.replicas > 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }),
                    selector: { matchLabels: selector },
                    // Unready pods (a crash loop, a missing image) must never hold a node drain hostage.
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                },
            }, opt);
            new k8s.apiextensions.CustomResource(`${name}-${service.name}`, {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: {
                    serviceRef: { name: kubeService.metadata.name, port: SERVICE_FRONT_PORT },
                    targetGroupARN: site.entryPoint.targetGroupArns[service.name],
                    targetType: "ip",
                },
            }, { ...opt, dependsOn: [controller] });
        }
        this.namespace = namespace.metadata.name;
        this.configMapName = settings.metadata.name;
        this.serviceAccountName = serviceAccount.metadata.name;
        this.registerOutputs({ namespace: this.namespace, serviceAccountName: this.serviceAccountName });
    }

    /**
     * The controller that binds pods to target groups; its chart brings the TargetGroupBinding CRD
     * and the webhook that validates bindings, so bindings wait for the release to be ready.
     */
    private loadBalancerController(name: string, args: ServiceWorkloadsArgs, opt: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
        const controller = args.site.loadBalancerController;
        return new k8s.helm.v3.Release(`${name}-lb-controller`, {
            name: LOAD_BALANCER_CONTROLLER_CHART,
            chart: LOAD_BALANCER_CONTROLLER_CHART,
            version: args.loadBalancerControllerChartVersion,
            repositoryOpts: { repo: EKS_CHARTS_REPO },
            namespace: controller.namespace,
            values: {
                clusterName: args.site.cluster.name,
                // Given, not discovered: IMDS is out of the pods' reach (hop limit 1).
                region: args.site.region,
                vpcId: controller.vpcId,
                serviceAccount: {
                    create: true,
                    name: controller.serviceAccountName,
                    annotations: { [IRSA_ROLE_ANNOTATION]: controller.roleArn },
                },
                // The infrastructure owns the load balancers: the controller must not adopt Services of type LoadBalancer.
                enableServiceMutatorWebhook: false,
            },
        }, opt);
    }
}
