import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { alarmEvent, ENV } from "./fixtures";

const ENTRY = resolve(__dirname, "..", "..", "..", "lambda", "failover", "handler.ts");

// Calls the bundle's handler the way the Lambda runtime does and prints what came back.
const INVOKE = `
require(process.argv[1]).handler(JSON.parse(process.argv[2])).then(
    result => process.stdout.write("RESULT " + JSON.stringify(result) + "\\n"),
    error => process.stdout.write("ERROR " + error.message.replace(/\\n/g, " | ") + "\\n"));
`;

describe("failover Lambda: bundle", function () {
    this.timeout(30_000);
    let dir: string;
    let bundle: string;

    before(() => {
        dir = mkdtempSync(join(tmpdir(), "failover-bundle-"));
        bundle = join(dir, "index.js");
        const result = buildSync({ entryPoints: [ENTRY], bundle: true, platform: "node", target: "node20", format: "cjs", write: false, logLevel: "silent", metafile: true });
        writeFileSync(bundle, result.outputFiles[0].text);
        const inputs = Object.keys(result.metafile.inputs);
        assert.deepEqual(inputs.filter(input => input.endsWith(".node")), [], "no native addons");
        assert.deepEqual(
            inputs.filter(input => !input.startsWith("node_modules/")).sort(),
            ["clients", "config", "event", "handler", "healthCheck", "lock", "log", "message", "notify", "promote", "scale", "steps"].map(f => `lambda/failover/${f}.ts`),
            "the function's own code is lambda/failover and nothing else of the repository",
        );
        // Bundled rather than taken from the runtime, whose SDK version is whatever Lambda ships.
        for (const client of ["client-rds", "client-eks", "client-sns", "client-route-53", "client-dynamodb"]) {
            assert.ok(inputs.some(input => input.startsWith(`node_modules/@aws-sdk/${client}/`)), `@aws-sdk/${client} is in the bundle`);
        }
        assert.doesNotMatch(result.outputFiles[0].text, /require\("@aws-sdk\/client-/, "no SDK client is left for the runtime to provide");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function invoke(env: Record<string, string>, event: unknown): string {
        // From / with only PATH: nothing can come from the repository or its node_modules.
        return execFileSync(process.execPath, ["-e", INVOKE, bundle, JSON.stringify(event)], { cwd: "/", env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
    }

    it("runs alone under plain node: an ignored event returns without any AWS call and logs a JSON line", () => {
        const lines = invoke(ENV, alarmEvent("OK")).trim().split("\n");
        assert.equal(lines.length, 2);
        const log = JSON.parse(lines[0]) as Record<string, unknown>;
        assert.deepEqual([log.level, log.event, log.reason], ["info", "ignored", `alarm "${ENV.ALARM_NAME}" changed to "OK"; only ALARM triggers a failover`]);
        assert.equal(lines[1], `RESULT ${JSON.stringify({ action: "ignored", reason: log.reason, steps: [] })}`);
    });

    it("reads its environment at invocation and rejects a bad one by name", () => {
        const output = invoke({ ...ENV, FAILOVER_NODE_COUNT: "-2" }, alarmEvent());
        assert.match(output, /^ERROR Invalid failover environment \(1 problem\); nothing was changed: \| {3}- FAILOVER_NODE_COUNT must be a positive integer, got "-2"$/m);
    });
});
