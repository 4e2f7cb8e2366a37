import * as path from "path";
import { Command } from "commander";
import { ConfigError, parseConfig } from "../config";
import { ProgramFailure } from "../plan/runOffline";
import { projectValues, REPO_ROOT, stackFileConfig, StackFileError } from "../plan/stackFiles";
import { drill } from "./commands/drill";
import { failback } from "./commands/failback";
import { failover } from "./commands/failover";
import { emergencyOff, emergencyOn, serveApp } from "./commands/pilotLight";
import { status } from "./commands/status";
import { alwaysYes, Confirm, noTerminalConfirm, terminalConfirm } from "./confirm";
import { RunbookContext, RunbookRefusal } from "./context";
import { DR_PROJECTS, DrProject, RunbookUsageError, WorkloadsStackNames, workloadsStackNames } from "./projects";
import { automationStack, StackOps } from "./stackOps";
import { Timeline } from "./timeline";
import { projectWorkloadsOffline, WorkloadsOffline } from "./workloadsOffline";

/**
 * Exit codes of `npm run dr`. `refused`: the command stopped without doing (the rest of) its
 * work: a check failed, the operator declined, no terminal to ask and no `--yes`, or a person's
 * failback step not attested; the message and the saved timeline say which.
 */
export const DR_EXIT = { ok: 0, refused: 1, badInput: 2 } as const;

/** Where failback progress and incident timelines are kept (gitignored). */
export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, ".dr");

/** Seams for tests: how to open a stack and how to ask the operator. */
export interface DrCliDeps {
    /** Opens a stack of the infrastructure project (default) or of the workloads project. */
    readonly openStack: (stack: string, project?: DrProject) => Promise<StackOps>;
    /** The workloads project offline, for dry runs; default the project's own runner. */
    readonly workloadsOffline?: WorkloadsOffline;
    /** Answers every question (tests); default the terminal. Only asked when {@link stdin} is a terminal. */
    readonly confirm?: Confirm;
    /** Where answers come from; default process.stdin. Not a TTY (a pipe, /dev/null, closed): nobody is asked. */
    readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
    readonly stateDir?: string;
    readonly now?: () => number;
}

interface CommonOptions {
    stack: string;
    dryRun?: boolean;
    yes?: boolean;
    json?: boolean;
    /** `--workloads-stack <site>=<name>`, repeatable. */
    workloadsStack?: string[];
    /** `--confirm-step <id>`, repeatable: a person attests that failback step is done. */
    confirmStep?: string[];
}

