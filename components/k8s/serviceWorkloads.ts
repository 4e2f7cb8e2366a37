import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { assertValidArgs } from "../validation";

/** What a site is doing: `primary` serves, `standby` waits with minimal pods, `active` is a standby that took over. */
export type SiteRole = "primary" | "standby" | "active";

/** Port every service listens on inside its pod, and the path readiness probes. */
export const SERVICE_PORT = 8080;
export const HEALTH_PATH = "/health";

export interface ServiceWorkloadsArgs {
    /** Kubeconfig of the cluster to deploy to. */
    readonly kubeconfig: pulumi.Input<string>;
    /** A stable name for the cluster, so a kubeconfig change never replaces the workloads. */
    readonly clusterName: pulumi.Input<string>;
    readonly namespace: string;
    /** Service names, each with the image it runs (`<repository url>:<tag>`). */
    readonly services: { name: string; image: pulumi.Input<string> }[];
    readonly replicas: number;
    readonly role: SiteRole;
    readonly region: string;
    /** Environment every service reads: DB_HOST, S3 buckets, registry and the like. REGION and ROLE are added. */
    readonly settings: Record<string, pulumi.Input<string>>;
}

/** Problems with workload args, one string each. */
export function validateServiceWorkloadsArgs(args: ServiceWorkloadsArgs): string[] {
    const problems: string[] = [];
    if (args.services.length === 0) {
        problems.push("services: at least one service is needed");
    }
    if (!Number.isInteger(args.replicas) || args.replicas < 1) {
        problems.push(`replicas: ${args.replicas} is not a positive whole number`);
    }
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(args.namespace)) {
        problems.push(`namespace: "${args.namespace}" is not a DNS label`);
    }
    return problems;
}

/**
 * The application on one cluster: a namespace, a ConfigMap of site settings (with REGION and ROLE,
 * so the app can say which region serves it), and per service a Deployment (readiness on /health,
 * non-root, read-only root filesystem), a Service and a PodDisruptionBudget. Pods restart when the
 * settings change, because the pod template carries their checksum.
 */
export class ServiceWorkloads extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly configMapName: pulumi.Output<string>;

    constructor(name: string, args: ServiceWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("ServiceWorkloads", name, validateServiceWorkloadsArgs(args));
        super("dr:k8s:ServiceWorkloads", name, {}, opts);
        const provider = new Provider(`${name}-k8s`, {
            kubeconfig: args.kubeconfig,
            clusterIdentifier: args.clusterName,
            enableServerSideApply: true,
        }, { parent: this });
        const opt = { parent: this, provider };
        const labels = (app?: string) => ({ "app.kubernetes.io/part-of": args.namespace, "dr/site-role": args.role, ...(app ? { "app.kubernetes.io/name": app } : {}) });

        const namespace = new corev1.Namespace(`${name}-ns`, { metadata: { name: args.namespace, labels: labels() } }, opt);
        const data = pulumi.output({ ...args.settings, REGION: args.region, ROLE: args.role });
        const settings = new corev1.ConfigMap(`${name}-settings`, {
            metadata: { name: "site-settings", namespace: namespace.metadata.name, labels: labels() },
            data,
        }, opt);
        const checksum = data.apply(values => createHash("sha256").update(JSON.stringify(values)).digest("hex"));

        for (const service of args.services) {
            const selector = { "app.kubernetes.io/name": service.name };
            new appsv1.Deployment(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: {
                    replicas: args.replicas,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: { labels: labels(service.name), annotations: { "dr/settings-checksum": checksum } },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
                            containers: [{
                                name: service.name,
                                image: service.image,
                                ports: [{ name: "http", containerPort: SERVICE_PORT }],
                                envFrom: [{ configMapRef: { name: settings.metadata.name } }],
                                readinessProbe: { httpGet: { path: HEALTH_PATH, port: "http" }, periodSeconds: 5, failureThreshold: 3 },
                                livenessProbe: { httpGet: { path: HEALTH_PATH, port: "http" }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 },
                                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                            }],
                        },
                    },
                },
            }, opt);
            new corev1.Service(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                spec: { selector, ports: [{ name: "http", port: 80, targetPort: "http" }] },
            }, opt);
            new policyv1.PodDisruptionBudget(`${name}-${service.name}`, {
                metadata: { name: service.name, namespace: namespace.metadata.name, labels: labels(service.name) },
                // One replica cannot keep one available through a drain; let it move instead of blocking.
                spec: args.replicas > 1 ? { minAvailable: 1, selector: { matchLabels: selector } } : { maxUnavailable: 1, selector: { matchLabels: selector } },
            }, opt);
        }
        this.namespace = namespace.metadata.name;
        this.configMapName = settings.metadata.name;
        this.registerOutputs({ namespace: this.namespace });
    }
}
