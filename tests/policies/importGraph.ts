import * as fs from "fs";
import { isBuiltin } from "module";
import * as path from "path";
import * as ts from "typescript";

const RESOLVED_EXTENSIONS = ["", ".ts", ".d.ts", ".json", "/index.ts"];

/** Every .ts file below `root`, skipping node_modules and build output. */
export function typeScriptFiles(root: string): string[] {
    return fs.readdirSync(root, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(root, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" || entry.name === "bin" ? [] : typeScriptFiles(full);
        }
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The module specifiers a file imports: `import`, `export ... from`, `import()` and `require()`. */
export function importsOf(file: string): string[] {
    return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map(imported => imported.fileName);
}

/**
 * Walks the import graph from every .ts file below `root` and returns each import that leaves it:
 * a relative path resolving outside `root` (or to nothing), or a package that `root/package.json`
 * does not list as a dependency (Node built-ins are allowed). Empty when the folder is self-contained.
 */
export function importsLeaving(root: string): string[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const packages = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
    const problems: string[] = [];
    const seen = new Set<string>();
    const queue = typeScriptFiles(root);
    while (queue.length > 0) {
        const file = queue.shift()!;
        if (seen.has(file) || !file.endsWith(".ts")) {
            continue;
        }
        seen.add(file);
        const from = path.relative(root, file);
        for (const specifier of importsOf(file)) {
            if (specifier.startsWith(".")) {
                const target = path.resolve(path.dirname(file), specifier);
                if (path.relative(root, target).startsWith("..")) {
                    problems.push(`${from}: ${specifier} resolves outside the pack`);
                    continue;
                }
                const resolved = RESOLVED_EXTENSIONS.map(ext => target + ext).find(candidate => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
                if (resolved === undefined) {
                    problems.push(`${from}: ${specifier} resolves to no file`);
                } else {
                    queue.push(resolved);
                }
            } else if (!isBuiltin(specifier)) {
                const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
                if (!packages.has(name)) {
                    problems.push(`${from}: ${specifier} is not a dependency in package.json`);
                }
            }
        }
    }
    return problems;
}
