import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cliCommand } from "../../backup/harness/cli-process";

/** Runs the restore command with `args` and an environment holding nothing of the tool's. */
function restore(args: string[]) {
  const { command, args: prefix } = cliCommand();
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("DR_")));
  return spawnSync(command, [...prefix, "restore", ...args], { env, encoding: "utf8", timeout: 60_000 });
}

describe("restore CLI: a bad option value gets its own message, before any config or work", () => {
  for (const json of [false, true]) {
    it(`--until yesterday${json ? " --json" : ""}`, function () {
      this.timeout(60_000);
      const run = restore(["--until", "yesterday", ...(json ? ["--json"] : [])]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /--until: not a time: "yesterday" \(use ISO 8601, e\.g\. 2025-01-31T12:00:00Z\)/);
      assert.doesNotMatch(run.stderr + run.stdout, /Cannot read properties|DR_TARGET_HOST/, "the option is refused first, and clearly");
    });
  }
});
