import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../../lib/typed";
import { T } from "../../lib/types";

/** Config of {@link kubernetesPdbUnhealthyEviction}. */
export interface PdbEvictionConfig {
    /** Pulumi resource names of budgets that keep the default on purpose, each with the reason. */
    exempt: Record<string, string>;
}

/** PodDisruptionBudgets let node drains evict pods that are not ready. */
export const kubernetesPdbUnhealthyEviction: ResourceValidationPolicy = {
    name: "kubernetes-pdb-unhealthy-eviction",
    description: "PodDisruptionBudgets set unhealthyPodEvictionPolicy: AlwaysAllow. With the default (IfHealthyBudget) a pod that is running but not ready can be evicted only while the budget is met, so one crash-looping pod blocks every node drain and a node group update times out (https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set spec.unhealthyPodEvictionPolicy to \"AlwaysAllow\" (GA since Kubernetes 1.31), or list the budget in exempt with the reason when unready pods must never be evicted (a quorum that would lose data).",
    configSchema: {
        properties: {
            exempt: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: {},
                description: "Pulumi resource names of budgets that keep IfHealthyBudget on purpose, each mapped to the reason.",
            },
        },
    },
    validateResource: resourceOfType<{ spec?: { unhealthyPodEvictionPolicy?: string } }>(T.podDisruptionBudget, (props, args, report) => {
        if (args.name in args.getConfig<PdbEvictionConfig>().exempt) {
            return;
        }
        const policy = props.spec?.unhealthyPodEvictionPolicy;
        if (policy !== "AlwaysAllow") {
            report(`${policy === undefined ? "leaves unhealthyPodEvictionPolicy unset (IfHealthyBudget)" : `sets unhealthyPodEvictionPolicy ${JSON.stringify(policy)}`}: a pod that is running but not ready blocks node drains while the budget is not met, and a node group update times out; set it to "AlwaysAllow"`);
        }
    }),
};
