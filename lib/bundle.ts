import { buildSync } from "esbuild";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const bundles = new Map<string, string>();

/**
 * Bundles a TypeScript entry point and its dependencies into one CommonJS file for Node 20
 * (esbuild, deterministic output, memoized per process). Built at deploy time from the sources
 * in this repository, so a function can never run a stale build.
 */
export function bundleTypeScript(entry: string): string {
    const absolute = path.resolve(entry);
    const cached = bundles.get(absolute);
    if (cached !== undefined) {
        return cached;
    }
    const result = buildSync({
        entryPoints: [absolute],
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        write: false,
        minify: false,
        legalComments: "none",
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    bundles.set(absolute, code);
    return code;
}

/** A Lambda deployment package with the bundle as `index.js` (handler `index.handler`). */
export function lambdaArchive(entry: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleTypeScript(entry)) });
}
