import * as fs from "fs";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config";
import { diffPlans, PlanDiff } from "./diff";
import { checkPlanConfig, makePlan, Plan } from "./plan";
import { isMandatory } from "./policies";
import { loadPolicyEvaluator } from "./policyPack";
import { planJson, planText } from "./report";
import { ProgramFailure } from "./runOffline";
import { knownStacks, namespaceProblem, nearestGuess, StackFileError, UnknownStackError } from "./stackFiles";
import { makeWorkloadsPlan } from "./workloadsPlan";
import { workloadsPlanJson, workloadsPlanText } from "./workloadsReport";
import { knownWorkloadsStacks } from "../workloads/stackFiles";
import { WORKLOADS_PROJECT, WorkloadsConfigError } from "../workloads/config";
import { PROJECT } from "../config/defaults";
import { PolicyConfigError as PackConfigError } from "../policies/evaluate";

/** Exit codes: what a script calling the plan can rely on. */
export const EXIT = { ok: 0, mandatoryViolation: 1, badInput: 2 } as const;

function keyValue(text: string, previous: Record<string, string> = {}): Record<string, string> {
    const at = text.indexOf("=");
    if (at <= 0) {
        throw new InvalidArgumentError(`expected key=value, got "${text}"`);
    }
    const key = text.slice(0, at);
    const problem = namespaceProblem(key, [PROJECT, WORKLOADS_PROJECT]);
    if (problem) {
        throw new InvalidArgumentError(problem);
    }
    const value = text.slice(at + 1);
    if (key in previous && previous[key] !== value) {
        // The last one would win silently: a tired operator's "=true ... =false" is a mistake, not a wish.
        throw new InvalidArgumentError(`"${key}" is given twice, as ${JSON.stringify(previous[key])} and ${JSON.stringify(value)}; give it once`);
    }
    return { ...previous, [key]: value };
}

interface CliOptions {
    stack: string;
    set?: Record<string, string>;
    diff?: Record<string, string>;
    policyConfig?: string;
    json?: boolean;
}

/** Runs the plan command; returns the exit code. Output goes to `write`, errors to `writeError`. */
export async function runPlanCli(argv: string[], write: (text: string) => void, writeError: (text: string) => void): Promise<number> {
    const program = new Command()
        .name("plan")
        .description("Offline plan of a stack: what the program declares, its policy results, monthly cost and recovery objectives. No cloud, no Pulumi CLI. " +
            "A workloads stack (workloads/Pulumi.<name>.yaml) is planned against the offline outputs of the infrastructure stack it reads.")
        .requiredOption("-s, --stack <name>", "stack to plan (a Pulumi.<name>.yaml beside Pulumi.yaml, or in workloads/)")
        .option("--set <key=value>", "override a config key (repeatable)", keyValue)
        .option("--diff <key=value>", "also plan with this change and show what it adds, removes and costs (repeatable)", keyValue)
        .option("--policy-config <file>", "policy configuration, the same JSON as `pulumi preview --policy-pack-config`")
        .option("--json", "print one JSON object instead of the report")
        .exitOverride()
        .configureOutput({ writeOut: write, writeErr: writeError });
    let options: CliOptions;
    try {
        options = program.parse(argv, { from: "user" }).opts<CliOptions>();
    } catch (error) {
        const code = (error as { exitCode?: number }).exitCode;
        return code === 0 ? EXIT.ok : EXIT.badInput;
    }
    try {
        const policyConfig = options.policyConfig ? readPolicyConfig(options.policyConfig) : undefined;
        const evaluate = loadPolicyEvaluator();
        if (policyConfig) {
            // Checked against no resources first: a typo in the policy config fails before the program runs.
            await evaluate([], policyConfig);
        }
        if (!knownStacks().includes(options.stack) && knownWorkloadsStacks().includes(options.stack)) {
            if (options.diff) {
                writeError(`plan: --diff applies to infrastructure stacks; for a workloads stack plan with --set (e.g. --set multicloud-dr:failover=true), or see both projects with \`npm run dr -- failover --stack <infrastructure stack> --dry-run\`\n`);
                return EXIT.badInput;
            }
            const workloads = await makeWorkloadsPlan({ stack: options.stack, sets: options.set, policyConfig }, evaluate);
            write(options.json ? JSON.stringify(workloadsPlanJson(workloads), null, 2) : workloadsPlanText(workloads));
            write("\n");
            return workloads.violations.some(isMandatory) ? EXIT.mandatoryViolation : EXIT.ok;
        }
        if (options.diff) {
            // The changed config is checked before the base plan runs, so a typo in --diff fails at once.
            checkPlanConfig({ stack: options.stack, sets: { ...options.set, ...options.diff } });
        }
        const plan = await makePlan({ stack: options.stack, sets: options.set, policyConfig }, evaluate);
        let diff: PlanDiff | undefined;
        if (options.diff) {
            const changed: Plan = await makePlan({ stack: options.stack, sets: { ...options.set, ...options.diff }, policyConfig }, evaluate);
            diff = diffPlans(plan, changed, options.diff);
        }
        write(options.json ? JSON.stringify(planJson(plan, diff), null, 2) : planText(plan, diff));
        write("\n");
        return plan.violations.some(isMandatory) ? EXIT.mandatoryViolation : EXIT.ok;
    } catch (error) {
        if (error instanceof UnknownStackError && !knownStacks().includes(options.stack)) {
            const guess = nearestGuess(options.stack, [...knownStacks(), ...knownWorkloadsStacks()]);
            writeError(`plan: unknown stack "${options.stack}": no Pulumi.${options.stack}.yaml here or in workloads/; ${guess}known stacks: ${[...knownStacks(), ...knownWorkloadsStacks().map(s => `${s} (workloads)`)].join(", ")}\n`);
            return EXIT.badInput;
        }
        if (error instanceof StackFileError || error instanceof ConfigError || error instanceof WorkloadsConfigError || error instanceof ProgramFailure || error instanceof PolicyConfigError || error instanceof PackConfigError) {
            writeError(`plan: ${error.message}\n`);
            return EXIT.badInput;
        }
        throw error;
    }
}

/** The policy config file is missing or not JSON. */
export class PolicyConfigError extends Error {}

function readPolicyConfig(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new PolicyConfigError(`cannot read policy config ${file}: ${(error as Error).message}`);
    }
    try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            throw new Error("expected an object of policy names");
        }
        return parsed as Record<string, unknown>;
    } catch (error) {
        throw new PolicyConfigError(`policy config ${file} is not valid: ${(error as Error).message}`);
    }
}

if (require.main === module) {
    runPlanCli(process.argv.slice(2), text => process.stdout.write(text), text => process.stderr.write(text))
        .then(code => { process.exitCode = code; })
        .catch(error => {
            process.stderr.write(`plan: ${error instanceof Error ? error.stack : String(error)}\n`);
            process.exitCode = 3;
        });
}
