import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import { DR_EXIT, runDrCli } from "../../runbook/cli";
import { terminalConfirm } from "../../runbook/confirm";
import { FakeStack } from "./fakeStack";
import { dr, DrRun, noTerminal, printed, warmBackend } from "./harness";

const EMERGENCY_DB = "urn:pulumi:pilot-light::multicloud-dr::dr:azure:MysqlServer$azure-native:resources:Resource::emergency-mysql";
const OTHER_PROTECTED = "urn:pulumi:pilot-light::multicloud-dr::dr:azure:BackupStorage$azure-native:storage:StorageAccount::drbackups";
const HUMAN_STEPS = ["copy-data-back", "shift-traffic", "verify"];
const NO_CLI = { openStack: async () => { throw new Error("a dry run must not open a stack"); } };

function pilotStack(config: Record<string, string> = {}): FakeStack {
    return new FakeStack("pilot-light", { strategy: "pilot-light", ...config }, c => ({
        emergencyServing: c.emergency === "true" ? (c.serveApp === "true" ? "app" : "maintenance") : undefined,
        azureResourceGroup: "pilot-light-rg",
        backupInstanceAmi: "ami-0123456789abcdef0",
    }), [EMERGENCY_DB, OTHER_PROTECTED]);
}

/** The one timeline the run saved, as written. */
function savedTimeline(run: DrRun, command: string): { entries: { step: string; status: string; detail?: string }[] } {
    const files = fs.readdirSync(run.stateDir).filter(f => f.startsWith(`${command}-`) && /-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/.test(f));
    assert.strictEqual(files.length, 1, `one ${command} timeline saved, found ${files.join(", ") || "none"}`);
    return JSON.parse(fs.readFileSync(path.join(run.stateDir, files[0]), "utf8"));
}

