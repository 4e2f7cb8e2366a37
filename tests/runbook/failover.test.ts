import * as assert from "assert";
import { DR_EXIT } from "../../runbook/cli";
import { FakeStack } from "./fakeStack";
import { dr, printed, warmBackend, warmStack, workloadsStack } from "./harness";

describe("runbook CLI: failover drives both projects", () => {
    it("refuses a missing standby workloads stack before asking or changing the infrastructure", async () => {
        const infra = warmStack();
        const primary = workloadsStack(infra, "primary");
        const run = await dr(["failover", "--stack", "warm-standby"], { infra, workloads: { [primary.name]: primary } }, [true]);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.asked, [], "nothing to confirm: the command stopped before the promotion");
        assert.deepStrictEqual(run.journal, []);
        assert.deepStrictEqual(run.opened, ["infrastructure:warm-standby", "workloads:warm-standby-standby"]);
        assert.ok(printed(run, /cannot open workloads stack warm-standby-standby \(project multicloud-dr-workloads in workloads\/\).*no stack named 'warm-standby-standby' found.*pulumi -C workloads stack init warm-standby-standby.*--workloads-stack standby=<name>/), run.out.join("\n"));
    });

    const misconfigured: [string, Record<string, string | undefined>, RegExp][] = [
        ["deploys the primary site", { site: "primary" }, /multicloud-dr-workloads:site is "primary", expected standby/],
        ["reads another infrastructure stack", { infraStack: "organization/multicloud-dr/pilot-light" }, /infraStack is "organization\/multicloud-dr\/pilot-light", expected <organization>\/multicloud-dr\/warm-standby/],
        ["has no image tag (0 pods)", { imageTag: undefined }, /imageTag is not set, so every Deployment would run 0 pods/],
    ];
    for (const [what, config, message] of misconfigured) {
        it(`refuses, changing nothing, when the standby workloads stack ${what}`, async () => {
            const infra = warmStack();
            const standby = workloadsStack(infra, "standby", config);
            const run = await dr(["failover", "--stack", "warm-standby", "--yes"], { infra, workloads: { [standby.name]: standby } });
            assert.strictEqual(run.code, DR_EXIT.refused);
            assert.deepStrictEqual(run.journal, []);
            assert.ok(printed(run, message), run.out.join("\n"));
        });
    }

    it("uses the workloads stack named with --workloads-stack", async () => {
        const infra = warmStack();
        const tokyo = workloadsStack(infra, "standby", {}, "tokyo-prod");
        const run = await dr(["failover", "--stack", "warm-standby", "--yes", "--workloads-stack", "standby=tokyo-prod"], { infra, workloads: { [tokyo.name]: tokyo } });
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(run.journal, ["warm-standby: set failover=true", "warm-standby: set aws:stsRegion=ap-northeast-1", "warm-standby: up", "tokyo-prod: up"]);
    });

    it("refuses a dry run on a pilot-light stack before planning anything", async () => {
        const run = await dr(["failover", "--stack", "pilot-light", "--dry-run"], undefined);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.ok(printed(run, /failover applies to warm-standby \(use `emergency on` for pilot-light\)/), run.out.join("\n"));
        assert.ok(!printed(run, /Diff for/));
    });

    it("rejects a malformed --workloads-stack with exit 2 before opening anything", async () => {
        const { backend } = warmBackend();
        const run = await dr(["failover", "--stack", "warm-standby", "--yes", "--workloads-stack", "tokyo=x", "--workloads-stack", "standby"], backend);
        assert.strictEqual(run.code, DR_EXIT.badInput);
        assert.deepStrictEqual(run.opened, []);
        assert.match(run.err.join("\n"), /--workloads-stack: "tokyo=x" is not <site>=<stack>.*; "standby" is not <site>=<stack>/);
    });

    it("does not touch the workloads when the infrastructure does not export Tokyo as active", async () => {
        const infra = warmStack({}, "standby");
        const standby = workloadsStack(infra, "standby");
        const run = await dr(["failover", "--stack", "warm-standby", "--yes"], { infra, workloads: { [standby.name]: standby } });
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.journal, ["warm-standby: set failover=true", "warm-standby: set aws:stsRegion=ap-northeast-1", "warm-standby: up"]);
        assert.ok(printed(run, /exports the standby site as standby, not active; the workloads stack warm-standby-standby was not changed/));
    });

    it("says how to resume when the workloads up fails after the promotion, and the rerun finishes without asking", async () => {
        const { infra, standby, backend } = warmBackend();
        standby.upError = new Error("kubernetes: connection refused");
        const failed = await dr(["failover", "--stack", "warm-standby"], backend, [true]);
        assert.notStrictEqual(failed.code, DR_EXIT.ok);
        assert.deepStrictEqual(infra.sets, [["failover", "true"], ["aws:stsRegion", "ap-northeast-1"]]);
        assert.ok(printed(failed, /failed +workloads warm-standby-standby: pulumi up: kubernetes: connection refused/), failed.out.join("\n"));
        assert.ok(printed(failed, /info +resume: the database is promoted; fix the cause and run `npm run dr -- failover --stack warm-standby` again/));
        standby.upError = undefined;
        const rerun = await dr(["failover", "--stack", "warm-standby"], backend);
        assert.strictEqual(rerun.code, DR_EXIT.ok, rerun.out.join("\n"));
        assert.deepStrictEqual(rerun.asked, []);
        assert.deepStrictEqual(rerun.journal, ["warm-standby: set aws:stsRegion=ap-northeast-1", "warm-standby: up", "warm-standby-standby: up"]);
    });

    it("refuses when the workloads stack does not report the site active after its up", async () => {
        const infra = warmStack();
        const config = (await workloadsStack(infra, "standby").getConfig());
        const stuck = new FakeStack("warm-standby-standby", config, () => ({ role: "standby", replicas: 1 }));
        const run = await dr(["failover", "--stack", "warm-standby", "--yes"], { infra, workloads: { [stuck.name]: stuck } });
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.ok(printed(run, /the workloads stack warm-standby-standby reports role standby, not active/));
    });
});
