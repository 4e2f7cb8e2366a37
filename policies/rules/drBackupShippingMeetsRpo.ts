import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AGENT_DEFAULTS, agentSettingsOf, formatDuration, parseAgentDuration } from "../lib/agentSettings";
import { readKnown, UNKNOWN } from "../lib/known";
import { stackResourcesOfType } from "../lib/typed";
import { BlobContainerProps, T } from "../lib/types";

/** Config of {@link drBackupShippingMeetsRpo}. */
export interface ShippingConfig {
    /** The stack's RPO target: most data, in seconds of writes, a regional loss may cost. */
    rpoSeconds: number;
    /** Longest time between full dumps (restores replay every binlog since the last one). */
    maxFullBackupIntervalHours: number;
    /** Names of the Azure blob containers that receive database backups. */
    backupContainers: string[];
}

/** The pilot light's RPO (seed 001: 5 minutes). */
export const DEFAULT_RPO_SECONDS = 300;

/**
 * Backup shipping consistent with the RPO: every backup container has a backup agent instance
 * pointed at it, and that agent's settings bound the data at risk. The agent streams binlogs as
 * they are written, ships them every DR_SHIP_INTERVAL and restarts a stalled reader after
 * DR_STALL_TIMEOUT, so DR_SHIP_INTERVAL + DR_STALL_TIMEOUT bounds what a regional loss can cost
 * while the agent runs; a full dump every DR_FULL_BACKUP_INTERVAL bounds how much a restore
 * replays.
 */
export const drBackupShippingMeetsRpo: StackValidationPolicy = {
    name: "dr-backup-shipping-meets-rpo",
    description: "Every Azure backup container has a backup agent instance shipping to it, with ship interval + stall timeout within the RPO and full dumps at least as often as configured.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Keep the backup agent instance (BackupInstance) in the stack with DR_BLOB_CONTAINER_URL pointing at the container; lower DR_SHIP_INTERVAL / DR_STALL_TIMEOUT or DR_FULL_BACKUP_INTERVAL in its settings, or raise rpoSeconds / maxFullBackupIntervalHours if the targets allow it.",
    configSchema: {
        properties: {
            rpoSeconds: { type: "integer", minimum: 1, default: DEFAULT_RPO_SECONDS, description: "RPO target in seconds (seed 001: 5 minutes)." },
            maxFullBackupIntervalHours: { type: "number", exclusiveMinimum: 0, default: 24, description: "Longest time between full dumps, in hours." },
            backupContainers: {
                type: "array",
                items: { type: "string", minLength: 3 },
                uniqueItems: true,
                default: ["mysql-backups"],
                description: "Blob containers that receive database backups (the program's backupContainerName).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<ShippingConfig>();
        const containers = stackResourcesOfType(args.resources, T.blobContainer).filter(container => {
            const name = readKnown(() => (container.props as BlobContainerProps).containerName);
            return name !== UNKNOWN && name !== undefined && config.backupContainers.includes(name);
        });
        if (containers.length === 0) {
            args.notApplicable("The stack declares no backup container");
        }
        // The backup instance's settings live in the SSM document that configures it in place; older stacks had them in user data.
        const instances = [...stackResourcesOfType(args.resources, T.instance), ...stackResourcesOfType(args.resources, "aws:ssm/document:Document")];
        const agents = instances.map(instance => ({ instance, settings: agentSettingsOf(instance.props) }));
        if (agents.some(agent => agent.settings === UNKNOWN)) {
            return;
        }
        for (const container of containers) {
            const props = container.props as BlobContainerProps;
            const name = props.containerName as string;
            const account = readKnown(() => props.accountName);
            const shipping = agents.filter(agent => shipsTo(agent.settings as Record<string, string>, name, account));
            if (shipping.length === 0) {
                if (account !== UNKNOWN) {
                    reportViolation(`backup container ${name} has no backup agent: no instance's settings point DR_BLOB_CONTAINER_URL at it, so nothing is backed up and the RPO is unbounded`, container.urn);
                }
                continue;
            }
            for (const { instance, settings } of shipping) {
                checkAgent(instance, settings as Record<string, string>, config, reportViolation);
            }
        }
    },
};

/** The agent's container URL names this container (and this account, when known). */
function shipsTo(settings: Record<string, string>, container: string, account: string | undefined | typeof UNKNOWN): boolean {
    const url = settings.DR_BLOB_CONTAINER_URL;
    if (url === undefined) {
        return false;
    }
    try {
        const parsed = new URL(url);
        const path = parsed.pathname.replace(/^\/+|\/+$/g, "");
        const host = parsed.hostname.split(".")[0];
        // Azurite-style URLs carry the account in the path: http://127.0.0.1:10000/<account>/<container>.
        const [first, second] = path.split("/");
        const named = second === undefined ? { account: host, container: first } : { account: first, container: second };
        return named.container === container && (typeof account !== "string" || named.account === account);
    } catch {
        return false;
    }
}

function checkAgent(instance: PolicyResource, settings: Record<string, string>, config: ShippingConfig, report: (message: string, urn?: string) => void): void {
    const value = (key: keyof typeof AGENT_DEFAULTS) => settings[key] ?? AGENT_DEFAULTS[key];
    const ship = parseAgentDuration(value("DR_SHIP_INTERVAL"));
    const stall = parseAgentDuration(value("DR_STALL_TIMEOUT"));
    const full = parseAgentDuration(value("DR_FULL_BACKUP_INTERVAL"));
    for (const [key, parsed] of [["DR_SHIP_INTERVAL", ship], ["DR_STALL_TIMEOUT", stall], ["DR_FULL_BACKUP_INTERVAL", full]] as const) {
        if (parsed === undefined) {
            report(`backup agent ${instance.name} sets ${key}=${settings[key]}, which is not a duration the agent reads (e.g. 200ms, 30s, 24h)`, instance.urn);
        }
    }
    if (ship !== undefined && stall !== undefined && ship + stall > config.rpoSeconds * 1000) {
        report(
            `backup agent ${instance.name} can fall ${formatDuration(ship + stall)} behind before it reacts (DR_SHIP_INTERVAL ${value("DR_SHIP_INTERVAL")} + DR_STALL_TIMEOUT ${value("DR_STALL_TIMEOUT")}); the RPO target is ${config.rpoSeconds} s`,
            instance.urn,
        );
    }
    if (full !== undefined && full > config.maxFullBackupIntervalHours * 3_600_000) {
        report(
            `backup agent ${instance.name} takes a full dump every ${value("DR_FULL_BACKUP_INTERVAL")}; at most every ${config.maxFullBackupIntervalHours} h keeps the binlog replay of a restore bounded`,
            instance.urn,
        );
    }
}
