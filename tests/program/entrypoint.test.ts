import * as assert from "assert";
import { runProgram } from "../../plan/runOffline";
import { stackFileConfig } from "../../plan/stackFiles";

describe("program: index.ts entry point", () => {
    it("exports the stack outputs the CLI would record", async () => {
        // index.ts runs the program when it is first loaded, as `pulumi up` loads it.
        const run = await runProgram(() => require("../../index") as Record<string, unknown>, stackFileConfig("warm-standby"), "warm-standby");
        assert.strictEqual(run.outputs.strategy, "warm-standby");
        assert.strictEqual(run.outputs.appUrl, "https://app.portforge.example.com");
        assert.ok(run.resources.some(r => r.type === "aws:rds/instance:Instance"));
    });
});
