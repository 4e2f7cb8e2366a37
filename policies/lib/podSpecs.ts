import { T } from "./types";

/** The securityContext fields the pack reads (pod and container level share these). */
export interface SecurityContextProps {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
}

/** A container of a pod spec, as far as the pack reads it. */
export interface ContainerProps {
    name?: string;
    securityContext?: SecurityContextProps;
}

/** A pod spec, as far as the pack reads it. */
export interface PodSpecProps {
    securityContext?: SecurityContextProps;
    containers?: ContainerProps[];
    initContainers?: ContainerProps[];
}

/** Where each workload kind keeps its pod spec, from the resource's props. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    [T.pod]: ["spec"],
    [T.deployment]: ["spec", "template", "spec"],
    [T.statefulSet]: ["spec", "template", "spec"],
    [T.daemonSet]: ["spec", "template", "spec"],
    [T.replicaSet]: ["spec", "template", "spec"],
    [T.replicationController]: ["spec", "template", "spec"],
    [T.job]: ["spec", "template", "spec"],
    [T.cronJob]: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Kubernetes resource types that hold a pod spec. */
export const POD_TEMPLATE_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The pod spec of a workload of `type`, or undefined when the kind holds none or it is absent. */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpecProps | undefined {
    const path = POD_SPEC_PATHS[type];
    if (!path) {
        return undefined;
    }
    let value: unknown = props;
    for (const key of path) {
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    return typeof value === "object" && value !== null ? (value as PodSpecProps) : undefined;
}
