import * as assert from "assert";
import { DR_EXIT } from "../../runbook/cli";
import { dr, printed, warmBackend } from "./harness";

describe("runbook CLI: status shows the workloads stacks", () => {
    it("reports each site's role and last update, and an unreadable stack as unknown without failing", async () => {
        const { infra, standby } = warmBackend();
        await standby.up(() => undefined);
        const run = await dr(["status", "--stack", "warm-standby", "--json"], { infra, workloads: { [standby.name]: standby } });
        assert.strictEqual(run.code, DR_EXIT.ok, run.err.join("\n"));
        const report = JSON.parse(run.out.join("\n"));
        assert.deepStrictEqual(report.workloads, [
            { site: "primary", stack: "warm-standby-primary", unknown: "cannot open workloads stack warm-standby-primary (project multicloud-dr-workloads in workloads/) through the Pulumi CLI (no stack named 'warm-standby-primary' found)" },
            { site: "standby", stack: "warm-standby-standby", role: "standby", replicas: 1, lastUpdate: "update succeeded at 2026-11-22T10:00:00.000Z" },
        ]);
        assert.ok(run.err.some(line => /timeline saved/.test(line)), "with --json the timeline stays off stdout");
    });

    it("the offline view names the workloads stacks of the strategy's sites", async () => {
        const warm = await dr(["status", "--stack", "warm-standby", "--dry-run"], undefined);
        assert.ok(printed(warm, /workloads stacks: primary warm-standby-primary, standby warm-standby-standby$/), warm.out.join("\n"));
        const pilot = await dr(["status", "--stack", "pilot-light", "--dry-run"], undefined);
        assert.ok(printed(pilot, /workloads stacks: primary pilot-light-primary$/), pilot.out.join("\n"));
    });
});
