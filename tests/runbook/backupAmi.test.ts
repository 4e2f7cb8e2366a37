import * as assert from "assert";
import { DR_EXIT } from "../../runbook/cli";
import { FakeStack } from "./fakeStack";
import { dr, printed } from "./harness";

const AMI = "ami-0123456789abcdef0";

function pilotStack(config: Record<string, string> = {}, outputs: Record<string, unknown> = { backupInstanceAmi: AMI }) {
    return new FakeStack("pilot-light", { strategy: "pilot-light", ...config }, c => ({
        emergencyServing: c.emergency === "true" ? (c.serveApp === "true" ? "app" : "maintenance") : undefined,
        emergencyGatewayHost: c.emergency === "true" ? "dr-abc.koreacentral.cloudapp.azure.com" : undefined,
        azureResourceGroup: "pilot-light-rg",
        ...outputs,
    }));
}

describe("runbook CLI: emergency on pins the backup instance's AMI so pulumi up never needs Seoul's SSM", () => {
    it("sets backupInstanceAmi from the stack output before the emergency flag and before pulumi up", async () => {
        const stack = pilotStack();
        const run = await dr(["emergency", "on", "--stack", "pilot-light"], stack, [true]);
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(run.journal, [`pilot-light: set backupInstanceAmi=${AMI}`, "pilot-light: set emergency=true", "pilot-light: set aws:stsRegion=us-east-1", "pilot-light: up"]);
        assert.strictEqual(stack.ups[0].backupInstanceAmi, AMI, "the up runs with the AMI pinned");
        assert.ok(printed(run, new RegExp(`done +pulumi config set backupInstanceAmi ${AMI}: pinned from the stack output: pulumi up does not read Seoul's SSM`)), run.out.join("\n"));
    });

    it("keeps an AMI already pinned in the config", async () => {
        const pinned = "ami-0fedcba9876543210";
        const stack = pilotStack({ backupInstanceAmi: pinned });
        const run = await dr(["emergency", "on", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets, [["emergency", "true"], ["aws:stsRegion", "us-east-1"]]);
        assert.ok(printed(run, new RegExp(`skipped pulumi config set backupInstanceAmi: already pinned to ${pinned}`)));
    });

    it("warns, and still builds the site, when the stack has no AMI output to pin", async () => {
        const stack = pilotStack({}, {});
        const run = await dr(["emergency", "on", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(run.code, DR_EXIT.ok);
        assert.deepStrictEqual(stack.sets, [["emergency", "true"], ["aws:stsRegion", "us-east-1"]]);
        assert.ok(printed(run, /info +pin backupInstanceAmi: WARNING: the stack has no backupInstanceAmi output .* Seoul's SSM and fails while Seoul is down; .*aws ec2 describe-instances/));
    });

    it("pins nothing when the operator declines, and exits non-zero", async () => {
        const stack = pilotStack();
        const run = await dr(["emergency", "on", "--stack", "pilot-light"], stack, [false]);
        assert.strictEqual(run.code, DR_EXIT.refused);
        assert.deepStrictEqual(run.journal, []);
    });

    it("serve-app pins it too when emergency was turned on by hand", async () => {
        const stack = pilotStack({ emergency: "true" });
        const run = await dr(["serve-app", "--stack", "pilot-light", "--yes"], stack);
        assert.strictEqual(run.code, DR_EXIT.ok, run.out.join("\n"));
        assert.deepStrictEqual(run.journal, [`pilot-light: set backupInstanceAmi=${AMI}`, "pilot-light: set serveApp=true", "pilot-light: set aws:stsRegion=us-east-1", "pilot-light: up"]);
    });

    it("the dry run lists the pinning step between the confirmation and the emergency flag", async function () {
        this.timeout(600_000);
        const run = await dr(["emergency", "on", "--stack", "pilot-light", "--dry-run"], undefined, [], undefined, {
            openStack: async () => { throw new Error("a dry run must not open a stack"); },
        });
        assert.strictEqual(run.code, DR_EXIT.ok, [...run.out, ...run.err].join("\n"));
        const steps = run.out.slice(run.out.indexOf("Steps it would take:") + 1);
        assert.match(steps[0], /^ {2}1\. confirm with the operator$/);
        assert.match(steps[1], /^ {2}2\. pulumi config set backupInstanceAmi <stack output backupInstanceAmi> unless set already: pulumi up then never looks the AMI up in Seoul's SSM/);
        assert.match(steps[2], /^ {2}3\. pulumi config set emergency true/);
    });
});
