import { WorkloadSite, WorkloadSiteName } from "../../lib/workloadSite";
import { runWorkloadsStack } from "../../workloads/offline";
import { ProgramRun } from "../../plan/runOffline";

/** Type tokens of what the workloads declare. */
export const K = {
    deployment: "kubernetes:apps/v1:Deployment",
    configMap: "kubernetes:core/v1:ConfigMap",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    binding: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    release: "kubernetes:helm.sh/v3:Release",
    provider: "pulumi:providers:kubernetes",
    stackReference: "pulumi:pulumi:StackReference",
};

const ACCOUNT = "123456789012";
const WARM_SERVICES = ["ai", "auth", "project", "support", "team"];
const PILOT_SERVICES = ["app", "web"];

interface SiteShape {
    readonly name: WorkloadSiteName;
    readonly region: string;
    readonly failover: boolean;
    readonly services: string[];
    readonly prefix: string;
    readonly readOnly: boolean;
    /** The site's own database host and secret copy: each site reads its own region. */
    readonly dbHost: string;
    readonly secretArn: string;
}

function site(shape: SiteShape): WorkloadSite {
    const { name, region, services, prefix } = shape;
    const registry = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
    const clusterName = `${name}-eks-${region === "ap-northeast-2" ? "4f2a9c1" : "8b3e0d7"}`;
    return {
        role: name === "primary" ? "primary" : shape.failover ? "active" : "standby",
        region,
        failover: shape.failover,
        cluster: {
            name: clusterName,
            endpoint: `https://${clusterName.slice(-7).toUpperCase()}0A1B2C3D4E5F.gr7.${region}.eks.amazonaws.com`,
            certificateAuthority: Buffer.from(`-----BEGIN CERTIFICATE-----\nca-of-${clusterName}\n-----END CERTIFICATE-----\n`).toString("base64"),
        },
        namespace: prefix,
        serviceAccountName: `${prefix}-app`,
        workloadRoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-workload-role-${region.slice(-1)}a1b2c3`,
        loadBalancerController: {
            roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-lb-controller-${region.slice(-1)}d4e5f6`,
            serviceAccountName: "aws-load-balancer-controller",
            namespace: "kube-system",
            vpcId: `vpc-0${region === "ap-northeast-2" ? "a1b2c3d4" : "e5f6a7b8"}`,
        },
        entryPoint: {
            targetGroupArns: Object.fromEntries(services.map((service, index) =>
                [service, `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/${name}-${service}-tg/${(0x5a1c0de0 + index).toString(16)}f00dcafe`])),
            dnsName: `${name}-alb-1234567890.${region}.elb.amazonaws.com`,
            checkedHost: `${name === "primary" ? "seoul" : "tokyo"}-lb.${prefix}.example.com`,
            healthCheckPath: "/health",
        },
        repositories: Object.fromEntries(services.map(service => [service, `${registry}/${prefix}-${service}`])),
        settings: {
            DB_HOST: shape.dbHost,
            DB_PORT: "3306",
            DB_NAME: prefix,
            DB_READ_ONLY: String(shape.readOnly),
            DB_SECRET_ARN: shape.secretArn,
            ECR_REGISTRY: registry,
            AWS_REGION: region,
            ...(prefix === "portforge" ? {
                S3_BUCKET: `portforge-team-${name === "primary" ? "" : "dr-"}1a2b3c4`,
                S3_BUCKET_PORTFORGE_TEAM: `portforge-team-${name === "primary" ? "" : "dr-"}1a2b3c4`,
                DYNAMODB_TABLE_TEAM_CHATS_DDB: "team_chats_ddb-7c1d2e3",
            } : {}),
        },
    };
}

/** The secret's ARN in each region: a replica's ARN differs from the primary's. */
export const SECRET_ARNS = {
    primary: `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:primary-db-credentials-9f8e7d-AbCdEf`,
    standby: `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:primary-db-credentials-9f8e7d-GhIjKl`,
};

/** `workloadSites` of the warm-standby infrastructure stack, with failover off or on. */
export function warmStandbySites(failover = false): Record<WorkloadSiteName, WorkloadSite> {
    return {
        primary: site({
            name: "primary", region: "ap-northeast-2", failover, services: WARM_SERVICES, prefix: "portforge", readOnly: false,
            dbHost: "primary-mysql-3c4d5e6.c3c4d5e6.ap-northeast-2.rds.amazonaws.com", secretArn: SECRET_ARNS.primary,
        }),
        standby: site({
            name: "standby", region: "ap-northeast-1", failover, services: WARM_SERVICES, prefix: "portforge", readOnly: !failover,
            dbHost: "standby-mysql-7a8b9c0.c7a8b9c0.ap-northeast-1.rds.amazonaws.com", secretArn: SECRET_ARNS.standby,
        }),
    };
}

/** `workloadSites` of the pilot-light infrastructure stack: Seoul only. */
export function pilotLightSites(): Partial<Record<WorkloadSiteName, WorkloadSite>> {
    return {
        primary: site({
            name: "primary", region: "ap-northeast-2", failover: false, services: PILOT_SERVICES, prefix: "petclinic", readOnly: false,
            dbHost: "primary-mysql-1b2c3d4.c1b2c3d4.ap-northeast-2.rds.amazonaws.com", secretArn: SECRET_ARNS.primary,
        }),
    };
}

/** Infrastructure stack outputs carrying the sites, as `runStack(...).outputs` would. */
export function infraOutputs(sites: Partial<Record<WorkloadSiteName, WorkloadSite>>): Record<string, unknown> {
    return { workloadSites: sites, strategy: "warm-standby" };
}

/** A shipped workloads stack against fixture sites, with config overrides. */
export function runFixtureStack(stack: string, sites: Partial<Record<WorkloadSiteName, WorkloadSite>>, overrides: Record<string, unknown> = {}): Promise<ProgramRun<unknown>> {
    return runWorkloadsStack(stack, infraOutputs(sites), overrides);
}
