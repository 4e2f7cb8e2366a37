/**
 * The contract between the infrastructure program (this project, `multicloud-dr`) and the
 * workloads project (`workloads/`, `multicloud-dr-workloads`). The infrastructure stack exports
 * one `WorkloadSite` per AWS site as the stack output `workloadSites`; a workloads stack reads
 * its site through a `StackReference` and never needs anything else from the infrastructure.
 *
 * Everything here is plain data (no Outputs) as a StackReference delivers it.
 */

/** What a site is doing: `primary` serves, `standby` waits with minimal pods, `active` is a standby that took over. */
export type WorkloadSiteRole = "primary" | "standby" | "active";

/** The AWS sites a stack can have; the pilot light has only `primary`. */
export type WorkloadSiteName = "primary" | "standby";

/** Stack output name under which the infrastructure exports its sites. */
export const WORKLOAD_SITES_OUTPUT = "workloadSites";

/** One site's cluster, identities, entry point and settings, as the workloads project needs them. */
export interface WorkloadSite {
    readonly role: WorkloadSiteRole;
    readonly region: string;
    /** The infrastructure stack's `failover` flag when this was exported. */
    readonly failover: boolean;
    readonly cluster: {
        readonly name: string;
        readonly endpoint: string;
        /** Base64 PEM, as EKS reports it. */
        readonly certificateAuthority: string;
    };
    /** Namespace of the application; the IAM trust names it, so it is fixed by the infrastructure. */
    readonly namespace: string;
    /** ServiceAccount the application's pods run as (IRSA: the role trusts exactly this account). */
    readonly serviceAccountName: string;
    /** IAM role for the application's pods, limited to this site's secret, key, buckets and tables. */
    readonly workloadRoleArn: string;
    /** The AWS Load Balancer Controller, used only to bind pods to the infrastructure's target groups. */
    readonly loadBalancerController: {
        readonly roleArn: string;
        readonly serviceAccountName: string;
        readonly namespace: string;
        readonly vpcId: string;
    };
    /** The site's load balancer, created by the infrastructure. */
    readonly entryPoint: {
        /** Target group ARN per service (target type `ip`, port 8080); the workloads bind their pods to it. */
        readonly targetGroupArns: Record<string, string>;
        /** DNS name of the load balancer. */
        readonly dnsName: string;
        /** Host name Route 53's health check sends (Host header and SNI). */
        readonly checkedHost: string;
        /** Path Route 53's health check requests. */
        readonly healthCheckPath: string;
    };
    /** Repository URL (no tag) per service, in this site's region. */
    readonly repositories: Record<string, string>;
    /**
     * Environment every service reads: DB_HOST, DB_PORT, DB_NAME, DB_READ_ONLY, DB_SECRET_ARN (this
     * region's copy), S3_BUCKET*, DYNAMODB_TABLE_*, ECR_REGISTRY, AWS_REGION. REGION and ROLE are
     * added by the workloads project.
     */
    readonly settings: Record<string, string>;
}
