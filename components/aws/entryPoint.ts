import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Port every service's pods listen on; target groups send traffic there directly (target type `ip`). */
export const SERVICE_PORT = 8080;
/** Path the target groups probe on each pod; the workloads' readiness probe uses the same one. */
export const TARGET_HEALTH_PATH = "/health";
/**
 * TLS 1.3 and 1.2 with forward-secret ciphers only: the ELB policy AWS recommends for HTTPS listeners
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 */
export const ENTRY_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** AWS limits target group names to 32 characters; Pulumi appends an 8-character suffix. */
export const MAX_TARGET_GROUP_NAME = 32;
const AUTONAME_SUFFIX = 8;

/** Which AWS site an entry point serves; its checked host carries the name. */
export type EntrySite = "primary" | "standby";

export interface EntryPointArgs {
    readonly region: string;
    readonly site: EntrySite;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC block: the only place the load balancer sends traffic (to pods on {@link SERVICE_PORT}). */
    readonly vpcCidr: string;
    /** Public subnets in at least two zones (the Network's public tier). */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** The EKS cluster security group the pods share: it admits the load balancer on {@link SERVICE_PORT}. */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** Services, one target group and path rule each (`/<service>`, `/<service>/*`). */
    readonly services: string[];
    /** The service for every path no rule claims, Route 53's health check included. Default the first service. */
    readonly entryService?: string;
    /** The public hosted zone of `domainName`: certificate validation and the checked host's record go there. */
    readonly hostedZoneId: pulumi.Input<string>;
    readonly domainName: string;
    /** Label of the name users reach (`app` for `app.<domainName>`). */
    readonly recordName: string;
    /** ALB deletion protection, so a stray destroy cannot take the site's entry point away. Default true. */
    readonly deletionProtection?: boolean;
    readonly tags?: Record<string, string>;
}

/** `<recordName>-<site>.<domainName>`: the host Route 53 probes on this site (Host header and SNI). */
/** Listener rule priorities AWS accepts: 1-50000. */
const MAX_RULE_PRIORITY = 50000;

/**
 * A service's listener rule priority, from its name alone. Positions in `services` would renumber
 * every later rule when a service is added or removed in the middle, and the update would fail on
 * a priority still held by another rule; the paths never overlap, so order does not matter.
 */
export function listenerRulePriority(service: string): number {
    let hash = 0x811c9dc5;
    for (const char of service) {
        hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    }
    return 1 + (hash % MAX_RULE_PRIORITY);
}

export function checkedHostOf(recordName: string, site: EntrySite, domainName: string): string {
    return `${recordName}-${site}.${domainName}`;
}

/** Problems with entry point args, one string each. */
export function validateEntryPointArgs(name: string, args: EntryPointArgs): string[] {
    const problems: string[] = [];
    if (args.services.length === 0) {
        problems.push("services: at least one service is needed to send traffic to");
    }
    if (args.entryService !== undefined && !args.services.includes(args.entryService)) {
        problems.push(`entryService ${args.entryService} is not one of services`);
    }
    const byPriority = new Map<number, string>();
    for (const service of args.services) {
        const other = byPriority.get(listenerRulePriority(service));
        if (other !== undefined && other !== service) {
            problems.push(`services ${other} and ${service} map to the same listener rule priority; rename one`);
        }
        byPriority.set(listenerRulePriority(service), service);
    }
    const tooLong = args.services.filter(service => targetGroupName(name, service).length + AUTONAME_SUFFIX > MAX_TARGET_GROUP_NAME);
    if (tooLong.length > 0) {
        problems.push(`services ${tooLong.join(", ")}: target group names would pass AWS's ${MAX_TARGET_GROUP_NAME} characters`);
    }
    if (args.publicSubnetIds.length < 2) {
        problems.push("publicSubnetIds: an Application Load Balancer needs subnets in at least two zones");
    }
    return problems;
}

function targetGroupName(name: string, service: string): string {
    return `${name}-tg-${service}`;
}

/**
 * A site's way in from the internet: an internet-facing Application Load Balancer in the public
 * subnets with an ACM certificate for the public name and the site's checked host, HTTPS only
 * (HTTP redirects), one `ip` target group per service that the workloads bind their pods to
 * (AWS Load Balancer Controller TargetGroupBinding), path rules per service, and an alias record
 * for the checked host. The load balancer may reach pods on {@link SERVICE_PORT} and nothing else.
 */
export class EntryPoint extends pulumi.ComponentResource {
    readonly dnsName: pulumi.Output<string>;
    /** The load balancer's canonical hosted zone, for alias records. */
    readonly zoneId: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** Target group ARN per service. */
    readonly targetGroupArns: Record<string, pulumi.Output<string>>;
    readonly certificateArn: pulumi.Output<string>;
    /** The public name users reach, `<recordName>.<domainName>`. */
    readonly publicHost: string;
    /** `<recordName>-<site>.<domainName>`, which Route 53's health check probes. */
    readonly checkedHost: string;
    readonly entryService: string;

