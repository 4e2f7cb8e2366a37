import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, runPlanCli } from "../../plan/cli";

/**
 * The plan-flags catalogue of the bad-input suite (issue 12): `npm run plan -- ...` with flags a
 * hurried operator could type. Every row exits 2 with a message naming the flag or value and the
 * fix, and prints no plan.
 */
interface Row {
    readonly name: string;
    readonly argv: string[];
    readonly message: RegExp;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-flags-"));
const file = (name: string, text: string) => {
    const at = path.join(scratch, name);
    fs.writeFileSync(at, text);
    return at;
};

const ROWS: Row[] = [
    { name: "no --stack", argv: [], message: /required option '-s, --stack <name>' not specified/ },
    { name: "--stack without a name", argv: ["--stack"], message: /option '-s, --stack <name>' argument missing/ },
    { name: "an unknown stack", argv: ["--stack", "prod"], message: /unknown stack "prod": no Pulumi\.prod\.yaml here or in workloads\/; known stacks: pilot-light, warm-standby/ },
    { name: "a misspelled stack", argv: ["--stack", "warm-standy"], message: /unknown stack "warm-standy".*did you mean warm-standby\?/ },
    { name: "a path as the stack", argv: ["--stack", "../etc/passwd"], message: /unknown stack "\.\.\/etc\/passwd"/ },
    { name: "--set without =", argv: ["--stack", "pilot-light", "--set", "emergency"], message: /--set <key=value>.*expected key=value, got "emergency"/ },
    { name: "--set without a key", argv: ["--stack", "pilot-light", "--set", "=true"], message: /expected key=value, got "=true"/ },
    { name: "--set with a misspelled namespace", argv: ["--stack", "pilot-light", "--set", "multiclod-dr:emergency=true"], message: /unknown namespace "multiclod-dr", so nothing would read it; did you mean multicloud-dr:emergency\?/ },
    { name: "--set with a provider's old namespace", argv: ["--stack", "pilot-light", "--set", "azure:location=koreacentral"], message: /unknown namespace "azure".*did you mean azure-native:location\?/ },
    { name: "--set of one key twice with different values", argv: ["--stack", "pilot-light", "--set", "emergency=true", "--set", "emergency=false"], message: /"emergency" is given twice, as "true" and "false"; give it once/ },
    { name: "--diff with a misspelled key", argv: ["--stack", "pilot-light", "--diff", "emergncy=true"], message: /multicloud-dr:emergncy is not a setting of this program; did you mean emergency\?/ },
    { name: "--diff with a flag the strategy does not have", argv: ["--stack", "pilot-light", "--diff", "failover=true"], message: /failover is true, but strategy pilot-light has no AWS standby.*use emergency instead/ },
    { name: "--diff on a workloads stack", argv: ["--stack", "warm-standby-primary", "--diff", "replicas=3"], message: /--diff applies to infrastructure stacks/ },
    { name: "--set on a workloads stack with a bad value", argv: ["--stack", "warm-standby-standby", "--set", "multicloud-dr-workloads:replicas=-1"], message: /replicas/ },
    { name: "--policy-config that does not exist", argv: ["--stack", "pilot-light", "--policy-config", path.join(scratch, "missing.json")], message: /cannot read policy config .*missing\.json: ENOENT/ },
    { name: "--policy-config that is not JSON", argv: ["--stack", "pilot-light", "--policy-config", file("broken.json", "{ dr-data-residency: ")], message: /policy config .*broken\.json is not valid: .*JSON/ },
    { name: "--policy-config naming a policy the pack lacks", argv: ["--stack", "pilot-light", "--policy-config", file("unknown.json", '{"no-such-policy": {}}')], message: /no-such-policy: not a policy in this pack/ },
    { name: "--policy-config with a misspelled policy key", argv: ["--stack", "pilot-light", "--policy-config", file("key.json", '{"dr-data-residency": {"allowedRegion": ["ap-northeast-2"]}}')], message: /dr-data-residency\.allowedRegion: unknown key \(did you mean allowedRegions\?\)/ },
    { name: "an unknown flag", argv: ["--stack", "pilot-light", "--verbose"], message: /unknown option '--verbose'/ },
    { name: "a stray argument", argv: ["--stack", "pilot-light", "emergency=true"], message: /too many arguments/ },
];

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPlanCli(argv, text => { out += text; }, text => { err += text; });
    return { code, out, err };
}

describe("bad inputs: plan flags (exit 2, the flag and the fix named, no plan printed)", () => {
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));
    for (const row of ROWS) {
        it(`${row.name}: plan ${row.argv.join(" ")}`, async () => {
            const run = await plan(row.argv);
            assert.strictEqual(run.code, EXIT.badInput, run.out.slice(0, 300) + run.err);
            assert.match(run.err, row.message);
            assert.doesNotMatch(run.out, /Offline plan of stack/, "no plan printed");
            assert.doesNotMatch(run.err, /^\s+at .*\(.*:\d+:\d+\)$/m, "no stack trace");
        });
    }
});
