import { buildSync } from "esbuild";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

/**
 * Bundles the CLI and every dependency into one CommonJS file for Node 20; returns its size.
 * Used by `npm run build:backup` and by the tests, which run the agent and restore from it.
 */
export function bundleCli(outfile: string): number {
  const result = buildSync({
    entryPoints: [join(ROOT, "backup", "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: false,
    legalComments: "linked",
    logLevel: "warning",
    metafile: true,
    // Some Azure SDK modules ship only as ESM and read import.meta.url; give the CommonJS bundle one.
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__importMetaUrl" },
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}
