import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_EXIT } from "../../runbook/cli";
import { FakeStack } from "../runbook/fakeStack";
import { dr, FakeBackend, noTerminal, warmBackend } from "../runbook/harness";

/**
 * The runbook catalogue of the bad-input suite (issue 12): `npm run dr -- ...` typed wrong, on the
 * wrong stack, without a terminal, or over a damaged progress file. Every row asserts the exit
 * code, a fragment naming the cause and the fix, and that no stack was changed.
 */
interface Row {
    readonly name: string;
    readonly argv: string[];
    readonly backend: () => FakeStack | FakeBackend | undefined;
    readonly terminal: boolean;
    readonly code: number;
    readonly message: RegExp;
    /** Files to put in the state directory first (name to content). */
    readonly state?: Record<string, string>;
}

const EMERGENCY_DB = "urn:pulumi:pilot-light::multicloud-dr::dr:azure:MysqlServer$azure-native:resources:Resource::emergency-mysql";

function pilot(config: Record<string, string> = {}): FakeStack {
    return new FakeStack("pilot-light", { strategy: "pilot-light", ...config }, () => ({ azureResourceGroup: "pilot-light-rg" }), [EMERGENCY_DB]);
}

const terminalAndNot = (row: Omit<Row, "terminal" | "name"> & { name: string }): Row[] => [
    { ...row, terminal: true, name: `${row.name} (at a terminal)` },
    { ...row, terminal: false, name: `${row.name} (no terminal)` },
];

