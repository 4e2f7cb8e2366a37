import { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { isWholeInternet, parseCidr } from "../lib/cidr";
import { resourceOfType, resourceOfTypes } from "../lib/typed";
import { SecurityGroupRuleProps, T } from "../lib/types";

/** Config of {@link awsSgNoWorldAdminPorts}. */
export interface AdminPortsConfig {
    /** Ports that must never be open to the whole internet. */
    adminPorts: number[];
}

/**
 * Remote administration, databases, caches, search and cluster control planes: ports attackers
 * scan for. SSH 22, Telnet 23, RPC 135, SMB 139/445, SQL Server 1433, Oracle 1521, NFS 2049,
 * Docker 2375/2376, etcd 2379/2380, MySQL 3306, RDP 3389, PostgreSQL 5432, VNC 5900,
 * CouchDB 5984, Redis 6379, Kubernetes API 6443, Cassandra 9042, Elasticsearch 9200/9300,
 * kubelet 10250, memcached 11211, MongoDB 27017.
 */
export const DEFAULT_ADMIN_PORTS = [22, 23, 135, 139, 445, 1433, 1521, 2049, 2375, 2376, 2379, 2380, 3306, 3389, 5432, 5900, 5984, 6379, 6443, 9042, 9200, 9300, 10250, 11211, 27017];

/** One ingress permission, however the resource spells it. */
interface Ingress {
    readonly where: string;
    readonly protocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly sources: string[];
}

/** No admin or database port open to 0.0.0.0/0 or ::/0. */
export const awsSgNoWorldAdminPorts: ResourceValidationPolicy = {
    name: "aws-sg-no-world-admin-ports",
    description: "No security group ingress opens SSH, RDP, database or other admin ports to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Admit the port from the networks that need it (the application subnets, a bastion's security group, your office range) or use Session Manager instead of SSH.",
    configSchema: {
        properties: {
            adminPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                minItems: 1,
                uniqueItems: true,
                default: DEFAULT_ADMIN_PORTS,
                description: "Ports that must never be reachable from the whole internet.",
            },
        },
    },
    validateResource: [
        resourceOfTypes<{ ingress?: SecurityGroupRuleProps[] }>([T.securityGroup, T.defaultSecurityGroup], (props, args, report) => {
            const ingress = (props.ingress ?? []).map((rule, index): Ingress => ({
                where: `ingress rule ${index + 1}${rule.description ? ` (${rule.description})` : ""}`,
                protocol: rule.protocol ?? "tcp",
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                sources: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])],
            }));
            ingress.forEach(rule => checkIngress(rule, args.getConfig<AdminPortsConfig>().adminPorts, report));
        }),
        resourceOfType<SecurityGroupRuleProps & { type?: string }>(T.securityGroupRule, (props, args, report) => {
            if (props.type !== "ingress") {
                return;
            }
            const rule: Ingress = { where: "the rule", protocol: props.protocol ?? "tcp", fromPort: props.fromPort, toPort: props.toPort, sources: [...(props.cidrBlocks ?? []), ...(props.ipv6CidrBlocks ?? [])] };
            checkIngress(rule, args.getConfig<AdminPortsConfig>().adminPorts, report);
        }),
        resourceOfType<{ ipProtocol?: string; fromPort?: number; toPort?: number; cidrIpv4?: string; cidrIpv6?: string }>(T.ingressRule, (props, args, report) => {
            const sources = [props.cidrIpv4, props.cidrIpv6].filter((s): s is string => typeof s === "string");
            const rule: Ingress = { where: "the rule", protocol: props.ipProtocol ?? "tcp", fromPort: props.fromPort, toPort: props.toPort, sources };
            checkIngress(rule, args.getConfig<AdminPortsConfig>().adminPorts, report);
        }),
    ],
};

function checkIngress(rule: Ingress, adminPorts: number[], report: ReportViolation): void {
    const world = rule.sources.filter(source => {
        const block = parseCidr(source);
        return block !== undefined && isWholeInternet(block);
    });
    if (world.length === 0) {
        return;
    }
    const protocol = rule.protocol.toLowerCase();
    const allPorts = ["-1", "all"].includes(protocol);
    if (!allPorts && !["tcp", "udp", "6", "17"].includes(protocol)) {
        return;
    }
    const from = allPorts ? 0 : rule.fromPort ?? 0;
    const to = allPorts ? 65535 : rule.toPort ?? from;
    const exposed = adminPorts.filter(port => port >= from && port <= to).sort((a, b) => a - b);
    if (exposed.length > 0) {
        const ports = allPorts ? "all ports" : from === to ? `port ${from}` : `ports ${from}-${to}`;
        report(`${rule.where} admits ${world.join(" and ")} to ${ports}, including admin port${exposed.length > 1 ? "s" : ""} ${exposed.join(", ")}`);
    }
}
