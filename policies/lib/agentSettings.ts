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

/** The `DR_*` settings an instance's user data writes for the backup agent, by key. */
export function agentSettingsOf(props: { userData?: string; userDataBase64?: string }): Record<string, string> | Unknown {
    const plain = readKnown(() => props.userData);
    const encoded = readKnown(() => props.userDataBase64);
    if (plain === UNKNOWN || encoded === UNKNOWN) {
        return UNKNOWN;
    }
    const text = [plain ?? "", encoded ? Buffer.from(encoded, "base64").toString("utf8") : ""].join("\n");
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
