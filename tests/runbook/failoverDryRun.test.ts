import * as assert from "assert";
import { DR_EXIT } from "../../runbook/cli";
import { FailoverDryRunReport } from "../../runbook/commands/failover";
import { dr } from "./harness";

const NO_CLI = { openStack: async () => { throw new Error("a dry run must not open a stack"); } };

/** Index of the first line matching, or fails naming the pattern. */
function lineOf(lines: string[], pattern: RegExp): number {
    const index = lines.findIndex(line => pattern.test(line));
    assert.ok(index >= 0, `no line matches ${pattern}:\n${lines.join("\n")}`);
    return index;
}

describe("runbook CLI: failover --dry-run shows both projects (real programs, mock runtime)", function () {
    this.timeout(600_000);

    it("prints the infrastructure diff, then Tokyo's workloads diff, then Seoul's untouched, then the steps of both in order", async () => {
        const run = await dr(["failover", "--stack", "warm-standby", "--dry-run"], undefined, [], undefined, NO_CLI);
        assert.strictEqual(run.code, DR_EXIT.ok, [...run.out, ...run.err].join("\n"));
        const out = run.out;
        const infra = lineOf(out, /^1\) multicloud-dr, stack warm-standby:$/);
        const infraDiff = lineOf(out, /^Diff for failover=true: /);
        const workloads = lineOf(out, /^2\) multicloud-dr-workloads, stack warm-standby-standby \(site standby, role standby -> active\):$/);
        const primary = lineOf(out, /^3\) multicloud-dr-workloads, stack warm-standby-primary \(site primary\): not touched during a failover/);
        const steps = lineOf(out, /^Steps it would take:$/);
        assert.ok(infra < infraDiff && infraDiff < workloads && workloads < primary && primary < steps, out.join("\n"));
        assert.ok(out.slice(infraDiff, workloads).some(line => /standby-mysql .*aws:rds\/instance:Instance/.test(line)), "the promotion is in the infrastructure part");

        const tokyo = out.slice(workloads, primary);
        const configMap = lineOf(tokyo, /~ kubernetes:core\/v1:ConfigMap/);
        assert.ok(tokyo.slice(configMap).some(line => /^ {6}data\.ROLE: standby -> active$/.test(line)), tokyo.join("\n"));
        assert.ok(tokyo.slice(configMap).some(line => /^ {6}data\.DB_READ_ONLY: true -> false$/.test(line)));
        const deployment = lineOf(tokyo, /~ kubernetes:apps\/v1:Deployment/);
        assert.ok(/^ {6}/.test(tokyo[deployment + 1]));
        assert.ok(tokyo.slice(deployment).some(line => /^ {6}spec\.replicas: 1 -> 2$/.test(line)));
        assert.ok(!tokyo.some(line => /kubernetes:.*\b(primary)-app/.test(line)), "only the standby site's resources");

        const numbered = out.slice(steps + 1);
        const infraUp = lineOf(numbered, /^ {2}\d+\. \[multicloud-dr warm-standby\] pulumi up: promote the Tokyo replica/);
        const workloadsUp = lineOf(numbered, /^ {2}\d+\. \[multicloud-dr-workloads warm-standby-standby\] pulumi up: Tokyo's pods active/);
        const check = lineOf(numbered, /^ {2}1\. .*\[multicloud-dr-workloads warm-standby-standby\] check the stack exists/);
        const untouched = lineOf(numbered, /^ {2}\d+\. \[multicloud-dr-workloads warm-standby-primary\] not touched/);
        assert.ok(check < infraUp && infraUp < workloadsUp && workloadsUp < untouched, numbered.join("\n"));
    });

    it("--json: the same report as one JSON document on stdout, the timeline on stderr", async () => {
        const run = await dr(["failover", "--stack", "warm-standby", "--dry-run", "--json"], undefined, [], undefined, NO_CLI);
        assert.strictEqual(run.code, DR_EXIT.ok, [...run.out, ...run.err].join("\n"));
        const report = JSON.parse(run.out.join("\n")) as FailoverDryRunReport;
        assert.ok(run.err.some(line => /start +failover --stack warm-standby --dry-run/.test(line)));
        assert.strictEqual(report.infrastructure.project, "multicloud-dr");
        assert.deepStrictEqual(report.infrastructure.change, { failover: "true" });
        assert.ok(report.infrastructure.diff.changed.some(c => c.name === "standby-mysql"));
        assert.strictEqual(report.workloads.project, "multicloud-dr-workloads");
        assert.strictEqual(report.workloads.stack, "warm-standby-standby");
        assert.deepStrictEqual([report.workloads.roleBefore, report.workloads.roleAfter], ["standby", "active"]);
        const settings = report.workloads.diff.changed.find(c => c.type === "kubernetes:core/v1:ConfigMap");
        assert.deepStrictEqual(settings?.changes.find(c => c.path === "data.ROLE"), { path: "data.ROLE", before: "standby", after: "active" });
        assert.ok(report.workloads.notes.some(note => /imageTag is not set in workloads\/Pulumi\.warm-standby-standby\.yaml/.test(note)));
        assert.deepStrictEqual(report.untouched.stack, "warm-standby-primary");
    });
});
