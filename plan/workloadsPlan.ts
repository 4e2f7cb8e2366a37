import { PROJECT } from "../config/defaults";
import { parseWorkloadsConfig, WORKLOADS_PROJECT } from "../workloads/config";
import { workloadsStackConfig } from "../workloads/stackFiles";
import { offlineInfraOutputs } from "./offlineInfra";
import { EvaluatedPolicy, PlanViolation, PolicyEvaluator } from "./policies";
import { DeclaredResource } from "./runOffline";

/** What to plan for a workloads stack (`workloads/Pulumi.<stack>.yaml`). */
export interface WorkloadsPlanRequest {
    readonly stack: string;
    /**
     * Config overrides. Keys without namespace belong to the workloads project; keys in the
     * infrastructure's namespace (`multicloud-dr:failover`) go to the infrastructure run it reads.
     */
    readonly sets?: Record<string, string>;
    readonly policyConfig?: Record<string, unknown>;
}

/** Everything an offline plan learns about a workloads stack. */
export interface WorkloadsPlan {
    readonly stack: string;
    readonly project: string;
    /** The infrastructure stack it reads (the last segment of `infraStack`), planned offline too. */
    readonly infraStack: string;
    readonly site: string;
    readonly sets: Record<string, string>;
    readonly resources: DeclaredResource[];
    readonly policies: EvaluatedPolicy[];
    readonly violations: PlanViolation[];
}

/**
 * Runs the infrastructure stack the workloads stack names under the mock runtime, then the
 * workloads program against those outputs, and evaluates the policy pack over what it declares.
 * Throws UnknownStackError for an unknown stack, and the programs' own errors for bad config.
 */
export async function makeWorkloadsPlan(request: WorkloadsPlanRequest, evaluate: PolicyEvaluator): Promise<WorkloadsPlan> {
    const sets = request.sets ?? {};
    const infraPrefix = `${PROJECT}:`;
    const infraSets = Object.fromEntries(Object.entries(sets).filter(([key]) => key.startsWith(infraPrefix)));
    const ownSets = Object.fromEntries(Object.entries(sets)
        .filter(([key]) => !key.startsWith(infraPrefix))
        .map(([key, value]) => [key.includes(":") ? key : `${WORKLOADS_PROJECT}:${key}`, value]));
    const config: Record<string, unknown> = { ...workloadsStackConfig(request.stack), ...ownSets };
    // Validate first: a rejected config fails here, naming every key, before either program runs.
    const parsed = parseWorkloadsConfig(ownValues(config));
    const infraStackName = parsed.infraStack.split("/").pop() ?? parsed.infraStack;
    const infraOutputs = await offlineInfraOutputs(infraStackName, infraSets);
    const { runWorkloadsOffline } = await import("../workloads/offline");
    const run = await runWorkloadsOffline({ stack: request.stack, config, infraOutputs });
    const { policies, violations } = await evaluate(run.resources, request.policyConfig);
    return {
        stack: request.stack,
        project: WORKLOADS_PROJECT,
        infraStack: infraStackName,
        site: parsed.site,
        sets,
        resources: run.resources,
        policies,
        violations,
    };
}

/** This project's keys without namespace, values as the CLI hands them over (strings). */
function ownValues(config: Record<string, unknown>): Record<string, string> {
    const prefix = `${WORKLOADS_PROJECT}:`;
    return Object.fromEntries(Object.entries(config)
        .filter(([key, value]) => key.startsWith(prefix) && value !== undefined)
        .map(([key, value]) => [key.slice(prefix.length), typeof value === "string" ? value : JSON.stringify(value)]));
}
