import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AWS_RESOURCE_PERMISSIONS } from "../../permissions/aws";
import { AZURE_RESOURCE_PERMISSIONS } from "../../permissions/azure";
import { noCloudReason } from "../../permissions/noCloud";
import { REPO_ROOT } from "../../plan/stackFiles";

const SOURCES = ["program.ts", "components", "strategies", "lib", "workloads"];

function tsFiles(entry: string): string[] {
    const full = path.join(REPO_ROOT, entry);
    if (!fs.existsSync(full)) {
        return [];
    }
    if (fs.statSync(full).isFile()) {
        return full.endsWith(".ts") ? [full] : [];
    }
    return fs.readdirSync(full).flatMap(name => tsFiles(path.join(entry, name)));
}

/**
 * Every provider resource class the sources construct (`new aws.ec2.Vpc(`, `new storage.Blob(`),
 * as its Pulumi type token: what the program can declare under any config, not only the shipped
 * stack files.
 */
function constructedTypes(): Map<string, string[]> {
    const types = new Map<string, string[]>();
    for (const file of SOURCES.flatMap(tsFiles)) {
        const text = fs.readFileSync(file, "utf8");
        const modules = new Map<string, string>();
        for (const match of text.matchAll(/import \* as (\w+) from "(@pulumi\/(?!pulumi")[a-z-]+(?:\/[a-z]+)?)"/g)) {
            modules.set(match[1], match[2]);
        }
        for (const match of text.matchAll(/new (\w+)((?:\.\w+)+)\(/g)) {
            const module = modules.get(match[1]);
            if (!module) {
                continue;
            }
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            let value: any = require(module);
            for (const segment of match[2].slice(1).split(".")) {
                value = value?.[segment];
            }
            const token = value?.__pulumiType;
            if (typeof token === "string") {
                // A provider class carries only its package name.
                const type = token.includes(":") ? token : `pulumi:providers:${token}`;
                types.set(type, [...(types.get(type) ?? []), path.relative(REPO_ROOT, file)]);
            }
        }
    }
    return types;
}

describe("permissions: every resource class the sources construct", () => {
    it("has an entry, whichever config would declare it", () => {
        const types = constructedTypes();
        assert.ok(types.has("aws:ec2/vpc:Vpc") && types.has("azure-native:storage:Blob") && types.size > 60, `scan found: ${[...types.keys()].join(", ")}`);
        const missing = [...types].filter(([type]) =>
            !AWS_RESOURCE_PERMISSIONS[type] && !AZURE_RESOURCE_PERMISSIONS[type] && noCloudReason(type, true) === undefined)
            .map(([type, files]) => `${type} (${[...new Set(files)].join(", ")})`);
        assert.deepStrictEqual(missing, []);
    });
});
