import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { bundleCli } from "../backup/packaging/bundle";

/** The bundled backup agent and restore tool (one file, run by `node`); `npm run build:backup` writes the same file. */
export const BACKUP_TOOL_BUNDLE = path.resolve(__dirname, "..", "dist", "mysql-dr.js");

const built = new Set<string>();

/**
 * The backup tool as an asset for the AWS backup instance and the Azure tools container, bundled
 * from this repository's sources once per program run: what ships to the only thing that
 * protects the data is always the code that was tested, never a stale build.
 */
export function backupToolAsset(bundlePath: string = BACKUP_TOOL_BUNDLE): pulumi.asset.FileAsset {
    if (!built.has(bundlePath)) {
        bundleCli(bundlePath);
        built.add(bundlePath);
    }
    return new pulumi.asset.FileAsset(bundlePath);
}
