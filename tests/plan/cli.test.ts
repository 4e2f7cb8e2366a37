import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, runPlanCli } from "../../plan/cli";
import { DR_EXIT, runDrCli } from "../../runbook/cli";

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPlanCli(argv, text => { out += text; }, text => { err += text; });
    return { code, out, err };
}

const REQUIRED_POLICIES = [
    "dr-cidr-no-overlap", "dr-failover-record-has-health-check", "dr-data-residency", "dr-stateful-resources-protected",
    "aws-rds-encrypted", "aws-s3-public-access-blocked", "aws-ec2-imdsv2", "aws-sg-no-world-admin-ports",
    "aws-iam-no-wildcard-actions", "azure-storage-secure-transport", "azure-mysql-secure", "azure-vm-ssh-key-only",
];

describe("plan CLI", () => {
    it("prints the pilot-light plan as one JSON object: resources, every policy, cost, objectives; exit 0", async () => {
        const run = await plan(["--stack", "pilot-light", "--json"]);
        assert.strictEqual(run.code, EXIT.ok, run.err);
        const result = JSON.parse(run.out);
        assert.strictEqual(result.stack, "pilot-light");
        assert.ok(result.resources.length >= 30);
        assert.ok(result.resources.every((r: any) => typeof r.type === "string" && "region" in r && "parent" in r));
        const evaluated = result.policies.map((p: any) => p.name);
        assert.deepStrictEqual(REQUIRED_POLICIES.filter(name => !evaluated.includes(name)), []);
        assert.deepStrictEqual(result.violations.filter((v: any) => v.enforcementLevel === "mandatory"), []);
        assert.ok(result.cost.monthlyUsd > 0);
        assert.ok(Array.isArray(result.cost.unpriced) && Array.isArray(result.cost.items));
        assert.deepStrictEqual(result.objectives.targets.rtoMinutes, { min: 120, max: 240 });
        const fronts = result.maintenanceFrontAlternatives.map((a: any) => `${a.option}: ${a.baseUsdPerMonth} ${a.declared ? "declared" : "compared"}`);
        assert.deepStrictEqual(fronts.filter((f: string) => f.endsWith("declared")), ["Azure Front Door Standard: 35 declared"]);
        assert.ok(result.cost.items.some((i: any) => i.priceKey === "azure-frontdoor:Standard_AzureFrontDoor" && i.monthlyUsd === 35), "the front is in the stack's cost");
    });

    it("compares the HTTPS fronts for the maintenance page in the pilot light's price section only", async () => {
        const pilot = await plan(["--stack", "pilot-light"]);
        assert.strictEqual(pilot.code, EXIT.ok, pilot.err);
        assert.match(pilot.out, /HTTPS front for the maintenance page, compared/);
        assert.match(pilot.out, /│ Azure Front Door Standard +│ \$35\.00 +│ yes/);
        assert.match(pilot.out, /│ Azure Front Door Premium +│ \$330\.00 +│ no/);
        assert.match(pilot.out, /│ Amazon CloudFront \(pay as +│ \$0\.00 +│ no/);
        const warm = await plan(["--stack", "warm-standby"]);
        assert.doesNotMatch(warm.out, /HTTPS front for the maintenance page/);
    });

    it("reports a mandatory residency violation and exits 1 under a stricter policy config", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "policy.json");
        fs.writeFileSync(file, JSON.stringify({ "dr-data-residency": { allowedRegions: ["ap-northeast-2"] } }));
        const run = await plan(["--stack", "warm-standby", "--policy-config", file]);
        assert.strictEqual(run.code, EXIT.mandatoryViolation);
        assert.match(run.out, /dr-data-residency +│ mandatory/);
        assert.match(run.out, /stores data in ap-northeast-1, outside the allowed regions \(ap-northeast-2\)/);
        assert.match(run.out, /^Offline plan of stack "warm-standby"[\s\S]*not a provider preview/);
    });

    it("exits 2 for an unknown stack, a rejected config and an unreadable policy config", async () => {
        assert.strictEqual((await plan(["--stack", "nope"])).code, EXIT.badInput);
        const rejected = await plan(["--stack", "pilot-light", "--set", "azureCidr=10.10.0.0/16"]);
        assert.strictEqual(rejected.code, EXIT.badInput);
        assert.match(rejected.err, /azureCidr 10\.10\.0\.0\/16 overlaps primaryCidr/);
        const badPolicy = await plan(["--stack", "pilot-light", "--policy-config", "/nonexistent/policy.json"]);
        assert.strictEqual(badPolicy.code, EXIT.badInput);
        assert.match(badPolicy.err, /cannot read policy config/);
        assert.strictEqual((await plan(["--stack", "pilot-light", "--set", "novalue"])).code, EXIT.badInput);
    });

    const badNamespaces: [string, RegExp][] = [
        ["multiclod-dr:failover=true", /"multiclod-dr:failover": unknown namespace "multiclod-dr", so nothing would read it; did you mean multicloud-dr:failover\?/],
        ["multicloud-dr-workload:imageTag=x", /did you mean multicloud-dr-workloads:imageTag\?/],
        ["azure:location=koreacentral", /unknown namespace "azure".*did you mean azure-native:location\?/],
        ["awss:region=us-east-1", /did you mean aws:region\?/],
        [":failover=true", /empty namespace; write failover for the project's own key/],
    ];
    for (const [set, message] of badNamespaces) {
        it(`exits 2 for --set ${set} (and --diff), naming the namespace and the nearest known one`, async () => {
            for (const option of ["--set", "--diff"]) {
                const run = await plan(["--stack", "warm-standby", option, set]);
                assert.strictEqual(run.code, EXIT.badInput, run.out);
                assert.match(run.err, message);
                assert.match(run.err, /Known namespaces: multicloud-dr, multicloud-dr-workloads, aws, azure-native, kubernetes, random, tls, pulumi/);
                assert.strictEqual(run.out, "", "no plan printed");
            }
        });
    }

    it("accepts the project's and the providers' namespaces", async () => {
        const run = await plan(["--stack", "pilot-light", "--set", "multicloud-dr:serveApp=false", "--set", "aws:skipMetadataApiCheck=true", "--json"]);
        assert.strictEqual(run.code, EXIT.ok, run.err);
    });
});

describe("dr CLI --dry-run (no Pulumi CLI, no cloud)", () => {
    it("shows what emergency on would add, the Application Gateway among it, and exits 0", async () => {
        const out: string[] = [];
        const code = await runDrCli(["emergency", "on", "--stack", "pilot-light", "--dry-run"], line => out.push(line), line => out.push(line), {
            openStack: async () => { throw new Error("a dry run must not open the stack"); },
            stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "dr-")),
        });
        assert.strictEqual(code, DR_EXIT.ok, out.join("\n"));
        const text = out.join("\n");
        assert.match(text, /Diff for emergency=true: \+\d+ added, -0 removed/);
        assert.match(text, /│ \+ │ emergency-gateway-gateway +│ azure-native:network:ApplicationGateway/);
        assert.match(text, /│ \+ │ emergency-mysql +│ azure-native:resources:Resource/);
        assert.match(text, /Steps it would take:\n {2}1\. confirm with the operator/);
    });
});
