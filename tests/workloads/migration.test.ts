import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { WorkloadSite, WorkloadSiteName } from "../../lib/workloadSite";
import { ProgramRun } from "../../plan/runOffline";
import {
    legacyComponentUrn, legacyImageTag, migrationCommands, movedUrn, siteOfLegacyUrn, sitesOfInfraStack, workloadsStackName,
} from "../../workloads/migrate";
import { pilotLightSites, runFixtureStack, warmStandbySites } from "./fixtures";

const legacy = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/legacyWorkloadUrns.json"), "utf8")) as Record<string, string[]>;
const INFRA_STACKS = ["warm-standby", "pilot-light"];

/** The engine never prefixes a root-level resource's children with the stack type; older offline URNs did. */
function engineForm(urn: string): string {
    return urn.replace("::pulumi:pulumi:Stack$", "::");
}

const FIXTURE_SITES: Record<string, Partial<Record<WorkloadSiteName, WorkloadSite>>> = {
    "warm-standby": warmStandbySites(false),
    "pilot-light": pilotLightSites(),
};

describe("workloads: moving the workloads out of the infrastructure stacks", () => {
    const runs = new Map<string, ProgramRun<unknown>>();
    before(async () => {
        for (const infra of INFRA_STACKS) {
            for (const site of sitesOfInfraStack(infra)) {
                const stack = workloadsStackName(infra, site);
                runs.set(stack, await runFixtureStack(stack, FIXTURE_SITES[infra], { imageTag: "latest" }));
            }
        }
    });

    it("maps each site's legacy URNs to the workloads stack of the documented name", () => {
        assert.strictEqual(movedUrn("urn:pulumi:warm-standby::multicloud-dr::dr:k8s:ServiceWorkloads$kubernetes:core/v1:Namespace::standby-app-ns", "warm-standby-standby"),
            "urn:pulumi:warm-standby-standby::multicloud-dr-workloads::dr:k8s:ServiceWorkloads$kubernetes:core/v1:Namespace::standby-app-ns");
        assert.deepStrictEqual(sitesOfInfraStack("warm-standby"), ["primary", "standby"]);
        assert.deepStrictEqual(sitesOfInfraStack("pilot-light"), ["primary"]);
    });

    for (const infra of INFRA_STACKS) {
        it(`declares every resource ${infra} declared, at exactly the URN pulumi state move gives it`, () => {
            assert.ok(legacy[infra].length > 0);
            for (const urn of legacy[infra]) {
                const stack = workloadsStackName(infra, siteOfLegacyUrn(urn));
                const declared = runs.get(stack)!.resources.map(r => engineForm(r.urn));
                assert.ok(declared.includes(movedUrn(urn, stack)), `${stack} does not declare ${movedUrn(urn, stack)}`);
            }
        });
    }

    it("moves by naming only each component: every legacy resource is the component or one of its children, never a provider alone", () => {
        for (const infra of INFRA_STACKS) {
            const components = sitesOfInfraStack(infra).map(site => legacyComponentUrn(infra, site));
            const commands = migrationCommands(infra, sitesOfInfraStack(infra), "latest");
            const moved = commands.filter(c => c.includes("state move")).map(c => /'([^']+)'$/.exec(c)![1]);
            assert.deepStrictEqual(moved, components);
            for (const urn of legacy[infra]) {
                const component = legacyComponentUrn(infra, siteOfLegacyUrn(urn));
                const isComponent = urn === component;
                const isChild = urn.startsWith(`urn:pulumi:${infra}::multicloud-dr::dr:k8s:ServiceWorkloads$`) && urn.split("::").pop()!.startsWith(component.split("::").pop()!);
                assert.ok(isComponent || isChild, `${urn} would stay behind`);
            }
            assert.ok(moved.every(urn => !urn.includes("pulumi:providers:")), "pulumi state move refuses to move a provider by name");
        }
    });

    it("prints commands that create the destination stacks, move, keep the running image, then deploy in order", () => {
        const commands = migrationCommands("warm-standby", ["primary", "standby"], "v42", "acme");
        const runnable = commands.filter(c => !c.startsWith("#"));
        assert.deepStrictEqual(runnable, [
            "pulumi -C workloads stack init warm-standby-primary",
            "pulumi -C workloads state move --source acme/multicloud-dr/warm-standby --dest warm-standby-primary --yes 'urn:pulumi:warm-standby::multicloud-dr::dr:k8s:ServiceWorkloads::primary-app'",
            "pulumi -C workloads config set -s warm-standby-primary imageTag v42",
            "pulumi -C workloads stack init warm-standby-standby",
            "pulumi -C workloads state move --source acme/multicloud-dr/warm-standby --dest warm-standby-standby --yes 'urn:pulumi:warm-standby::multicloud-dr::dr:k8s:ServiceWorkloads::standby-app'",
            "pulumi -C workloads config set -s warm-standby-standby imageTag v42",
            "pulumi up -s warm-standby",
            "pulumi -C workloads preview -s warm-standby-primary --diff",
            "pulumi -C workloads preview -s warm-standby-standby --diff",
        ]);
        assert.strictEqual(legacyImageTag("warm-standby"), "latest", "the shipped stack never set imageTag: the old default");
    });

    it("keeps the moved Deployments running the image they ran when imageTag is carried over", () => {
        const run = runs.get("warm-standby-primary")!;
        const deployment = run.resources.find(r => r.type === "kubernetes:apps/v1:Deployment" && r.name === "primary-app-ai")!;
        assert.strictEqual(deployment.inputs.spec.replicas, 2);
        assert.match(deployment.inputs.spec.template.spec.containers[0].image, /\/portforge-ai:latest$/);
    });
});
