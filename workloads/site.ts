import { WORKLOAD_SITES_OUTPUT, WorkloadSite, WorkloadSiteName, WorkloadSiteRole } from "../lib/workloadSite";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TARGET_GROUP_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * What a site does, from the workloads' side: the primary serves; the standby waits with minimal
 * pods and a read-only database, or is `active` (full size) once the infrastructure failed over.
 */
export function siteRole(name: WorkloadSiteName, site: Pick<WorkloadSite, "failover">): WorkloadSiteRole {
    if (name === "primary") {
        return "primary";
    }
    return site.failover ? "active" : "standby";
}

/** Services of a site, sorted: those with a repository (each must also have a target group). */
export function siteServices(site: WorkloadSite): string[] {
    return Object.keys(site.repositories).sort();
}

/**
 * The named site out of the infrastructure's `workloadSites` output. Throws naming the stack and
 * the sites it has when the output or the site is missing (a pilot light has no standby).
 */
export function pickSite(sites: unknown, name: WorkloadSiteName, infraStack: string): WorkloadSite {
    if (typeof sites !== "object" || sites === null) {
        throw new Error(`infrastructure stack ${infraStack} has no ${WORKLOAD_SITES_OUTPUT} output; deploy the infrastructure (pulumi up) first`);
    }
    const site = (sites as Record<string, WorkloadSite | undefined>)[name];
    if (site === undefined) {
        const known = Object.keys(sites).join(", ") || "none";
        throw new Error(`infrastructure stack ${infraStack} has no ${name} site (its sites: ${known}); set multicloud-dr-workloads:site to one of them`);
    }
    return site;
}

/**
 * Problems with a site as the infrastructure exported it, one string each: a contract the
 * workloads rely on (names Kubernetes accepts, a target group and repository per service, the
 * role matching the failover flag).
 */
export function validateWorkloadSite(name: WorkloadSiteName, site: WorkloadSite): string[] {
    const problems: string[] = [];
    const expected = siteRole(name, site);
    if (site.role !== expected) {
        problems.push(`role is ${site.role}, but a ${name} site with failover=${site.failover} is ${expected}`);
    }
    if (!DNS_LABEL.test(site.namespace)) {
        problems.push(`namespace "${site.namespace}" is not a DNS label`);
    }
    if (!DNS_LABEL.test(site.serviceAccountName)) {
        problems.push(`serviceAccountName "${site.serviceAccountName}" is not a DNS label`);
    }
    if (!IAM_ROLE_ARN.test(site.workloadRoleArn)) {
        problems.push(`workloadRoleArn "${site.workloadRoleArn}" is not an IAM role ARN`);
    }
    if (!IAM_ROLE_ARN.test(site.loadBalancerController.roleArn)) {
        problems.push(`loadBalancerController.roleArn "${site.loadBalancerController.roleArn}" is not an IAM role ARN`);
    }
    if (!/^vpc-[0-9a-f]+$/.test(site.loadBalancerController.vpcId)) {
        problems.push(`loadBalancerController.vpcId "${site.loadBalancerController.vpcId}" is not a VPC id`);
    }
    if (!/^https:\/\//.test(site.cluster.endpoint)) {
        problems.push(`cluster.endpoint "${site.cluster.endpoint}" is not an https:// URL`);
    }
    const services = siteServices(site);
    if (services.length === 0) {
        problems.push("repositories: at least one service is needed");
    }
    for (const service of services) {
        if (!DNS_LABEL.test(service)) {
            problems.push(`service "${service}" is not a DNS label`);
        }
        const arn = site.entryPoint.targetGroupArns[service];
        if (arn === undefined) {
            problems.push(`entryPoint.targetGroupArns has no target group for service ${service}`);
        } else if (!TARGET_GROUP_ARN.test(arn)) {
            problems.push(`entryPoint.targetGroupArns.${service} "${arn}" is not a target group ARN`);
        }
    }
    for (const service of Object.keys(site.entryPoint.targetGroupArns)) {
        if (site.repositories[service] === undefined) {
            problems.push(`entryPoint.targetGroupArns.${service} has no repository; nothing would serve it`);
        }
    }
    return problems;
}
