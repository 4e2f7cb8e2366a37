import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../permissions/awsPolicy";
import { EXIT, runPermissionsCli } from "../../permissions/cli";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPermissionsCli(argv, text => { out += text; }, text => { err += text; });
    return { code, out, err };
}

describe("permissions CLI", () => {
    it("writes one file per managed policy and prints the whole result as JSON", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "permissions-"));
        const { code, out, err } = await run(["--stack", "warm-standby", "--json", "--out", dir, "--account", "111122223333"]);
        assert.strictEqual(code, EXIT.ok, err);
        const result = JSON.parse(out) as { awsPolicies: { name: string; size: number; document: unknown }[]; azureRole: unknown; variants: string[] };
        assert.deepStrictEqual(result.variants, ["failover=false", "failover=true"]);
        assert.strictEqual(result.azureRole, null);
        assert.ok(result.awsPolicies.length >= 1);
        const files = fs.readdirSync(dir).sort();
        assert.deepStrictEqual(files, result.awsPolicies.map(p => `${p.name}.json`).sort());
        for (const policy of result.awsPolicies) {
            const written = JSON.parse(fs.readFileSync(path.join(dir, `${policy.name}.json`), "utf8"));
            assert.deepStrictEqual(written, policy.document);
            assert.ok(policySize(written) <= MANAGED_POLICY_MAX_CHARS);
        }
        const all = JSON.stringify(result.awsPolicies);
        assert.ok(all.includes("arn:aws:iam::111122223333:role/"));
        assert.ok(!all.includes("arn:aws:iam::*:"), "every IAM ARN names the account");
    });

    it("pilot light: prints the Azure role with the condition its assignment must carry", async () => {
        const { code, out, err } = await run(["--stack", "pilot-light", "--subscription", "00000000-0000-4000-8000-000000000001"]);
        assert.strictEqual(code, EXIT.ok, err);
        assert.match(out, /# multicloud-dr-pilot-light-deployer\.json\n\{/);
        const condition = /# multicloud-dr-pilot-light-deployer\.condition\.txt\n(.+)\n/.exec(out)?.[1];
        assert.ok(condition, "no condition printed beside the role");
        assert.match(condition, /GuidEquals \{4633458b-17de-408a-b874-0445c86b69e6\}/);
        assert.match(condition, /PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/);
    });

    it("refuses an unknown stack and a malformed account id", async () => {
        const unknown = await run(["--stack", "nope"]);
        assert.strictEqual(unknown.code, EXIT.badInput);
        assert.match(unknown.err, /unknown stack "nope"/);
        const account = await run(["--stack", "warm-standby", "--account", "12345"]);
        assert.strictEqual(account.code, EXIT.badInput);
        assert.match(account.err, /12-digit AWS account id/);
    });
});
