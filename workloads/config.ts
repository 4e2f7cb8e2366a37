import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, ConfigReader } from "../config/reader";
import { WorkloadSiteName } from "../lib/workloadSite";

/** Config namespace of the workloads project: its name in `workloads/Pulumi.yaml`. */
export const WORKLOADS_PROJECT = "multicloud-dr-workloads";

/** Pods where the site serves (primary, or a standby that took over). */
export const DEFAULT_REPLICAS = 2;
/** Pods on a standby that waits. */
export const DEFAULT_STANDBY_REPLICAS = 1;
/** Numeric user and group the containers run as: a name or root would be refused with runAsNonRoot. */
export const DEFAULT_RUN_AS_ID = 10001;
/**
 * aws-load-balancer-controller chart on https://aws.github.io/eks-charts (controller v3.5.0).
 * Pinned: a chart upgrade is a deliberate step, and Helm does not upgrade the chart's CRDs.
 */
export const DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION = "3.5.0";
/** Upper bound for pods per service, as in the infrastructure's config. */
export const MAX_REPLICAS = 100;

export const SITES: readonly WorkloadSiteName[] = ["primary", "standby"];

/** The workloads stack's settings, validated, defaults applied. */
export interface WorkloadsConfig {
    /** Fully qualified name of the infrastructure stack, `<org>/multicloud-dr/<stack>`. */
    readonly infraStack: string;
    /** Which of the infrastructure's sites this stack deploys to. */
    readonly site: WorkloadSiteName;
    /** Image tag every service runs. Unset: every Deployment has 0 replicas (no image was pushed yet). */
    readonly imageTag?: string;
    /** Pods per service where the site serves. Default {@link DEFAULT_REPLICAS}. */
    readonly replicas: number;
    /** Pods per service on a waiting standby. Default {@link DEFAULT_STANDBY_REPLICAS}. */
    readonly standbyReplicas: number;
    /** Default {@link DEFAULT_RUN_AS_ID}. */
    readonly runAsUser: number;
    /** Also the pods' fsGroup, so mounted volumes and the IRSA token are readable. Default {@link DEFAULT_RUN_AS_ID}. */
    readonly runAsGroup: number;
    /** Default {@link DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION}. */
    readonly loadBalancerControllerChartVersion: string;
}

/** Every key this project reads; anything else in its namespace is reported as a typo. */
export const WORKLOADS_KNOWN_KEYS: readonly string[] = [
    "infraStack", "site", "imageTag", "replicas", "standbyReplicas", "runAsUser", "runAsGroup",
    "loadBalancerControllerChartVersion",
];

/** Thrown when the workloads stack's configuration is invalid; lists every problem at once. */
export class WorkloadsConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid workloads stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
                "nothing was declared:\n" +
                problems.map(p => `  - ${WORKLOADS_PROJECT}:${p.key} ${p.message}`).join("\n"),
        );
        this.name = "WorkloadsConfigError";
    }
}

const STACK_PART = /^[A-Za-z0-9_.-]+$/;

/**
 * Turns raw stack config (keys without the `multicloud-dr-workloads:` namespace, values as
 * strings) into a typed {@link WorkloadsConfig}. Pure: declares nothing. Throws
 * {@link WorkloadsConfigError} naming every bad key when anything is wrong.
 */
export function parseWorkloadsConfig(values: Readonly<Record<string, string>>): WorkloadsConfig {
    const r = new ConfigReader(values);
    const infraStack = r.optionalString("infraStack", value => {
        const parts = value.split("/");
        return parts.length === 3 && parts.every(part => STACK_PART.test(part))
            ? undefined
            : `"${value}" is not a fully qualified stack name like organization/multicloud-dr/warm-standby`;
    });
    if (infraStack === undefined && !r.has("infraStack")) {
        r.report("infraStack", "is required: the fully qualified name of the infrastructure stack, e.g. organization/multicloud-dr/warm-standby");
    }
    const site = r.oneOf("site", SITES, undefined);
    if (site === undefined && !r.has("site")) {
        r.report("site", `is required: which of the infrastructure's sites this stack deploys to, one of ${SITES.join(", ")}`);
    }
    const imageTag = r.optionalString("imageTag", value =>
        /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value) ? undefined : `"${value}" is not a container image tag`);
    const replicas = r.integer("replicas", DEFAULT_REPLICAS, 1, MAX_REPLICAS);
    const standbyReplicas = r.integer("standbyReplicas", DEFAULT_STANDBY_REPLICAS, 1, MAX_REPLICAS);
    if (standbyReplicas > replicas) {
        r.report("standbyReplicas", `${standbyReplicas} is above replicas ${replicas}; a waiting standby should not outgrow the serving site`);
    }
    // 0 is root, which runAsNonRoot refuses; 2^31-1 is the largest id Kubernetes accepts.
    const runAsUser = r.integer("runAsUser", DEFAULT_RUN_AS_ID, 1, 2147483647);
    const runAsGroup = r.integer("runAsGroup", DEFAULT_RUN_AS_ID, 1, 2147483647);
    const loadBalancerControllerChartVersion = r.string("loadBalancerControllerChartVersion", DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION, value =>
        /^\d+\.\d+\.\d+$/.test(value) ? undefined : `"${value}" is not an exact chart version like ${DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION}`);

    r.reportUnreadKeys(WORKLOADS_KNOWN_KEYS);
    if (r.problems.length > 0 || infraStack === undefined || site === undefined) {
        throw new WorkloadsConfigError(r.problems);
    }
    return { infraStack, site, imageTag, replicas, standbyReplicas, runAsUser, runAsGroup, loadBalancerControllerChartVersion };
}

/**
 * Reads this project's keys from the running stack's config and validates them. Call it before
 * declaring any resource: it throws a {@link WorkloadsConfigError} naming every bad key.
 */
export function loadWorkloadsConfig(): WorkloadsConfig {
    const prefix = `${WORKLOADS_PROJECT}:`;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            values[key.slice(prefix.length)] = value;
        }
    }
    return parseWorkloadsConfig(values);
}
