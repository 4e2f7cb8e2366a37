import * as assert from "assert";
import { DR_EXIT } from "../../runbook/cli";
import { FakeStack } from "./fakeStack";
import { dr, printed, warmBackend } from "./harness";

describe("runbook CLI: status shows the workloads stacks", () => {
    it("reports each site's role and last update, and an unreadable stack as unknown without failing", async () => {
        const { infra, standby } = warmBackend();
        await standby.up(() => undefined);
        const run = await dr(["status", "--stack", "warm-standby", "--json"], { infra, workloads: { [standby.name]: standby } });
        assert.strictEqual(run.code, DR_EXIT.ok, run.err.join("\n"));
        const report = JSON.parse(run.out.join("\n"));
        assert.deepStrictEqual(report.workloads, [
            { site: "primary", stack: "warm-standby-primary", unknown: "cannot open workloads stack warm-standby-primary (project multicloud-dr-workloads in workloads/) through the Pulumi CLI (no stack named 'warm-standby-primary' found)" },
            { site: "standby", stack: "warm-standby-standby", role: "standby", replicas: 1, lastUpdate: "update succeeded at 2026-11-22T10:00:00.000Z" },
        ]);
        assert.ok(run.err.some(line => /timeline saved/.test(line)), "with --json the timeline stays off stdout");
    });

    it("the offline view names the workloads stacks of the strategy's sites", async () => {
        const warm = await dr(["status", "--stack", "warm-standby", "--dry-run"], undefined);
        assert.ok(printed(warm, /workloads stacks: primary warm-standby-primary, standby warm-standby-standby$/), warm.out.join("\n"));
        const pilot = await dr(["status", "--stack", "pilot-light", "--dry-run"], undefined);
        assert.ok(printed(pilot, /workloads stacks: primary pilot-light-primary$/), pilot.out.join("\n"));
    });

    it("pilot light: prints the commands that revalidate the maintenance front's certificate, built from the stack's outputs", async () => {
        const pilot = () => new FakeStack("pilot-light", { strategy: "pilot-light" }, () => ({
            azureResourceGroup: "pilot-light-rg1",
            maintenanceFrontProfile: "maintenance-front-profile1",
            maintenanceFrontDomain: "app-petclinic-example-com",
        }));
        const text = await dr(["status", "--stack", "pilot-light"], pilot());
        assert.strictEqual(text.code, DR_EXIT.ok, text.err.join("\n"));
        const target = "-g pilot-light-rg1 --profile-name maintenance-front-profile1 --custom-domain-name app-petclinic-example-com";
        assert.ok(printed(text, new RegExp(`az afd custom-domain regenerate-validation-token ${target}`)), text.out.join("\n"));
        assert.ok(printed(text, /pulumi up --refresh/));
        const json = JSON.parse((await dr(["status", "--stack", "pilot-light", "--json"], pilot())).out.join("\n"));
        assert.ok(json.frontCertificateCheck.some((command: string) => command.startsWith(`az afd custom-domain show ${target}`)));
        const warm = JSON.parse((await dr(["status", "--stack", "warm-standby", "--json"], warmBackend().backend)).out.join("\n"));
        assert.strictEqual(warm.frontCertificateCheck, undefined, "warm standby has no maintenance front");
    });
});