    constructor(name: string, args: EntryPointArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("EntryPoint", name, validateEntryPointArgs(name, args));
        super("dr:aws:EntryPoint", name, {}, opts);
        const region = args.region;
        const parent = { parent: this };
        const tags = (child: string) => childTags(child, args.tags);
        this.publicHost = `${args.recordName}.${args.domainName}`;
        this.checkedHost = checkedHostOf(args.recordName, args.site, args.domainName);
        this.entryService = args.entryService ?? args.services[0];

        const albSg = new aws.ec2.SecurityGroup(`${name}-alb-sg`, {
            region,
            vpcId: args.vpcId,
            description: `Load balancer of the ${args.site} site: HTTPS and HTTP from the internet, to pods in the VPC only`,
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS from users and Route 53 health checkers" },
                { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], description: "HTTP, redirected to HTTPS" },
            ],
            egress: [{ protocol: "tcp", fromPort: SERVICE_PORT, toPort: SERVICE_PORT, cidrBlocks: [args.vpcCidr], description: "To pods (target type ip)" }],
            tags: tags(`${name}-alb-sg`),
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${name}-alb-to-pods`, {
            region,
            securityGroupId: args.clusterSecurityGroupId,
            referencedSecurityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: SERVICE_PORT,
            toPort: SERVICE_PORT,
            description: `From the ${args.site} load balancer to pods`,
            tags: tags(`${name}-alb-to-pods`),
        }, parent);

        const alb = new aws.lb.LoadBalancer(`${name}-alb`, {
            region,
            loadBalancerType: "application",
            internal: false,
            securityGroups: [albSg.id],
            subnets: args.publicSubnetIds,
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection ?? true,
            tags: tags(`${name}-alb`),
        }, parent);

        const targetGroups = Object.fromEntries(args.services.map(service => [service, new aws.lb.TargetGroup(targetGroupName(name, service), {
            region,
            vpcId: args.vpcId,
            targetType: "ip",
            port: SERVICE_PORT,
            protocol: "HTTP",
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path: TARGET_HEALTH_PATH,
                matcher: "200",
                interval: 15,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
            tags: { ...tags(targetGroupName(name, service)), "dr:service": service },
        }, parent)]));

        const certificate = new aws.acm.Certificate(`${name}-cert`, {
            region,
            domainName: this.publicHost,
            subjectAlternativeNames: [this.checkedHost],
            validationMethod: "DNS",
            tags: tags(`${name}-cert`),
        }, parent);
        // ACM gives the same validation record to every certificate of a name in an account, so the
        // other site's record for the public name may already exist: take it over rather than fail.
        const validationRecords = [this.publicHost, this.checkedHost].map((host, index) => {
            const option = certificate.domainValidationOptions.apply(options => {
                const found = options.find(o => o.domainName === host);
                if (!found) {
                    throw new Error(`ACM returned no DNS validation record for ${host}`);
                }
                return found;
            });
            return new aws.route53.Record(`${name}-cert-validation-${index}`, {
                zoneId: args.hostedZoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            }, parent);
        });
        const validated = new aws.acm.CertificateValidation(`${name}-cert-validated`, {
            region,
            certificateArn: certificate.arn,
            validationRecordFqdns: validationRecords.map(record => record.fqdn),
        }, parent);

        const https = new aws.lb.Listener(`${name}-https`, {
            region,
            loadBalancerArn: alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: ENTRY_TLS_POLICY,
            certificateArn: validated.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: targetGroups[this.entryService].arn }],
            tags: tags(`${name}-https`),
        }, parent);
        new aws.lb.Listener(`${name}-http`, {
            region,
            loadBalancerArn: alb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: tags(`${name}-http`),
        }, parent);
        args.services.forEach(service => new aws.lb.ListenerRule(`${name}-route-${service}`, {
            region,
            listenerArn: https.arn,
            priority: listenerRulePriority(service),
            conditions: [{ pathPattern: { values: [`/${service}`, `/${service}/*`] } }],
            actions: [{ type: "forward", targetGroupArn: targetGroups[service].arn }],
            tags: tags(`${name}-route-${service}`),
        }, parent));

        new aws.route53.Record(`${name}-checked-host`, {
            zoneId: args.hostedZoneId,
            name: this.checkedHost,
            type: "A",
            aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: false }],
        }, parent);

        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.loadBalancerArn = alb.arn;
        this.securityGroupId = albSg.id;
        this.targetGroupArns = Object.fromEntries(Object.entries(targetGroups).map(([service, group]) => [service, group.arn]));
        this.certificateArn = validated.certificateArn;
        this.registerOutputs({
            dnsName: this.dnsName,
            checkedHost: this.checkedHost,
            targetGroupArns: this.targetGroupArns,
            certificateArn: this.certificateArn,
        });
    }
}
