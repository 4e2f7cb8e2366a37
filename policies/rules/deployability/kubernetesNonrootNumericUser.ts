import { ResourceValidationPolicy } from "@pulumi/policy";
import { ContainerProps, podSpecOf, POD_TEMPLATE_TYPES } from "../../lib/podSpecs";
import { resourceOfTypes } from "../../lib/typed";

/**
 * Containers that must run as non-root say as whom: `runAsNonRoot` without a numeric `runAsUser`
 * (on the container or the pod) leaves the check to the image's USER, and the kubelet refuses to
 * start a container whose image names its user (`USER app`) or runs as root.
 */
export const kubernetesNonrootNumericUser: ResourceValidationPolicy = {
    name: "kubernetes-nonroot-numeric-user",
    description: "Containers with runAsNonRoot also set a numeric, non-zero runAsUser (on the container or the pod): otherwise the kubelet checks the image's USER and refuses to start an image whose user is a name (\"container has runAsNonRoot and image has non-numeric user\") or root (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set securityContext.runAsUser and runAsGroup to non-zero ids on the pod (or each container), matching the files the image needs to read.",
    validateResource: resourceOfTypes<Record<string, unknown>>(POD_TEMPLATE_TYPES, (props, args, report) => {
        const pod = podSpecOf(args.type, props);
        if (!pod) {
            return;
        }
        const containers: [string, ContainerProps][] = [
            ...(pod.initContainers ?? []).map((c): [string, ContainerProps] => ["init container", c]),
            ...(pod.containers ?? []).map((c): [string, ContainerProps] => ["container", c]),
        ];
        for (const [kind, container] of containers) {
            const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
            if (nonRoot !== true) {
                continue;
            }
            const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
            const label = `${kind} ${JSON.stringify(container.name ?? "")}`;
            if (user === undefined) {
                report(`${label} sets runAsNonRoot without a numeric runAsUser: the kubelet refuses to start it when the image's user is a name or root; set runAsUser (and runAsGroup) to a non-zero id`);
            } else if (user === 0) {
                report(`${label} sets runAsNonRoot with runAsUser 0 (root): the kubelet refuses to start it; set a non-zero runAsUser`);
            }
        }
    }),
};
