import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { importsLeaving } from "./importGraph";

const PACK = path.resolve(__dirname, "../../policies");

/** Copies the pack as a user would get it: every file but node_modules and build output. */
function copyPack(): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    fs.cpSync(PACK, copy, { recursive: true, filter: source => !["node_modules", "bin"].includes(path.basename(source)) });
    return copy;
}

// What `npm test` and ts-node pass down about the main program's folder stays out of the copy.
const CHILD_ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_package_|npm_lifecycle_|TS_NODE_)|^(npm_config_local_prefix|INIT_CWD|NODE_PATH)$/.test(key)));

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: CHILD_ENV });
    return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

describe("policy pack installs and runs from a copy of its own folder", function () {
    this.timeout(180_000);
    let copy: string;

    before(function () {
        copy = copyPack();
        // The pack's lock and the machine's npm cache; a CI without either must fail here, not skip.
        const install = run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], copy);
        assert.strictEqual(install.status, 0, `npm ci failed in the copied pack (${copy}):\n${install.output}`);
    });

    after(() => {
        if (copy) {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });

    it("has a manifest, a lock, a strict tsconfig and a nodejs PulumiPolicy.yaml", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8"));
        const lock = JSON.parse(fs.readFileSync(path.join(copy, "package-lock.json"), "utf8"));
        assert.strictEqual(manifest.main, "index.ts");
        assert.strictEqual(lock.name, manifest.name);
        for (const dependency of ["@pulumi/policy", "@pulumi/pulumi", "typescript", "ts-node", "@types/node"]) {
            assert.ok(manifest.dependencies[dependency], `${dependency} is a dependency`);
            assert.ok(lock.packages[`node_modules/${dependency}`], `${dependency} is locked`);
        }
        const root = JSON.parse(fs.readFileSync(path.resolve(PACK, "../package.json"), "utf8"));
        assert.strictEqual(manifest.dependencies["@pulumi/policy"], root.dependencies["@pulumi/policy"], "the same @pulumi/policy as the program");
        assert.strictEqual(manifest.dependencies["@pulumi/pulumi"], root.dependencies["@pulumi/pulumi"], "the same @pulumi/pulumi as the program");
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(copy, "tsconfig.json"), "utf8")).compilerOptions.strict, true);
        assert.match(fs.readFileSync(path.join(copy, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
    });

    it("imports nothing from outside its folder (the import graph of every .ts file)", () => {
        assert.deepStrictEqual(importsLeaving(copy), []);
    });

    it("type-checks with its own TypeScript", () => {
        const tsc = run("npx", ["--no-install", "tsc", "--noEmit", "-p", "."], copy);
        assert.strictEqual(tsc.status, 0, tsc.output);
    });

    it("runs the policies through its own ts-node and SDKs", () => {
        const script = [
            "const where = ['ts-node', '@pulumi/policy', '@pulumi/pulumi'].map(m => require.resolve(m));",
            "const { evaluatePolicies } = require('./evaluate');",
            "const db = { type: 'aws:rds/instance:Instance', name: 'db', urn: 'urn:pulumi:s::p::aws:rds/instance:Instance::db', inputs: { storageEncrypted: false } };",
            "evaluatePolicies([db]).then(e => console.log(JSON.stringify({ where, policies: e.violations.map(v => v.policy) })));",
        ].join("\n");
        const node = run(process.execPath, ["-r", "ts-node/register", "-e", script], copy);
        assert.strictEqual(node.status, 0, node.output);
        const result = JSON.parse(node.output.trim().split("\n").pop()!) as { where: string[]; policies: string[] };
        const real = fs.realpathSync(copy);
        assert.ok(result.where.every(file => fs.realpathSync(file).startsWith(real + path.sep)), `modules resolved inside the copy: ${result.where.join(", ")}`);
        assert.ok(result.policies.includes("aws-rds-encrypted"), result.policies.join(", "));
    });
});

describe("pack import check", () => {
    it("reports an import that leaves the folder, one that resolves to nothing, and an undeclared package", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-imports-"));
        try {
            fs.mkdirSync(path.join(dir, "evaluator"));
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ dependencies: { "@pulumi/policy": "1.21.0" } }));
            fs.writeFileSync(path.join(dir, "index.ts"), 'import "./evaluator/config";\nimport * as fs from "fs";\nimport { PolicyPack } from "@pulumi/policy";\n');
            fs.writeFileSync(path.join(dir, "evaluator", "config.ts"), 'import { editDistance } from "../../lib/editDistance";\nimport "./missing";\nconst yaml = require("yaml");\n');
            assert.deepStrictEqual(importsLeaving(dir), [
                `${path.join("evaluator", "config.ts")}: ../../lib/editDistance resolves outside the pack`,
                `${path.join("evaluator", "config.ts")}: ./missing resolves to no file`,
                `${path.join("evaluator", "config.ts")}: yaml is not a dependency in package.json`,
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
