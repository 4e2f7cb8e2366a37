import * as assert from "assert";
import { diffPlans } from "../../plan/diff";
import { totalMinutes } from "../../plan/objectives";
import { makePlan, Plan } from "../../plan/plan";
import { PolicyEvaluator } from "../../plan/policies";
import { ConfigError } from "../../config";
import { knownStacks, SECURE_PLACEHOLDER, stackFileConfig, UnknownStackError } from "../../plan/stackFiles";
import { buildTree, countByRegion, renderTree } from "../../plan/tree";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Counts calls and reports nothing: these tests are about everything but the policies. */
function recordingEvaluator(): PolicyEvaluator & { calls: number } {
    const evaluate = (async (resources: unknown[]) => {
        evaluate.calls++;
        assert.ok(resources.length > 0);
        return { policies: [], violations: [] };
    }) as unknown as PolicyEvaluator & { calls: number };
    evaluate.calls = 0;
    return evaluate;
}

describe("plan: stack files", () => {
    it("knows the shipped stacks and refuses others by name", () => {
        assert.deepStrictEqual(knownStacks(), ["pilot-light", "warm-standby"]);
        assert.throws(() => stackFileConfig("staging"), (error: Error) =>
            error instanceof UnknownStackError && /unknown stack "staging": no Pulumi\.staging\.yaml; known stacks: pilot-light, warm-standby/.test(error.message));
        assert.throws(() => stackFileConfig("../etc/passwd"), UnknownStackError);
    });

    it("replaces secure values with a placeholder", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), "config:\n  multicloud-dr:strategy: pilot-light\n  multicloud-dr:token:\n    secure: v1:abc\n");
        assert.deepStrictEqual(stackFileConfig("s", dir), { "multicloud-dr:strategy": "pilot-light", "multicloud-dr:token": SECURE_PLACEHOLDER });
    });
});

