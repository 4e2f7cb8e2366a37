import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** The bundled backup agent and restore tool (one file, run by `node`), built by `npm run build:backup`. */
export const BACKUP_TOOL_BUNDLE = path.resolve(__dirname, "..", "dist", "mysql-dr.js");

/**
 * The backup tool as an asset for the AWS backup instance and the Azure tools container. Throws,
 * before anything is declared, when the bundle has not been built: shipping a stale or missing
 * tool to the only thing that protects the data is worse than stopping.
 */
export function backupToolAsset(bundlePath: string = BACKUP_TOOL_BUNDLE): pulumi.asset.FileAsset {
    if (!fs.existsSync(bundlePath)) {
        throw new Error(`${path.relative(process.cwd(), bundlePath) || bundlePath} is missing: run \`npm run build:backup\` before \`pulumi up\` on a pilot-light stack`);
    }
    return new pulumi.asset.FileAsset(bundlePath);
}
