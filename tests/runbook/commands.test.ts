import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_EXIT, runDrCli } from "../../runbook/cli";
import { Confirm } from "../../runbook/confirm";
import { FakeStack } from "./fakeStack";

const EMERGENCY_DB = "urn:pulumi:pilot-light::multicloud-dr::pulumi:pulumi:Stack$dr:azure:MysqlServer$azure-native:dbformysql:Server::emergency-mysql";
const OTHER_PROTECTED = "urn:pulumi:pilot-light::multicloud-dr::pulumi:pulumi:Stack$dr:azure:BackupStorage$azure-native:storage:StorageAccount::drbackups";

interface Run {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
}

async function dr(argv: string[], stack: FakeStack | undefined, answers: boolean[] = [], stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-"))): Promise<Run & { stateDir: string; asked: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const asked: string[] = [];
    const confirm: Confirm = async question => {
        asked.push(question);
        return answers.shift() ?? false;
    };
    let clock = Date.parse("2026-11-22T10:00:00Z");
    const code = await runDrCli(argv, line => out.push(line), line => err.push(line), {
        openStack: async () => {
            if (!stack) {
                throw new Error("pulumi: command not found");
            }
            return stack;
        },
        confirm,
        stateDir,
        now: () => (clock += 1500),
    });
    return { code, out, err, stateDir, asked };
}

function warmStack(config: Record<string, string> = {}) {
    return new FakeStack("warm-standby", { strategy: "warm-standby", ...config }, c => ({
        standbyDatabaseRole: c.failover === "true" ? "promoted" : "replica",
        activeRegion: c.failover === "true" ? "ap-northeast-1" : "ap-northeast-2",
    }));
}

function pilotStack(config: Record<string, string> = {}) {
    return new FakeStack("pilot-light", { strategy: "pilot-light", ...config }, c => ({
        emergencyServing: c.emergency === "true" ? (c.serveApp === "true" ? "app" : "maintenance") : undefined,
        emergencyGatewayHost: c.emergency === "true" ? "dr-abc.koreacentral.cloudapp.azure.com" : undefined,
        azureResourceGroup: "pilot-light-rg",
    }), [EMERGENCY_DB, OTHER_PROTECTED]);
}

describe("runbook CLI: failover", () => {
    it("asks, sets failover=true, runs pulumi up, verifies the promotion and saves a timestamped timeline", async () => {
        const stack = warmStack();
        const run = await dr(["failover", "--stack", "warm-standby"], stack, [true]);
        assert.strictEqual(run.code, DR_EXIT.ok, run.err.join("\n"));
        assert.deepStrictEqual(stack.sets, [["failover", "true"]]);
        assert.strictEqual(stack.ups.length, 1);
        assert.match(run.asked[0], /cannot be undone/);
        assert.ok(run.out.some(line => /^10:00:\d\d\.\d{3} +\+ *\d+\.\ds {2}done {4}verify: standbyDatabaseRole promoted, activeRegion ap-northeast-1$/.test(line)), run.out.join("\n"));
        const saved = fs.readdirSync(run.stateDir).filter(f => f.startsWith("failover-warm-standby-"));
        assert.strictEqual(saved.length, 1);
        const record = JSON.parse(fs.readFileSync(path.join(run.stateDir, saved[0]), "utf8"));
        assert.ok(record.entries.length >= 5);
        assert.ok(record.entries.every((e: any, i: number, all: any[]) => i === 0 || e.elapsedSeconds >= all[i - 1].elapsedSeconds));
    });

    it("changes nothing when the operator declines", async () => {
        const stack = warmStack();
        const run = await dr(["failover", "--stack", "warm-standby"], stack, [false]);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets, []);
        assert.strictEqual(stack.ups.length, 0);
    });

    it("reconciles after an automatic failover without asking again", async () => {
        const stack = warmStack({ failover: "true" });
        const run = await dr(["failover", "--stack", "warm-standby"], stack);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.deepStrictEqual(run.asked, []);
        assert.strictEqual(stack.ups.length, 1);
        assert.ok(run.out.some(line => /skipped pulumi config set failover true: already set; reconciling/.test(line)));
    });

    it("refuses on a pilot-light stack, and explains when the Pulumi CLI is missing", async () => {
        const wrong = await dr(["failover", "--stack", "pilot-light"], pilotStack(), [true]);
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
        assert.deepStrictEqual(stack.sets, [["emergency", "true"]]);
        assert.ok(on.out.some(line => /serve-app --stack pilot-light/.test(line)));
        const serve = await dr(["serve-app", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(serve.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets.at(-1), ["serveApp", "true"]);
    });

    it("refuses emergency off before failback has released the database", async () => {
        const stack = pilotStack({ emergency: "true" });
        const run = await dr(["emergency", "off", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.ok(run.out.some(line => /would delete what users wrote in Azure; run `npm run dr -- failback/.test(line)));
        assert.deepStrictEqual(stack.sets, []);
    });

    it("runs failback in order, stops where the operator stops, and resumes there", async () => {
        const stack = pilotStack({ emergency: "true", serveApp: "true" });
        const first = await dr(["failback", "--stack", "pilot-light"], stack, [true, true, false]);
        assert.strictEqual(first.code, DR_EXIT.ok);
        assert.strictEqual(first.asked.length, 3);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(first.stateDir, "failback-pilot-light.json"), "utf8")).completed, ["copy-data-back", "shift-traffic"]);
        assert.deepStrictEqual(stack.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED], "nothing released yet");

        const second = await dr(["failback", "--stack", "pilot-light"], stack, [true, true, true], first.stateDir);
        assert.strictEqual(second.code, DR_EXIT.ok);
        assert.deepStrictEqual(second.asked.map(q => q.replace(/".*"/, "<step>")), ["Is <step> done?", "Run <step> now?", "Run <step> now?"]);
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
        assert.ok(run.out.some(line => /is not a failback state file; move it away to start over/.test(line)));
    });
});
