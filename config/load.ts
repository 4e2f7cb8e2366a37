import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./defaults";
import { parseConfig } from "./parse";
import { DrConfig } from "./types";

/**
 * Reads this project's keys from the running stack's config and validates them.
 * Call it before declaring any resource: it throws a ConfigError naming every bad key.
 */
export function loadConfig(): DrConfig {
    const prefix = `${PROJECT}:`;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            values[key.slice(prefix.length)] = value;
        }
    }
    return parseConfig(values);
}
