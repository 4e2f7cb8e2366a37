import * as assert from "assert";
import { DeclaredResource } from "../../plan/runOffline";
import { EvaluatedResource, evaluatePolicies, PolicyEvaluation } from "../../policies/evaluate";
import { pilotLightSites, runFixtureStack, warmStandbySites } from "../workloads/fixtures";

const STACKS: [string, () => ReturnType<typeof warmStandbySites> | ReturnType<typeof pilotLightSites>][] = [
    ["warm-standby-primary", () => warmStandbySites()],
    ["warm-standby-standby", () => warmStandbySites()],
    ["pilot-light-primary", () => pilotLightSites()],
];

/** The resources a policy ran on: every resource it did not declare itself not applicable to. */
function appliedTo(evaluation: PolicyEvaluation, resources: EvaluatedResource[], policy: string): string[] {
    const skipped = new Set(evaluation.notApplicable.filter(n => n.policy === policy).map(n => n.resource?.urn));
    return resources.filter(r => !skipped.has(r.urn)).map(r => r.type);
}

describe("policy pack on the workloads project (mock runtime)", () => {
    const runs = new Map<string, { resources: DeclaredResource[]; evaluation: PolicyEvaluation }>();
    before(async () => {
        for (const [stack, sites] of STACKS) {
            const run = await runFixtureStack(stack, sites());
            runs.set(stack, { resources: run.resources, evaluation: await evaluatePolicies(run.resources) });
        }
    });

    for (const [stack] of STACKS) {
        it(`${stack}: no violation, and the Kubernetes deployability policies run on its budgets and pods`, () => {
            const { resources, evaluation } = runs.get(stack)!;
            assert.deepStrictEqual(evaluation.violations.map(v => `${v.policy} ${v.resource?.name}: ${v.message}`), []);
            assert.ok(appliedTo(evaluation, resources, "kubernetes-pdb-unhealthy-eviction").includes("kubernetes:policy/v1:PodDisruptionBudget"));
            assert.ok(appliedTo(evaluation, resources, "kubernetes-nonroot-numeric-user").includes("kubernetes:apps/v1:Deployment"));
        });
    }

    it("reports the workloads' Deployments once their numeric user is removed", async () => {
        const { resources } = runs.get("warm-standby-primary")!;
        const withoutUser = resources.map(r => {
            if (r.type !== "kubernetes:apps/v1:Deployment") {
                return r;
            }
            const spec = r.inputs.spec.template.spec;
            const strip = (sc: Record<string, unknown> | undefined) => (sc ? { ...sc, runAsUser: undefined } : sc);
            const pod = { ...spec, securityContext: strip(spec.securityContext), containers: spec.containers.map((c: Record<string, any>) => ({ ...c, securityContext: strip(c.securityContext) })) };
            return { ...r, inputs: { ...r.inputs, spec: { ...r.inputs.spec, template: { ...r.inputs.spec.template, spec: pod } } } };
        });
        const evaluation = await evaluatePolicies(withoutUser);
        const reported = evaluation.violations.filter(v => v.policy === "kubernetes-nonroot-numeric-user");
        assert.ok(reported.length > 0);
        assert.strictEqual(reported.length, resources.filter(r => r.type === "kubernetes:apps/v1:Deployment").length);
    });
});
