import * as assert from "assert";
import { runProgram } from "../../plan/runOffline";
import {
    DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION, parseWorkloadsConfig, WORKLOADS_PROJECT, WorkloadsConfigError,
} from "../../workloads/config";
import { defineWorkloads } from "../../workloads/program";
import { knownWorkloadsStacks, workloadsStackConfig } from "../../workloads/stackFiles";

const VALID = { infraStack: "organization/multicloud-dr/warm-standby", site: "primary" };

function problemsOf(values: Record<string, string>): string[] {
    try {
        parseWorkloadsConfig(values);
    } catch (error) {
        assert.ok(error instanceof WorkloadsConfigError, String(error));
        return error.problems.map(p => `${p.key} ${p.message}`);
    }
    assert.fail("config was accepted");
}

/** This project's keys from a stack file, without namespace, as the program reads them. */
function projectValues(config: Record<string, unknown>): Record<string, string> {
    const prefix = `${WORKLOADS_PROJECT}:`;
    return Object.fromEntries(Object.entries(config)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), typeof value === "string" ? value : JSON.stringify(value)]));
}

describe("workloads: config", () => {
    it("applies the documented defaults", () => {
        const config = parseWorkloadsConfig(VALID);
        assert.deepStrictEqual(config, {
            infraStack: "organization/multicloud-dr/warm-standby",
            site: "primary",
            imageTag: undefined,
            replicas: 2,
            standbyReplicas: 1,
            runAsUser: 10001,
            runAsGroup: 10001,
            loadBalancerControllerChartVersion: DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
        });
        assert.match(DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION, /^\d+\.\d+\.\d+$/);
    });

    it("requires the infrastructure stack and the site", () => {
        assert.deepStrictEqual(problemsOf({}), [
            "infraStack is required: the fully qualified name of the infrastructure stack, e.g. organization/multicloud-dr/warm-standby",
            "site is required: which of the infrastructure's sites this stack deploys to, one of primary, standby",
        ]);
    });

    it("reports every bad key at once, with exact messages and a suggestion for a typo", () => {
        assert.deepStrictEqual(problemsOf({
            infraStack: "warm-standby",
            site: "tokyo",
            imageTag: "v1 beta",
            replicas: "0",
            standbyReplicas: "one",
            runAsUser: "0",
            runAsGroup: "1.5",
            loadBalancerControllerChartVersion: "latest",
            standbyReplica: "1",
        }), [
            'infraStack "warm-standby" is not a fully qualified stack name like organization/multicloud-dr/warm-standby',
            'site "tokyo" is not one of primary, standby',
            'imageTag "v1 beta" is not a container image tag',
            "replicas 0 is out of range; allowed 1-100",
            'standbyReplicas "one" is not a whole number',
            "runAsUser 0 is out of range; allowed 1-2147483647",
            'runAsGroup "1.5" is not a whole number',
            `loadBalancerControllerChartVersion "latest" is not an exact chart version like ${DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION}`,
            "standbyReplica is not a setting of this program; did you mean standbyReplicas?",
        ]);
    });

    it("names the project namespace in the error and refuses a standby larger than the serving site", () => {
        assert.throws(() => parseWorkloadsConfig({ ...VALID, replicas: "2", standbyReplicas: "3", imagetag: "v1" }), (error: Error) => {
            assert.strictEqual(error.message, "Invalid workloads stack configuration (2 problems); nothing was declared:\n" +
                "  - multicloud-dr-workloads:standbyReplicas 3 is above replicas 2; a waiting standby should not outgrow the serving site\n" +
                "  - multicloud-dr-workloads:imagetag is not a setting of this program; did you mean imageTag?");
            return true;
        });
    });

    it("fails before declaring any resource, the StackReference included", async () => {
        const declared: string[] = [];
        await assert.rejects(runProgram(defineWorkloads, { [`${WORKLOADS_PROJECT}:site`]: "primary", [`${WORKLOADS_PROJECT}:replica`]: "2" }, "warm-standby-primary", {
            project: WORKLOADS_PROJECT,
            mockState: type => {
                declared.push(type);
                return undefined;
            },
        }), /infraStack is required[\s\S]*replica is not a setting of this program; did you mean replicas\?/);
        assert.deepStrictEqual(declared.filter(type => type !== "pulumi:pulumi:Stack"), []);
    });

    it("ships one valid stack file per AWS site of each infrastructure stack", () => {
        assert.deepStrictEqual(knownWorkloadsStacks(), ["pilot-light-primary", "warm-standby-primary", "warm-standby-standby"]);
        for (const stack of knownWorkloadsStacks()) {
            const config = parseWorkloadsConfig(projectValues(workloadsStackConfig(stack)));
            const [, , infra] = config.infraStack.split("/");
            assert.strictEqual(`${infra}-${config.site}`, stack, `${stack} deploys its own infrastructure stack's ${config.site} site`);
            assert.strictEqual(config.imageTag, undefined, `${stack}: the first deploy must not wait for images`);
        }
    });
});