const ROWS: Row[] = [
    { name: "no command", argv: [], backend: () => pilot(), terminal: true, code: DR_EXIT.badInput, message: /Usage: dr \[options\] \[command\]/ },
    { name: "an unknown command", argv: ["frobnicate", "--stack", "pilot-light"], backend: () => pilot(), terminal: true, code: DR_EXIT.badInput, message: /unknown command 'frobnicate'/ },
    ...terminalAndNot({ name: "failover without --stack", argv: ["failover"], backend: () => warmBackend().backend, code: DR_EXIT.badInput, message: /required option '-s, --stack <name>' not specified/ }),
    ...terminalAndNot({ name: "an unknown stack", argv: ["status", "--stack", "nope"], backend: () => pilot(), code: DR_EXIT.badInput, message: /unknown stack "nope": no Pulumi\.nope\.yaml; known stacks: pilot-light, warm-standby/ }),
    { name: "a misspelled stack", argv: ["failover", "--stack", "warm-standy"], backend: () => warmBackend().backend, terminal: false, code: DR_EXIT.badInput, message: /unknown stack "warm-standy".*did you mean warm-standby\?/ },
    ...terminalAndNot({ name: "failover on the pilot light", argv: ["failover", "--stack", "pilot-light", "--yes"], backend: () => pilot(), code: DR_EXIT.refused, message: /failover applies to warm-standby \(use `emergency on` for pilot-light\)/ }),
    { name: "emergency on the warm standby", argv: ["emergency", "on", "--stack", "warm-standby", "--yes"], backend: () => warmBackend().backend, terminal: false, code: DR_EXIT.refused, message: /pilot-light/ },
    { name: "emergency without on or off", argv: ["emergency", "--stack", "pilot-light"], backend: () => pilot(), terminal: true, code: DR_EXIT.badInput, message: /missing required argument 'state'/ },
    { name: "emergency onn", argv: ["emergency", "onn", "--stack", "pilot-light"], backend: () => pilot(), terminal: true, code: DR_EXIT.badInput, message: /emergency takes on or off, not "onn"/ },
    ...terminalAndNot({ name: "emergency off before failback", argv: ["emergency", "off", "--stack", "pilot-light", "--yes"], backend: () => pilot({ emergency: "true" }), code: DR_EXIT.refused, message: /emergency off would delete what users wrote in Azure; run `npm run dr -- failback --stack pilot-light`/ }),
    ...terminalAndNot({ name: "serve-app with emergency off", argv: ["serve-app", "--stack", "pilot-light", "--yes"], backend: () => pilot(), code: DR_EXIT.refused, message: /emergency is off: there is no application in Azure to serve; run `emergency on` first/ }),
    { name: "serve-app --dry-run with emergency off", argv: ["serve-app", "--stack", "pilot-light", "--dry-run"], backend: () => pilot(), terminal: false, code: DR_EXIT.refused, message: /emergency is off/ },
    { name: "--workloads-stack without a site", argv: ["failover", "--stack", "warm-standby", "--workloads-stack", "tokyo"], backend: () => warmBackend().backend, terminal: true, code: DR_EXIT.badInput, message: /--workloads-stack: "tokyo" is not <site>=<stack> with site primary or standby/ },
    { name: "--workloads-stack with an unknown site", argv: ["failover", "--stack", "warm-standby", "--workloads-stack", "mars=x"], backend: () => warmBackend().backend, terminal: true, code: DR_EXIT.badInput, message: /"mars=x" is not <site>=<stack>/ },
    { name: "a workloads stack that does not exist", argv: ["failover", "--stack", "warm-standby", "--yes", "--workloads-stack", "standby=tokyo-apps"], backend: () => warmBackend().backend, terminal: false, code: DR_EXIT.refused, message: /cannot open workloads stack tokyo-apps .*pulumi -C workloads stack init tokyo-apps/ },
    ...terminalAndNot({ name: "failover --json without --dry-run", argv: ["failover", "--stack", "warm-standby", "--json"], backend: () => warmBackend().backend, code: DR_EXIT.badInput, message: /--json goes with --dry-run for failover/ }),
    { name: "an option another command has", argv: ["failover", "--stack", "warm-standby", "--confirm-step", "verify"], backend: () => warmBackend().backend, terminal: true, code: DR_EXIT.badInput, message: /unknown option '--confirm-step'/ },
    { name: "--set, which only the plan has", argv: ["failover", "--stack", "warm-standby", "--set", "failover=true"], backend: () => warmBackend().backend, terminal: true, code: DR_EXIT.badInput, message: /unknown option '--set'/ },
    ...terminalAndNot({ name: "no Pulumi CLI", argv: ["failover", "--stack", "warm-standby", "--yes"], backend: () => undefined, code: DR_EXIT.refused, message: /cannot open stack warm-standby through the Pulumi CLI \(pulumi: command not found\); install the Pulumi CLI.*or use --dry-run/ }),
    { name: "a --confirm-step of the other strategy", argv: ["failback", "--stack", "warm-standby", "--confirm-step", "copy-data-back"], backend: () => warmBackend({ failover: "true" }).backend, terminal: false, code: DR_EXIT.badInput, message: /"copy-data-back" is not a step of the warm-standby failback/ },
    { name: "a --confirm-step typo", argv: ["failback", "--stack", "pilot-light", "--confirm-step", "verfy"], backend: () => pilot({ emergency: "true" }), terminal: false, code: DR_EXIT.badInput, message: /"verfy" is not a step of the pilot-light failback \(did you mean verify\?\)/ },
    ...terminalAndNot({
        name: "a failback progress file cut short",
        argv: ["failback", "--stack", "pilot-light", "--yes"],
        backend: () => pilot({ emergency: "true" }),
        state: { "failback-pilot-light.json": '{"completed": ["copy-data-back",' },
        code: DR_EXIT.refused,
        message: /the failback progress file .*failback-pilot-light\.json is not valid JSON \(.*\), so which steps are done is unknown; move it away \(`mv .*failback-pilot-light\.json .*\.bad`\)/,
    }),
    {
        name: "a failback progress file of another shape",
        argv: ["failback", "--stack", "pilot-light", "--yes"],
        backend: () => pilot({ emergency: "true" }),
        state: { "failback-pilot-light.json": '{"done": ["copy-data-back"]}' },
        terminal: false,
        code: DR_EXIT.refused,
        message: /failback-pilot-light\.json has no list of completed steps \("completed": \[\.\.\.\]\)/,
    },
    {
        name: "a failback progress file naming a step no failback has",
        argv: ["failback", "--stack", "pilot-light", "--yes"],
        backend: () => pilot({ emergency: "true" }),
        state: { "failback-pilot-light.json": '{"completed": ["copy-data-back", "release-everything"], "attestations": []}' },
        terminal: false,
        code: DR_EXIT.refused,
        message: /failback-pilot-light\.json lists step\(s\) no failback has: release-everything/,
    },
    {
        name: "emergency off after a failback whose progress file is corrupt",
        argv: ["emergency", "off", "--stack", "pilot-light", "--yes"],
        backend: () => pilot({ emergency: "true" }),
        state: { "failback-pilot-light.json": "not json" },
        terminal: false,
        code: DR_EXIT.refused,
        message: /failback-pilot-light\.json is not valid JSON/,
    },
];

describe("bad inputs: the runbook CLI (exit code, cause and fix named, no stack changed)", () => {
    for (const row of ROWS) {
        it(`${row.name}: dr ${row.argv.join(" ")}`, async () => {
            const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bad-"));
            for (const [name, text] of Object.entries(row.state ?? {})) {
                fs.writeFileSync(path.join(stateDir, name), text);
            }
            const backend = row.backend();
            const run = await dr(row.argv, backend, [true, true, true, true], stateDir, row.terminal ? {} : noTerminal());
            const all = [...run.err, ...run.out].join("\n");
            assert.strictEqual(run.code, row.code, all);
            assert.match(all, row.message);
            assert.deepStrictEqual(run.journal, [], "no config set and no pulumi up in any stack");
            if (backend instanceof FakeStack) {
                assert.deepStrictEqual(backend.protectedUrns, [EMERGENCY_DB], "nothing released");
            }
            for (const [name, text] of Object.entries(row.state ?? {})) {
                assert.strictEqual(fs.readFileSync(path.join(stateDir, name), "utf8"), text, `${name} left as it was`);
            }
            assert.doesNotMatch(all, /^\s+at .*:\d+:\d+\)?$/m, "no stack trace");
            fs.rmSync(stateDir, { recursive: true, force: true });
        });
    }
});
