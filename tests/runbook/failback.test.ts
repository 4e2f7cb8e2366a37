import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_EXIT } from "../../runbook/cli";
import { WARM_STANDBY_FAILBACK } from "../../runbook/commands/failback";
import { dr, printed, warmBackend } from "./harness";

function completed(stateDir: string): string[] {
    return JSON.parse(fs.readFileSync(path.join(stateDir, "failback-warm-standby.json"), "utf8")).completed;
}

describe("runbook CLI: warm-standby failback brings the workloads stacks along", () => {
    it("runs Seoul's workloads after the roles are restored, and Tokyo's back to standby only after traffic left", async () => {
        // The operator set failover=false during "restore-roles"; the fake reads it from the config.
        const { infra, primary, standby, backend } = warmBackend({ failover: "false" });
        const run = await dr(["failback", "--stack", "warm-standby"], backend, [true, true, true, true, true, true]);
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(completed(run.stateDir), ["rebuild-primary", "restore-roles", "primary-workloads", "shift-traffic", "verify", "standby-workloads"]);
        assert.deepStrictEqual(run.journal, ["warm-standby-primary: up", "warm-standby-standby: up"]);
        assert.deepStrictEqual(infra.sets, [], "the infrastructure's flags are the operator's (restore-roles)");
        const order = run.asked.map(q => WARM_STANDBY_FAILBACK.findIndex(step => q.includes(step.title)));
        assert.deepStrictEqual(order, [0, 1, 2, 3, 4, 5]);
        assert.ok(printed(run, /done +workloads warm-standby-primary: verify: role primary/));
        assert.ok(printed(run, /done +workloads warm-standby-standby: verify: role standby, replicas 1/));
        assert.strictEqual(primary.ups.length + standby.ups.length, 2);
    });

    it("refuses the workloads step while the infrastructure still has failover=true, and resumes there", async () => {
        const { infra, backend } = warmBackend({ failover: "true" });
        const first = await dr(["failback", "--stack", "warm-standby"], backend, [true, true, true]);
        assert.strictEqual(first.code, DR_EXIT.refused);
        assert.deepStrictEqual(first.journal, []);
        assert.deepStrictEqual(completed(first.stateDir), ["rebuild-primary", "restore-roles"]);
        assert.ok(printed(first, /still has failover=true, so its workloadSites still make Tokyo active; finish "restore-roles"/));

        infra.config.failover = "false";
        const second = await dr(["failback", "--stack", "warm-standby"], backend, [true], first.stateDir);
        assert.strictEqual(second.code, DR_EXIT.refused, "it stops, declined, at the traffic shift");
        assert.ok(printed(second, /skipped shift traffic back gradually.*: operator declined/), second.out.join("\n"));
        assert.deepStrictEqual(second.journal, ["warm-standby-primary: up"]);
        assert.deepStrictEqual(completed(second.stateDir), ["rebuild-primary", "restore-roles", "primary-workloads"]);
    });

    it("resumes a state file written before the workloads steps existed", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-"));
        fs.writeFileSync(path.join(stateDir, "failback-warm-standby.json"), JSON.stringify({ completed: ["rebuild-primary", "shift-traffic", "verify"] }));
        const { backend } = warmBackend({ failover: "false" });
        const run = await dr(["failback", "--stack", "warm-standby", "--yes", "--confirm-step", "restore-roles"], backend, [], stateDir);
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(run.journal, ["warm-standby-primary: up", "warm-standby-standby: up"]);
        assert.deepStrictEqual(completed(stateDir), ["rebuild-primary", "shift-traffic", "verify", "restore-roles", "primary-workloads", "standby-workloads"]);
    });

    it("refuses a missing workloads stack at its step, leaving the earlier steps done", async () => {
        const { infra, standby } = warmBackend({ failover: "false" });
        const run = await dr(["failback", "--stack", "warm-standby", "--yes", "--confirm-step", "rebuild-primary", "--confirm-step", "restore-roles"], { infra, workloads: { [standby.name]: standby } });
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.journal, []);
        assert.deepStrictEqual(completed(run.stateDir), ["rebuild-primary", "restore-roles"]);
        assert.ok(printed(run, /cannot open workloads stack warm-standby-primary/));
    });

    it("the dry run names both workloads stacks and lists the steps, marking those done", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-"));
        fs.writeFileSync(path.join(stateDir, "failback-warm-standby.json"), JSON.stringify({ completed: ["rebuild-primary"] }));
        const run = await dr(["failback", "--stack", "warm-standby", "--dry-run", "--workloads-stack", "standby=tokyo"], undefined, [], stateDir);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.ok(printed(run, /^Workloads stacks: primary warm-standby-primary, standby tokyo \(project multicloud-dr-workloads\)$/));
        assert.ok(printed(run, /^ {2}1\. \[done\] rebuild Seoul as a replica of Tokyo$/));
        assert.ok(printed(run, /^ {2}3\. Seoul's workloads: pulumi up of the primary site's multicloud-dr-workloads stack/));
        assert.ok(printed(run, /^ {2}6\. Tokyo's workloads back to standby/));
    });
});
