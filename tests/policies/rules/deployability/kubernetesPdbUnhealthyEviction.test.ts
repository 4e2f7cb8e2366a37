import * as assert from "assert";
import { kubernetesPdbUnhealthyEviction } from "../../../../policies/rules";
import { changed, findings, resource } from "../../harness";

const spec = { minAvailable: 1, selector: { matchLabels: { app: "team" } }, unhealthyPodEvictionPolicy: "AlwaysAllow" };
const pdb = resource("kubernetes:policy/v1:PodDisruptionBudget", "primary-app-team", { metadata: { namespace: "app" }, spec });

describe("policy kubernetes-pdb-unhealthy-eviction", () => {
    it("accepts a budget that lets drains evict unready pods", async () => {
        assert.deepStrictEqual(await findings(kubernetesPdbUnhealthyEviction, [pdb]), []);
    });

    it("reports a budget that leaves the policy unset", async () => {
        assert.deepStrictEqual(await findings(kubernetesPdbUnhealthyEviction, [changed(pdb, { spec: { ...spec, unhealthyPodEvictionPolicy: undefined } })]), [
            'primary-app-team: leaves unhealthyPodEvictionPolicy unset (IfHealthyBudget): a pod that is running but not ready blocks node drains while the budget is not met, and a node group update times out; set it to "AlwaysAllow"',
        ]);
    });

    it("reports IfHealthyBudget set explicitly, unless the budget is exempt with a reason", async () => {
        const ifHealthy = changed(pdb, { spec: { ...spec, unhealthyPodEvictionPolicy: "IfHealthyBudget" } });
        assert.deepStrictEqual(await findings(kubernetesPdbUnhealthyEviction, [ifHealthy]), [
            'primary-app-team: sets unhealthyPodEvictionPolicy "IfHealthyBudget": a pod that is running but not ready blocks node drains while the budget is not met, and a node group update times out; set it to "AlwaysAllow"',
        ]);
        assert.deepStrictEqual(await findings(kubernetesPdbUnhealthyEviction, [ifHealthy], { exempt: { "primary-app-team": "a quorum that must never lose an unready member" } }), []);
    });
});
