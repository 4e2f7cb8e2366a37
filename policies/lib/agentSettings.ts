import { readKnown, UNKNOWN, Unknown } from "./known";

/**
 * Defaults the backup agent applies when its settings file omits a key (backup/config/agent-config.ts;
 * a test keeps the two in step). The pack cannot import the agent: it must install on its own.
 */
export const AGENT_DEFAULTS = {
    DR_SHIP_INTERVAL: "200ms",
    DR_STALL_TIMEOUT: "30s",
    DR_FULL_BACKUP_INTERVAL: "24h",
} as const;

/** The backup agent's settings file, which the SSM document's script writes from a base64 `put` line. */
const SETTINGS_PUT = /^if put \S*\/agent\.env \S+ \S+ '([A-Za-z0-9+/=]*)'/;

/** The settings file's text inside an SSM Command document's content (JSON), or "" when it writes none. */
function settingsInDocument(content: string): string {
    try {
        const steps: { inputs?: { runCommand?: unknown } }[] = JSON.parse(content).mainSteps ?? [];
        const lines = steps.flatMap(step => (Array.isArray(step.inputs?.runCommand) ? step.inputs!.runCommand.map(String) : []));
        return lines.map(line => SETTINGS_PUT.exec(line)?.[1]).filter((b64): b64 is string => b64 !== undefined)
            .map(b64 => Buffer.from(b64, "base64").toString("utf8")).join("\n");
    } catch {
        return "";
    }
}

/**
 * The `DR_*` settings written for the backup agent, by key: from an instance's user data, or from
 * the SSM document (`content`) that configures the backup instance in place.
 */
export function agentSettingsOf(props: { userData?: string; userDataBase64?: string; content?: string }): Record<string, string> | Unknown {
    const plain = readKnown(() => props.userData);
    const encoded = readKnown(() => props.userDataBase64);
    const document = readKnown(() => props.content);
    if (plain === UNKNOWN || encoded === UNKNOWN || document === UNKNOWN) {
        return UNKNOWN;
    }
    const text = [plain ?? "", encoded ? Buffer.from(encoded, "base64").toString("utf8") : "", document ? settingsInDocument(document) : ""].join("\n");
    const settings: Record<string, string> = {};
    for (const match of text.matchAll(/^\s*(DR_[A-Z0-9_]+)=(.*)$/gm)) {
        settings[match[1]] = match[2].trim().replace(/^(["'])(.*)\1$/, "$2");
    }
    return settings;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses the agent's durations (`200ms`, `30s`, `5m`, `24h`, `7d`, or bare seconds) into milliseconds. */
export function parseAgentDuration(text: string): number | undefined {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
    return match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "s"]) : undefined;
}

/** Milliseconds as the shortest readable text: `200 ms`, `30.2 s`, `5 min`, `24 h`. */
export function formatDuration(ms: number): string {
    if (ms < 1000) {
        return `${ms} ms`;
    }
    if (ms < 120_000) {
        return `${Number((ms / 1000).toFixed(1))} s`;
    }
    if (ms < 7_200_000) {
        return `${Number((ms / 60_000).toFixed(1))} min`;
    }
    return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
