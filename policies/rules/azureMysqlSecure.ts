import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseIpv4Address } from "../lib/cidr";
import { resourceOfType } from "../lib/typed";
import { T } from "../lib/types";

/** Config of {@link azureMysqlSecure}. */
export interface MysqlSecurityConfig {
    /** Most addresses one firewall rule may admit. */
    maxAddressesPerRule: number;
}

/** TLS versions older than 1.2, as MySQL spells them in tls_version. */
const OLD_TLS = ["tlsv1", "tlsv1.1"];

/** Azure MySQL: TLS stays required and no firewall rule opens the server to the internet. */
export const azureMysqlSecure: ResourceValidationPolicy = {
    name: "azure-mysql-secure",
    description: "Azure Database for MySQL keeps require_secure_transport ON and TLS 1.2+, and no firewall rule admits the internet, all Azure services, or a range wider than the configured size.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Leave require_secure_transport ON (the flexible-server default) and tls_version at TLSv1.2 or later; prefer VNet integration (no public endpoint) and, if firewall rules are needed, admit single addresses or small ranges.",
    configSchema: {
        properties: {
            maxAddressesPerRule: {
                type: "integer",
                minimum: 1,
                default: 256,
                description: "Most addresses one firewall rule may admit (256 = a /24).",
            },
        },
    },
    validateResource: [
        resourceOfType<{ configurationName?: string; value?: string }>(T.mysqlConfiguration, (props, _args, reportViolation) => {
            const name = props.configurationName?.toLowerCase();
            const value = props.value?.toLowerCase().trim();
            if (name === "require_secure_transport" && (value === "off" || value === "0")) {
                reportViolation("turns require_secure_transport OFF, so clients may connect without TLS");
            }
            if (name === "tls_version" && value !== undefined) {
                const old = value.split(",").map(v => v.trim()).filter(v => OLD_TLS.includes(v));
                if (old.length > 0) {
                    reportViolation(`allows ${old.join(", ")} (tls_version ${JSON.stringify(props.value)}): allow TLSv1.2 and later only`);
                }
            }
        }),
        resourceOfType<{ startIpAddress?: string; endIpAddress?: string }>(T.mysqlFirewallRule, (props, args, reportViolation) => {
            const start = parseIpv4Address(props.startIpAddress ?? "");
            const end = parseIpv4Address(props.endIpAddress ?? "");
            if (start === undefined || end === undefined) {
                return;
            }
            const range = `${props.startIpAddress}-${props.endIpAddress}`;
            const size = end - start + 1n;
            const { maxAddressesPerRule } = args.getConfig<MysqlSecurityConfig>();
            if (start === 0n && end === 0xffffffffn) {
                reportViolation(`admits the whole internet (${range})`);
            } else if (start === 0n && end === 0n) {
                reportViolation(`admits every Azure service of every customer (${range})`);
            } else if (size > BigInt(maxAddressesPerRule)) {
                reportViolation(`admits ${size} addresses (${range}); at most ${maxAddressesPerRule} are allowed per rule`);
            }
        }),
    ],
};
