import * as assert from "assert";
import { EXIT, runPlanCli } from "../../plan/cli";

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPlanCli(argv, text => { out += text; }, text => { err += text; });
    return { code, out, err };
}

describe("plan CLI: workloads stacks", () => {
    it("plans a workloads stack against the offline outputs of the infrastructure stack it reads, with the pack's Kubernetes policies", async () => {
        const run = await plan(["--stack", "warm-standby-standby", "--json"]);
        assert.strictEqual(run.code, EXIT.ok, run.err);
        const result = JSON.parse(run.out);
        assert.deepStrictEqual([result.stack, result.project, result.infraStack, result.site], ["warm-standby-standby", "multicloud-dr-workloads", "warm-standby", "standby"]);
        const types = result.resources.map((r: any) => r.type);
        assert.strictEqual(types.filter((t: string) => t === "kubernetes:apps/v1:Deployment").length, 5);
        assert.strictEqual(types.filter((t: string) => t === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").length, 5);
        assert.ok(!types.some((t: string) => t.startsWith("aws:")), "the infrastructure's resources are not this stack's");
        const evaluated = result.policies.map((p: any) => p.name);
        for (const policy of ["kubernetes-pdb-unhealthy-eviction", "kubernetes-nonroot-numeric-user"]) {
            assert.ok(evaluated.includes(policy), policy);
        }
        assert.deepStrictEqual(result.violations, []);
    });

    it("prints the tree for people and points at the infrastructure plan for cost and objectives", async () => {
        const run = await plan(["--stack", "pilot-light-primary"]);
        assert.strictEqual(run.code, EXIT.ok, run.err);
        assert.match(run.out, /^Offline plan of workloads stack "pilot-light-primary" \(project multicloud-dr-workloads, site primary\)/);
        assert.match(run.out, /Cost and recovery objectives: `npm run plan -- --stack pilot-light`/);
        assert.match(run.out, /primary-app-web +kubernetes:apps\/v1:Deployment/);
    });

    it("refuses a bad workloads key by name, and --diff, with exit 2", async () => {
        const bad = await plan(["--stack", "warm-standby-primary", "--set", "runAsUser=0"]);
        assert.strictEqual(bad.code, EXIT.badInput);
        assert.match(bad.err, /multicloud-dr-workloads:runAsUser/);
        const diff = await plan(["--stack", "warm-standby-primary", "--diff", "multicloud-dr:failover=true"]);
        assert.strictEqual(diff.code, EXIT.badInput);
        assert.match(diff.err, /--diff applies to infrastructure stacks/);
    });

    it("names the workloads stacks among the known ones when a stack is unknown", async () => {
        const run = await plan(["--stack", "warm-standby-tokyo"]);
        assert.strictEqual(run.code, EXIT.badInput);
        assert.match(run.err, /unknown stack "warm-standby-tokyo".*known stacks: pilot-light, warm-standby, pilot-light-primary \(workloads\), warm-standby-primary \(workloads\), warm-standby-standby \(workloads\)/);
    });
});
