import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { StackConfig } from "./runProgram";

/** The repository root, where Pulumi.yaml and the stack files live. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The `config:` map of `Pulumi.<stack>.yaml`, as the CLI would hand it to the program. */
export function stackFileConfig(stack: string): StackConfig {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: StackConfig };
    return { ...(document.config ?? {}) };
}