describe("plan: offline plan of the shipped stacks", () => {
    let warm: Plan;
    let pilot: Plan;
    let emergency: Plan;
    before(async () => {
        warm = await makePlan({ stack: "warm-standby" }, recordingEvaluator());
        pilot = await makePlan({ stack: "pilot-light" }, recordingEvaluator());
        emergency = await makePlan({ stack: "pilot-light", sets: { emergency: "true" } }, recordingEvaluator());
    });

    it("runs the policy evaluator once over the declared resources", async () => {
        const evaluate = recordingEvaluator();
        await makePlan({ stack: "warm-standby" }, evaluate);
        assert.strictEqual(evaluate.calls, 1);
    });

    it("arranges every resource under its component in one tree", () => {
        const lines = renderTree(buildTree(warm.resources));
        assert.match(lines[0], /^multicloud-dr-warm-standby {2}\(\d+ resources\)$/);
        assert.ok(lines.some(line => /^├─ primary {2}dr:aws:MysqlDatabase {2}\(\d+\)$/.test(line)));
        assert.ok(lines.some(line => /│ {2}[├└]─ primary-mysql {2}aws:rds\/instance:Instance {2}\[ap-northeast-2\] {2}protected$/.test(line)));
        assert.strictEqual(lines.length, warm.resources.length, "one line per resource, the stack included");
        assert.deepStrictEqual(countByRegion(warm.resources).map(c => c.region).sort(), ["ap-northeast-1", "ap-northeast-2", "global", "us-east-1"]);
    });

    it("prices the warm standby's DR side and the pilot light's, the latter far cheaper", () => {
        const dr = (plan: Plan) => (plan.cost.monthlyUsdBySite.standby ?? 0) + (plan.cost.monthlyUsdBySite.global ?? 0);
        assert.ok(warm.cost.monthlyUsd > 0 && pilot.cost.monthlyUsd > 0);
        assert.ok(dr(warm) > 5 * dr(pilot), `warm standby DR ${dr(warm)} vs pilot light DR ${dr(pilot)}`);
        assert.ok(emergency.cost.monthlyUsd > pilot.cost.monthlyUsd);
        assert.ok(emergency.cost.items.some(i => i.priceKey === "azure-mysql:Standard_B1ms"));
        assert.ok(warm.cost.unpriced.some(u => u.type === "aws:dynamodb/table:Table"));
    });

    it("derives detection from the health check and fits the warm standby into its RTO target", () => {
        assert.strictEqual(warm.objectives.detectionSeconds, 150);
        assert.strictEqual(warm.objectives.detectionFormula, "30 s x 3 failures + 60 s TTL");
        assert.ok(warm.objectives.rtoMinutes.max <= warm.objectives.targets.rtoMinutes.max, JSON.stringify(warm.objectives.rtoMinutes));
        const s3 = warm.objectives.dataLoss.find(d => d.store.startsWith("S3"));
        assert.deepStrictEqual(s3?.seconds, { min: 1, max: 900 }, "RTC bounds object loss at 15 minutes");
        assert.strictEqual(warm.objectives.withinTargets, true);
    });

    it("finds the pilot light's backup agent (installed by its SSM document) and bounds the database's loss by it", () => {
        assert.deepStrictEqual(pilot.objectives.dataLoss[0].store, "RDS MySQL (binlogs streamed to Azure Blob)");
        assert.strictEqual(pilot.objectives.dataLoss[0].seconds.max, 3);
    });

    it("says what losing Replication Time Control does to the S3 bound", async () => {
        const noRtc = await makePlan({ stack: "warm-standby", sets: { bucketReplicationTimeControl: "false" } }, recordingEvaluator());
        assert.strictEqual(noRtc.objectives.dataLoss.find(d => d.store.startsWith("S3"))?.seconds.max, null);
    });

    it("puts the alarm's three minutes on the path when the function fails over by itself, the operator's decision otherwise", async () => {
        const auto = await makePlan({ stack: "warm-standby", sets: { enableAutoFailover: "true" } }, recordingEvaluator());
        const first = (plan: Plan) => plan.objectives.path[1];
        assert.deepStrictEqual([first(auto).step, first(auto).minutes], ["the alarm fires; the failover function confirms with Route 53, then promotes", { min: 3, max: 4 }]);
        assert.strictEqual(first(warm).step, "decide and set failover=true, pulumi up");
    });

    it("counts concurrent recovery steps once", () => {
        assert.deepStrictEqual(totalMinutes([
            { step: "a", minutes: { min: 5, max: 10 }, basis: "" },
            { step: "b", minutes: { min: 3, max: 12 }, basis: "", concurrentWithPrevious: true },
            { step: "c", minutes: { min: 1, max: 1 }, basis: "" },
        ]), { min: 6, max: 13 });
    });

    it("shows what emergency=true adds and costs, and that it removes nothing", () => {
        const diff = diffPlans(pilot, emergency, { emergency: "true" });
        assert.ok(diff.added.some(a => a.type === "azure-native:resources:Resource"));
        assert.ok(diff.added.some(a => a.type === "azure-native:network:ApplicationGateway"));
        assert.deepStrictEqual(diff.removed, []);
        // Route 53 stays on the front; the front's one route switches origin group in place.
        assert.ok(diff.changed.some(c => c.name === "maintenance-front-route" && c.inputs.includes("originGroup")));
        assert.ok(!diff.changed.some(c => c.name === "failover-secondary"));
        assert.ok(diff.monthlyUsdAfter > diff.monthlyUsdBefore);
    });

    it("shows that turning emergency off again is stopped by the protected database", () => {
        const diff = diffPlans(emergency, pilot, { emergency: "false" });
        assert.deepStrictEqual(diff.blockedByProtection.map(e => e.name).sort(), ["emergency-mysql", "emergency-mysql-database"]);
    });

    it("rejects a config the program rejects, before running it", async () => {
        const evaluate = recordingEvaluator();
        await assert.rejects(makePlan({ stack: "warm-standby", sets: { standbyCidr: "10.10.0.0/16" } }, evaluate),
            (error: Error) => error instanceof ConfigError && /standbyCidr 10\.10\.0\.0\/16 overlaps primaryCidr/.test(error.message));
        assert.strictEqual(evaluate.calls, 0);
    });
});
