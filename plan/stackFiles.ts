import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { StackConfig } from "./runOffline";

/** The repository root, where Pulumi.yaml and the stack files live. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** The `config:` map of `Pulumi.<stack>.yaml`, as the CLI would hand it to the program. */
export function stackFileConfig(stack: string): StackConfig {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: StackConfig };
    return { ...(document.config ?? {}) };
}

/**
 * This project's keys from a stack config, without namespace and with values as the program sees
 * them (strings; lists and maps as JSON), with `overrides` applied (`undefined` removes a key).
 */
export function projectValues(config: StackConfig, overrides: Record<string, unknown> = {}): Record<string, string> {
    const values: Record<string, string> = {};
    const merged: Record<string, unknown> = { ...config };
    for (const [key, value] of Object.entries(overrides)) {
        merged[key.includes(":") ? key : `multicloud-dr:${key}`] = value;
    }
    for (const [key, value] of Object.entries(merged)) {
        if (!key.startsWith("multicloud-dr:") || value === undefined) {
            continue;
        }
        values[key.slice("multicloud-dr:".length)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return values;
}