/** Runs `dr <command>`; returns the exit code. */
export async function runDrCli(argv: string[], print: (line: string) => void, printError: (line: string) => void, deps: DrCliDeps = { openStack: automationStack }): Promise<number> {
    let exitCode: number = DR_EXIT.ok;
    const stdin = deps.stdin ?? process.stdin;
    const terminal = stdin.isTTY === true ? deps.confirm ?? terminalConfirm(stdin) : undefined;
    const run = (command: string, action: (ctx: RunbookContext, options: CommonOptions) => Promise<unknown>) => async (options: CommonOptions) => {
        if (options.json && !options.dryRun && command !== "status") {
            // Without --dry-run the command would go on and change the stacks while the caller waits for JSON it never gets.
            printError(`dr: --json goes with --dry-run for ${command} (the JSON is the dry run's diffs and steps); a real ${command} prints its timeline and saves it as JSON in ${deps.stateDir ?? DEFAULT_STATE_DIR}`);
            return void (exitCode = DR_EXIT.badInput);
        }
        let workloadsStacks: WorkloadsStackNames;
        try {
            workloadsStacks = workloadsStackNames(options.stack, options.workloadsStack);
        } catch (error) {
            printError(`dr: ${(error as Error).message}`);
            exitCode = DR_EXIT.badInput;
            return;
        }
        // With --json, stdout carries only the JSON; the timeline goes to stderr.
        const log = options.json ? printError : print;
        const timeline = new Timeline(command, log, deps.now);
        const ctx: RunbookContext = {
            stack: options.stack,
            dryRun: options.dryRun === true,
            confirm: options.yes ? alwaysYes : terminal ?? noTerminalConfirm(command, options.stack),
            askPerson: terminal,
            timeline,
            print,
            openStack: () => deps.openStack(options.stack).catch((error: Error) => {
                throw new RunbookRefusal(`cannot open stack ${options.stack} through the Pulumi CLI (${error.message.split("\n")[0]}); install the Pulumi CLI and log in to the stack's backend, or use --dry-run for the offline view`);
            }),
            workloadsStacks,
            openWorkloadsStack: site => deps.openStack(workloadsStacks[site], "workloads").catch((error: Error) => {
                const name = workloadsStacks[site];
                throw new RunbookRefusal(`cannot open workloads stack ${name} (project ${DR_PROJECTS.workloads.name} in workloads/) through the Pulumi CLI (${error.message.split("\n")[0]}). Create and deploy it (pulumi -C workloads stack init ${name}; pulumi -C workloads up -s ${name}), name the ${site} site's stack with --workloads-stack ${site}=<name>, or use --dry-run for the offline view`);
            }),
            workloadsOffline: deps.workloadsOffline ?? projectWorkloadsOffline,
            stateDir: deps.stateDir ?? DEFAULT_STATE_DIR,
        };
        try {
            stackFileConfig(options.stack);
            timeline.log(`${command} --stack ${options.stack}${ctx.dryRun ? " --dry-run" : ""}`, "start");
            const result = await action(ctx, options);
            if (typeof result === "number" && result !== 0) {
                exitCode = DR_EXIT.refused;
            }
        } catch (error) {
            if (error instanceof RunbookRefusal) {
                timeline.log(command, "failed", error.message);
                exitCode = DR_EXIT.refused;
            } else if (error instanceof StackFileError || error instanceof ConfigError || error instanceof ProgramFailure || error instanceof RunbookUsageError) {
                printError(`dr: ${error.message}`);
                exitCode = DR_EXIT.badInput;
            } else {
                timeline.log(command, "failed", (error as Error).message);
                throw error;
            }
        } finally {
            if (!ctx.dryRun && timeline.records.length > 0) {
                log(`timeline saved: ${path.relative(process.cwd(), timeline.save(ctx.stateDir, options.stack))}`);
            }
        }
    };
    const strategyOf = (stack: string) => parseConfig(projectValues(stackFileConfig(stack))).strategy;

    const program = new Command().name("dr").description("Disaster-recovery runbooks as commands, on Pulumi's Automation API. Every command prints a timestamped timeline.")
        .exitOverride().configureOutput({ writeOut: text => print(text.trimEnd()), writeErr: text => printError(text.trimEnd()) });
    const withCommon = (command: Command) => command
        .requiredOption("-s, --stack <name>", "the stack (Pulumi.<name>.yaml)")
        .option("--dry-run", "show the offline plan diff of the change and the steps; needs no Pulumi CLI or cloud")
        .option("-y, --yes", "answer yes to every \"proceed?\" question (needed without a terminal); never attests that a person did a failback step (--confirm-step)");
    const withWorkloads = (command: Command) => command
        .option("--workloads-stack <site=name>", `a site's stack of the ${DR_PROJECTS.workloads.name} project (workloads/), default <stack>-<site>; repeatable`, (value: string, previous: string[] = []) => [...previous, value]);
    withWorkloads(withCommon(program.command("status").description("strategy, flags, outputs, backup lag where known, the workloads stacks' last updates"))).option("--json", "machine-readable")
        .action(run("status", (ctx, o) => status(ctx, o.json === true)));
    withWorkloads(withCommon(program.command("failover").description("warm standby: promote Tokyo, then turn Tokyo's workloads active (also reconciles after an automatic failover)")))
        .option("--json", "with --dry-run: the diffs and steps as JSON")
        .action(run("failover", (ctx, o) => failover(ctx, o.json === true)));
    withCommon(program.command("emergency").argument("<state>", "on | off").description("pilot light: build (on) or, after failback, remove (off) the Azure emergency site"))
        .action((state: string, options: CommonOptions) => {
            if (state !== "on" && state !== "off") {
                printError(`dr: emergency takes on or off, not "${state}"`);
                exitCode = DR_EXIT.badInput;
                return undefined;
            }
            return run(`emergency ${state}`, ctx => (state === "on" ? emergencyOn(ctx) : emergencyOff(ctx)))(options);
        });
    withCommon(program.command("serve-app").description("pilot light: route the gateway from the maintenance page to the application"))
        .action(run("serve-app", ctx => serveApp(ctx)));
    withWorkloads(withCommon(program.command("failback").description("the ordered, confirmed, resumable steps back to the primary")))
        .option("--confirm-step <id>", "attest that a person did this failback step (e.g. copy-data-back); repeatable. --yes never does; at a terminal without it you are asked", (value: string, previous: string[] = []) => [...previous, value])
        .action(run("failback", (ctx, o) => failback(ctx, strategyOf(ctx.stack), o.confirmStep ?? [])));
    withCommon(program.command("drill").description("run the local DR drill (kills a real database under load and measures the loss)"))
        .allowUnknownOption().argument("[args...]", "passed to npm run drill")
        .action((args: string[], options: CommonOptions) => run("drill", ctx => drill(ctx, args))(options));

    try {
        await program.parseAsync(argv, { from: "user" });
    } catch (error) {
        const code = (error as { exitCode?: number }).exitCode;
        return code === 0 ? DR_EXIT.ok : DR_EXIT.badInput;
    }
    return exitCode;
}

if (require.main === module) {
    runDrCli(process.argv.slice(2), line => process.stdout.write(`${line}\n`), line => process.stderr.write(`${line}\n`))
        .then(code => { process.exitCode = code; })
        .catch(error => {
            process.stderr.write(`dr: ${error instanceof Error ? error.stack : String(error)}\n`);
            process.exitCode = 3;
        });
}