function failbackState(run: DrRun): { completed: string[]; attestations: { step: string; by: string; user: string; at: string }[] } | undefined {
    const file = path.join(run.stateDir, "failback-pilot-light.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

interface Row {
    readonly name: string;
    readonly argv: string[];
    readonly stack: () => FakeStack | ReturnType<typeof warmBackend>["backend"];
    readonly terminal: boolean;
    readonly answers?: boolean[];
    readonly code: number;
    /** A fragment of the message naming the cause and the fix. */
    readonly message: RegExp;
    /** The timeline's saved record says so (a failed or skipped entry matching). */
    readonly recorded?: RegExp;
}

describe("runbook CLI without a terminal, and declined confirmations (issue 12, data risk 4)", () => {
    const rows: Row[] = [
        { name: "failover, no terminal, no --yes", argv: ["failover", "--stack", "warm-standby"], stack: () => warmBackend().backend, terminal: false, code: DR_EXIT.refused, message: /standard input is not a terminal.*--stack warm-standby --yes/, recorded: /failed: .*not a terminal.*--yes/ },
        { name: "emergency on, no terminal, no --yes", argv: ["emergency", "on", "--stack", "pilot-light"], stack: () => pilotStack(), terminal: false, code: DR_EXIT.refused, message: /not a terminal.*emergency on --stack pilot-light --yes/, recorded: /failed: .*--yes/ },
        { name: "serve-app, no terminal, no --yes", argv: ["serve-app", "--stack", "pilot-light"], stack: () => pilotStack({ emergency: "true" }), terminal: false, code: DR_EXIT.refused, message: /not a terminal.*serve-app --stack pilot-light --yes/, recorded: /failed: .*--yes/ },
        { name: "failback with every person's step attested, no terminal, no --yes: stops at the first automated step", argv: ["failback", "--stack", "pilot-light", ...HUMAN_STEPS.flatMap(id => ["--confirm-step", id])], stack: () => pilotStack({ emergency: "true" }), terminal: false, code: DR_EXIT.refused, message: /nobody can answer "Run "release the protected emergency database" now\?".*--yes/, recorded: /failed: .*--yes/ },
        { name: "failover declined at the terminal", argv: ["failover", "--stack", "warm-standby"], stack: () => warmBackend().backend, terminal: true, answers: [false], code: DR_EXIT.refused, message: /skipped confirm: operator declined; nothing changed/, recorded: /skipped: operator declined/ },
        { name: "emergency on declined", argv: ["emergency", "on", "--stack", "pilot-light"], stack: () => pilotStack(), terminal: true, answers: [false], code: DR_EXIT.refused, message: /operator declined/, recorded: /skipped: operator declined/ },
        { name: "serve-app declined", argv: ["serve-app", "--stack", "pilot-light"], stack: () => pilotStack({ emergency: "true" }), terminal: true, answers: [false], code: DR_EXIT.refused, message: /operator declined/, recorded: /skipped: operator declined/ },
        { name: "failback declined at its first step", argv: ["failback", "--stack", "pilot-light"], stack: () => pilotStack({ emergency: "true" }), terminal: true, answers: [false], code: DR_EXIT.refused, message: /copy what users wrote in Azure back to RDS: operator declined/, recorded: /skipped: operator declined/ },
    ];
    for (const row of rows) {
        it(`${row.name}: exit ${row.code}, nothing set or deployed, the saved timeline says why`, async () => {
            const backend = row.stack();
            const stacks = backend instanceof FakeStack ? [backend] : [backend.infra!, ...Object.values(backend.workloads ?? {})];
            const run = await dr(row.argv, backend, row.answers ?? [], undefined, row.terminal ? {} : noTerminal());
            assert.strictEqual(run.code, row.code, run.out.join("\n"));
            assert.ok(printed(run, row.message), `${row.message}:\n${run.out.join("\n")}`);
            assert.deepStrictEqual(run.journal, [], "no config set, no pulumi up, in any stack");
            assert.deepStrictEqual(stacks.map(s => s.sets.length + s.ups.length), stacks.map(() => 0));
            if (backend instanceof FakeStack) {
                assert.deepStrictEqual(backend.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED], "nothing released");
            }
            const command = row.argv[0] === "emergency" ? `emergency-${row.argv[1]}` : row.argv[0];
            const entries = savedTimeline(run, command).entries.map(e => `${e.status}: ${e.detail ?? ""}`);
            assert.ok(entries.some(e => row.recorded!.test(e)), `${row.recorded}:\n${entries.join("\n")}`);
            if (!row.terminal) {
                assert.deepStrictEqual(run.asked, [], "nobody is asked without a terminal");
            }
        });
    }

    it("without a terminal, --yes proceeds, and a failover that asks nothing (reconciling) needs no --yes", async () => {
        const yes = warmBackend();
        const withYes = await dr(["failover", "--stack", "warm-standby", "--yes"], yes.backend, [], undefined, noTerminal());
        assert.strictEqual(withYes.code, DR_EXIT.ok, withYes.out.join("\n"));
        assert.strictEqual(yes.infra.ups.length, 1);
        const reconcile = warmBackend({ failover: "true" });
        const run = await dr(["failover", "--stack", "warm-standby"], reconcile.backend, [], undefined, noTerminal());
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.strictEqual(reconcile.infra.ups.length, 1);
    });

    it("the terminal question reads end of input (Ctrl-D, a closed pipe) as no instead of leaving Node to exit 0", async function () {
        // On the old code the question never settles: this limit only turns that hang into a failure.
        this.timeout(20_000);
        const input = Object.assign(new PassThrough(), { isTTY: true });
        input.end();
        assert.strictEqual(await terminalConfirm(input, new PassThrough())("Promote?"), false);
        const yes = new PassThrough();
        yes.end("yes\n");
        assert.strictEqual(await terminalConfirm(yes, new PassThrough())("Promote?"), true);
    });

    it("the CLI decides by process.stdin.isTTY when no stdin is given", async () => {
        const { backend } = warmBackend();
        const out: string[] = [];
        const asked: string[] = [];
        const code = await runDrCli(["failover", "--stack", "warm-standby"], line => out.push(line), line => out.push(line), {
            openStack: async (name, project = "infrastructure") => (project === "workloads" ? backend.workloads![name] : backend.infra!),
            confirm: async question => { asked.push(question); return false; },
            stateDir: fs.mkdtempSync(path.join(require("os").tmpdir(), "dr-")),
        });
        assert.strictEqual(code, DR_EXIT.refused);
        if (process.stdin.isTTY) {
            assert.strictEqual(asked.length, 1, "a terminal: the operator is asked");
        } else {
            assert.deepStrictEqual(asked, []);
            assert.ok(out.some(line => /not a terminal.*--yes/.test(line)), out.join("\n"));
        }
    });
});

describe("failback: --yes never attests a person's step (issue 12, data risk 3)", () => {
    it("failback --yes without a terminal stops at the first person's step: nothing released, the steps and the flags named", async () => {
        const stack = pilotStack({ emergency: "true", serveApp: "true" });
        const run = await dr(["failback", "--stack", "pilot-light", "--yes"], stack, [], undefined, noTerminal());
        assert.strictEqual(run.code, DR_EXIT.refused, run.out.join("\n"));
        assert.deepStrictEqual(stack.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED], "the emergency database stays protected");
        assert.deepStrictEqual([stack.sets, stack.ups], [[], []]);
        const message = run.out.find(line => /--yes does not attest it/.test(line)) ?? "";
        assert.match(message, /"copy what users wrote in Azure back to RDS" \(copy-data-back\) is a person's work/);
        assert.match(message, /Steps still to attest: copy-data-back \(.*\); shift-traffic \(.*\); verify \(verify the data in the primary\)/);
        assert.match(message, /failback --stack pilot-light --yes --confirm-step copy-data-back --confirm-step shift-traffic --confirm-step verify/);
        assert.strictEqual(failbackState(run), undefined, "nothing recorded as done");
        assert.ok(savedTimeline(run, "failback").entries.some(e => e.status === "failed" && /--confirm-step/.test(e.detail ?? "")));
    });

    it("failback --yes at a terminal still asks whether each person's step is done", async () => {
        const stack = pilotStack({ emergency: "true" });
        const run = await dr(["failback", "--stack", "pilot-light", "--yes"], stack, [true, false]);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.asked.map(q => q.replace(/".*"/, "<step>")), ["Is <step> done? (a person's answer; --yes does not answer this)", "Is <step> done? (a person's answer; --yes does not answer this)"]);
        assert.deepStrictEqual(stack.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED]);
        assert.deepStrictEqual(failbackState(run)?.attestations.map(a => [a.step, a.by]), [["copy-data-back", "answer at the terminal"]]);
    });

    it("with --confirm-step for each person's step it proceeds, and the state file says who attested what, how and when", async () => {
        const stack = pilotStack({ emergency: "true", serveApp: "true" });
        const run = await dr(["failback", "--stack", "pilot-light", "--yes", ...HUMAN_STEPS.flatMap(id => ["--confirm-step", id])], stack, [], undefined, noTerminal());
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(stack.protectedUrns, [OTHER_PROTECTED]);
        assert.deepStrictEqual(stack.sets, [["serveApp", "false"], ["emergency", "false"]]);
        const state = failbackState(run)!;
        assert.deepStrictEqual(state.completed, [...HUMAN_STEPS, "release-database", "emergency-off"]);
        assert.deepStrictEqual(state.attestations.map(a => [a.step, a.by]), HUMAN_STEPS.map(id => [id, `--confirm-step ${id}`]));
        for (const attestation of state.attestations) {
            assert.match(attestation.at, /^2026-11-22T10:00:\d\d\.\d{3}Z$/, "the fake clock's time");
            assert.ok(attestation.user.length > 0);
        }
        assert.ok(printed(run, /done {4}copy what users wrote in Azure back to RDS: attested by --confirm-step copy-data-back/), run.out.join("\n"));
    });

    it("attesting only some steps runs those and stops at the next, naming only what is left", async () => {
        const stack = pilotStack({ emergency: "true" });
        const run = await dr(["failback", "--stack", "pilot-light", "--yes", "--confirm-step", "copy-data-back"], stack, [], undefined, noTerminal());
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(failbackState(run)?.completed, ["copy-data-back"]);
        assert.ok(printed(run, /--yes --confirm-step shift-traffic --confirm-step verify`/), run.out.join("\n"));
        assert.deepStrictEqual(stack.protectedUrns, [EMERGENCY_DB, OTHER_PROTECTED]);
    });

    it("warm standby: failback --yes without a terminal touches no workloads stack before the database steps are attested", async () => {
        const { backend } = warmBackend({ failover: "false" });
        const run = await dr(["failback", "--stack", "warm-standby", "--yes"], backend, [], undefined, noTerminal());
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.journal, []);
        assert.ok(printed(run, /--confirm-step rebuild-primary --confirm-step restore-roles --confirm-step shift-traffic --confirm-step verify/), run.out.join("\n"));
    });

    const badSteps: [string, RegExp][] = [
        ["copy-data", /"copy-data" is not a step of the pilot-light failback \(did you mean copy-data-back\?\)/],
        ["release-database", /"release-database" is run by the command, not attested/],
        ["rebuild-primary", /"rebuild-primary" is not a step of the pilot-light failback/],
    ];
    for (const [id, message] of badSteps) {
        it(`--confirm-step ${id}: exit 2 before any stack is opened, naming the steps a person does`, async () => {
            const stack = pilotStack({ emergency: "true" });
            const run = await dr(["failback", "--stack", "pilot-light", "--yes", "--confirm-step", id], stack, [], undefined, noTerminal());
            assert.strictEqual(run.code, DR_EXIT.badInput);
            assert.match(run.err.join("\n"), message);
            assert.match(run.err.join("\n"), /attested with --confirm-step, are: copy-data-back, shift-traffic, verify/);
            assert.deepStrictEqual(run.opened, []);
        });
    }

    const misplaced: [string[], RegExp][] = [
        [["failover", "--stack", "warm-standby", "--yes", "--confirm-step", "verify"], /unknown option '--confirm-step'/],
        [["failback", "--stack", "pilot-light", "--yes", "--confirm-step"], /option '--confirm-step <id>' argument missing/],
    ];
    for (const [argv, message] of misplaced) {
        it(`${argv.join(" ")}: exit 2, nothing opened`, async () => {
            const run = await dr(argv, pilotStack(), [], undefined, noTerminal());
            assert.strictEqual(run.code, DR_EXIT.badInput);
            assert.match(run.err.join("\n"), message);
            assert.deepStrictEqual(run.opened, []);
        });
    }

    it("the dry run marks the person's steps with their flag", async () => {
        const run = await dr(["failback", "--stack", "warm-standby", "--dry-run"], undefined, [], undefined, NO_CLI);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.ok(printed(run, /^ {2}1\. rebuild Seoul as a replica of Tokyo \(a person's step: --confirm-step rebuild-primary\)$/), run.out.join("\n"));
        assert.ok(printed(run, /^ {2}3\. Seoul's workloads: .*\)$/) && !printed(run, /^ {2}3\..*--confirm-step/));
    });
});

describe("serve-app --dry-run shows what the command would do, including a refusal", function () {
    this.timeout(600_000);

    it("with emergency off in the stack file: the real command's message and exit code, and no plan", async () => {
        const dry = await dr(["serve-app", "--stack", "pilot-light", "--dry-run"], undefined, [], undefined, NO_CLI);
        const real = await dr(["serve-app", "--stack", "pilot-light", "--yes"], pilotStack({ emergency: "false" }));
        assert.strictEqual(dry.code, DR_EXIT.refused, dry.out.join("\n"));
        assert.strictEqual(dry.code, real.code);
        const refusal = "emergency is off: there is no application in Azure to serve; run `emergency on` first";
        assert.ok(dry.out.some(line => line.includes(`failed  serve-app: ${refusal} (dry run of Pulumi.pilot-light.yaml`)), dry.out.join("\n"));
        assert.ok(real.out.some(line => line.endsWith(`failed  serve-app: ${refusal}`)), real.out.join("\n"));
        assert.ok(!printed(dry, /emergency=true|serveApp=true|^\s*\+\d+/), "no plan of a change the command would not make");
    });

    it("on a warm-standby stack serve-app and emergency on dry runs refuse as the real commands do", async () => {
        for (const argv of [["serve-app"], ["emergency", "on"]]) {
            const run = await dr([...argv, "--stack", "warm-standby", "--dry-run"], undefined, [], undefined, NO_CLI);
            assert.strictEqual(run.code, DR_EXIT.refused, run.out.join("\n"));
            assert.ok(printed(run, /stack warm-standby runs warm-standby; this command applies to pilot-light/), run.out.join("\n"));
        }
    });
});
