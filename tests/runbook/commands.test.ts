import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_EXIT } from "../../runbook/cli";
import { FakeStack } from "./fakeStack";
import { dr, printed, warmBackend, warmStack } from "./harness";

const EMERGENCY_DB = "urn:pulumi:pilot-light::multicloud-dr::dr:azure:MysqlServer$azure-native:resources:Resource::emergency-mysql";
const BACKUP_AMI = "ami-0123456789abcdef0";
const OTHER_PROTECTED = "urn:pulumi:pilot-light::multicloud-dr::dr:azure:BackupStorage$azure-native:storage:StorageAccount::drbackups";

function pilotStack(config: Record<string, string> = {}) {
    return new FakeStack("pilot-light", { strategy: "pilot-light", ...config }, c => ({
        emergencyServing: c.emergency === "true" ? (c.serveApp === "true" ? "app" : "maintenance") : undefined,
        emergencyGatewayHost: c.emergency === "true" ? "dr-abc.koreacentral.cloudapp.azure.com" : undefined,
        azureResourceGroup: "pilot-light-rg",
        backupInstanceAmi: BACKUP_AMI,
    }), [EMERGENCY_DB, OTHER_PROTECTED]);
}

describe("runbook CLI: failover", () => {
    it("asks, sets failover=true, runs pulumi up, verifies the promotion and saves a timestamped timeline", async () => {
        const { infra: stack, backend } = warmBackend();
        const run = await dr(["failover", "--stack", "warm-standby"], backend, [true]);
        assert.strictEqual(run.code, DR_EXIT.ok, run.err.join("\n"));
        assert.deepStrictEqual(stack.sets, [["failover", "true"], ["aws:stsRegion", "ap-northeast-1"]]);
        assert.strictEqual(stack.ups.length, 1);
        assert.deepStrictEqual(run.journal, ["warm-standby: set failover=true", "warm-standby: set aws:stsRegion=ap-northeast-1", "warm-standby: up", "warm-standby-standby: up"], "infrastructure first, then Tokyo's workloads; Seoul's never");
        assert.ok(!run.opened.includes("workloads:warm-standby-primary"), "Seoul's workloads stack is not even opened");
        assert.ok(printed(run, /skipped workloads warm-standby-primary: not touched during a failover: Seoul's cluster may be unreachable/), run.out.join("\n"));
        assert.ok(printed(run, /done {4}workloads warm-standby-standby: verify: role active, replicas 2/));
        assert.match(run.asked[0], /cannot be undone/);
        assert.ok(run.out.some(line => /^10:00:\d\d\.\d{3} +\+ *\d+\.\ds {2}done {4}verify: standbyDatabaseRole promoted, activeRegion ap-northeast-1$/.test(line)), run.out.join("\n"));
        const saved = fs.readdirSync(run.stateDir).filter(f => f.startsWith("failover-warm-standby-"));
        assert.strictEqual(saved.length, 1);
        const record = JSON.parse(fs.readFileSync(path.join(run.stateDir, saved[0]), "utf8"));
        assert.ok(record.entries.length >= 5);
        assert.ok(record.entries.every((e: any, i: number, all: any[]) => i === 0 || e.elapsedSeconds >= all[i - 1].elapsedSeconds));
    });

    it("changes nothing in either project when the operator declines, and exits non-zero", async () => {
        const { infra: stack, standby, primary, backend } = warmBackend();
        const run = await dr(["failover", "--stack", "warm-standby"], backend, [false]);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.strictEqual(run.asked.length, 1);
        assert.deepStrictEqual(run.journal, []);
        assert.deepStrictEqual([stack.sets, standby.sets, primary.sets], [[], [], []]);
        assert.strictEqual(stack.ups.length + standby.ups.length + primary.ups.length, 0);
        assert.ok(printed(run, /skipped confirm: operator declined; nothing changed/));
    });

    it("reconciles after an automatic failover without asking again, and brings Tokyo's workloads along", async () => {
        const { infra: stack, standby, backend } = warmBackend({ failover: "true" });
        const run = await dr(["failover", "--stack", "warm-standby"], backend);
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(run.asked, []);
        assert.strictEqual(stack.ups.length, 1);
        assert.strictEqual(standby.ups.length, 1);
        assert.ok(run.out.some(line => /skipped pulumi config set failover true: already set; reconciling/.test(line)));
    });

    it("refuses on a pilot-light stack, and explains when the Pulumi CLI is missing", async () => {
        const wrong = await dr(["failover", "--stack", "pilot-light"], pilotStack(), [true]);
        assert.deepStrictEqual(wrong.opened, ["infrastructure:pilot-light"], "refused before looking for workloads");
        assert.strictEqual(wrong.code, DR_EXIT.refused);
        assert.ok(wrong.out.some(line => /failover applies to warm-standby \(use `emergency on` for pilot-light\)/.test(line)));
        const noCli = await dr(["failover", "--stack", "warm-standby"], undefined, [true]);
        assert.strictEqual(noCli.code, DR_EXIT.refused);
        assert.ok(noCli.out.some(line => /install the Pulumi CLI .* or use --dry-run/.test(line)));
    });

    it("rejects an unknown stack with exit 2", async () => {
        const run = await dr(["failover", "--stack", "staging"], warmStack());
        assert.strictEqual(run.code, DR_EXIT.badInput);
        assert.match(run.err.join("\n"), /unknown stack "staging"/);
    });
});

describe("runbook CLI: pilot light", () => {
    it("builds the emergency site, then serves the app only when emergency is on", async () => {
        const stack = pilotStack();
        const refused = await dr(["serve-app", "--stack", "pilot-light"], stack, [true]);
        assert.strictEqual(refused.code, DR_EXIT.refused);
        const on = await dr(["emergency", "on", "--stack", "pilot-light"], stack, [true]);
        assert.strictEqual(on.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets, [["backupInstanceAmi", BACKUP_AMI], ["emergency", "true"], ["aws:stsRegion", "us-east-1"]]);
        assert.ok(on.out.some(line => /serve-app --stack pilot-light/.test(line)));
        const serve = await dr(["serve-app", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(serve.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets.slice(-2), [["serveApp", "true"], ["aws:stsRegion", "us-east-1"]]);
    });

    it("refuses emergency off before failback has released the database", async () => {
        const stack = pilotStack({ emergency: "true" });
        const run = await dr(["emergency", "off", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.ok(run.out.some(line => /would delete what users wrote in Azure; run `npm run dr -- failback/.test(line)));
        assert.deepStrictEqual(stack.sets, []);
    });

    it("runs failback in order, stops where the operator stops (exit 1, declined on the timeline), and resumes there", async () => {
        const stack = pilotStack({ emergency: "true", serveApp: "true" });
        const first = await dr(["failback", "--stack", "pilot-light"], stack, [true, true, false]);
        assert.strictEqual(first.code, DR_EXIT.refused, "a declined step is not a success");
        assert.ok(printed(first, /skipped verify the data in the primary: operator declined \(not done yet\); nothing after it was run/), first.out.join("\n"));
        assert.strictEqual(first.asked.length, 3);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(first.stateDir, "failback-pilot-light.json"), "utf8")).completed, ["copy-data-back", "shift-traffic"]);
        assert.deepStrictEqual(stack.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED], "nothing released yet");

        const second = await dr(["failback", "--stack", "pilot-light"], stack, [true, true, true], first.stateDir);
        assert.strictEqual(second.code, DR_EXIT.ok);
        assert.deepStrictEqual(second.asked.map(q => q.replace(/".*"/, "<step>")), ["Is <step> done? (a person's answer; --yes does not answer this)", "Run <step> now?", "Run <step> now?"]);
        assert.deepStrictEqual(stack.protectedUrns, [OTHER_PROTECTED], "only the emergency database is released; the backups stay protected");
        assert.deepStrictEqual(stack.sets, [["serveApp", "false"], ["emergency", "false"]]);
        assert.strictEqual(stack.ups.length, 1);
        assert.ok(second.out.some(line => /done {4}failback: every step complete/.test(line)));

        const off = await dr(["emergency", "off", "--stack", "pilot-light", "--yes"], stack, [], first.stateDir);
        assert.strictEqual(off.code, DR_EXIT.ok, "after failback, emergency off is allowed");
    });

    it("refuses a corrupt failback state file instead of guessing", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-"));
        fs.writeFileSync(path.join(stateDir, "failback-pilot-light.json"), "{\"steps\": 3}");
        const run = await dr(["failback", "--stack", "pilot-light"], pilotStack(), [true], stateDir);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.ok(run.out.some(line => /failback-pilot-light\.json has no list of completed steps .*so it is not a failback state file; move it away/.test(line)), run.out.join("\n"));
    });
});
