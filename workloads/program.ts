import * as pulumi from "@pulumi/pulumi";
import { WORKLOAD_SITES_OUTPUT, WorkloadSiteRole } from "../lib/workloadSite";
import { loadWorkloadsConfig, WorkloadsConfig } from "./config";
import { ServiceWorkloads } from "./serviceWorkloads";
import { pickSite, siteRole, siteServices, validateWorkloadSite } from "./site";

/**
 * Image tag written while `imageTag` is unset. Never pulled: those Deployments run 0 replicas.
 * `latest` is what the infrastructure program deployed before, so a moved Deployment only scales.
 */
export const UNSET_IMAGE_TAG = "latest";

/** The workloads stack's outputs. */
export interface WorkloadsOutputs {
    readonly site: string;
    readonly role: WorkloadSiteRole;
    readonly region: string;
    readonly namespace: string;
    readonly services: string[];
    readonly replicas: number;
    /** False while `imageTag` is unset: nothing runs yet. */
    readonly serving: boolean;
}

/**
 * Pods per service: none until an image tag is configured (the first deploy must not wait for
 * images nobody pushed yet); `standbyReplicas` on a waiting standby; `replicas` where the site serves.
 */
export function workloadReplicas(config: Pick<WorkloadsConfig, "imageTag" | "replicas" | "standbyReplicas">, role: WorkloadSiteRole): number {
    if (config.imageTag === undefined) {
        return 0;
    }
    return role === "standby" ? config.standbyReplicas : config.replicas;
}

/** Component name per site; kept from the infrastructure program so moved state matches. */
export function componentName(site: string): string {
    return `${site}-app`;
}

/**
 * The whole workloads program: validate config (throwing before anything is declared), read the
 * infrastructure stack's `workloadSites` output, pick this stack's site, check it, and declare
 * the application on that site's cluster. Async because resource names depend on the services the
 * infrastructure exports; a StackReference's values are known at preview too.
 */
export async function defineWorkloads(): Promise<WorkloadsOutputs> {
    const config = loadWorkloadsConfig();
    const infra = new pulumi.StackReference(config.infraStack);
    const details = await infra.getOutputDetails(WORKLOAD_SITES_OUTPUT);
    const site = pickSite(details.value ?? details.secretValue, config.site, config.infraStack);
    const problems = validateWorkloadSite(config.site, site);
    if (problems.length > 0) {
        throw new Error(`${WORKLOAD_SITES_OUTPUT}.${config.site} of ${config.infraStack} cannot be deployed:\n${problems.map(p => `  - ${p}`).join("\n")}`);
    }
    const role = siteRole(config.site, site);
    const replicas = workloadReplicas(config, role);
    const tag = config.imageTag ?? UNSET_IMAGE_TAG;
    const services = siteServices(site);
    new ServiceWorkloads(componentName(config.site), {
        site,
        role,
        services: services.map(name => ({ name, image: `${site.repositories[name]}:${tag}` })),
        replicas,
        runAsUser: config.runAsUser,
        runAsGroup: config.runAsGroup,
        loadBalancerControllerChartVersion: config.loadBalancerControllerChartVersion,
        secretSettings: details.secretValue !== undefined,
    });
    return {
        site: config.site,
        role,
        region: site.region,
        namespace: site.namespace,
        services,
        replicas,
        serving: config.imageTag !== undefined,
    };
}
