import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import { DrCliDeps, runDrCli } from "../../runbook/cli";
import { Confirm } from "../../runbook/confirm";
import { FakeStack } from "./fakeStack";

/** The stacks a fake Pulumi backend holds: one infrastructure stack and workloads stacks by name. */
export interface FakeBackend {
    readonly infra?: FakeStack;
    readonly workloads?: Record<string, FakeStack>;
}

/** One `npm run dr` run against fakes. */
export interface DrRun {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
    readonly stateDir: string;
    /** Every question the command asked, in order. */
    readonly asked: string[];
    /** Every stack the command opened, as `<project>:<stack>`. */
    readonly opened: string[];
    /** Every change made to any fake stack, in order (see FakeStack.journal). */
    readonly journal: string[];
}

/**
 * Runs the dr CLI with `backend` as the Pulumi backend (a missing infrastructure stack answers
 * like a missing Pulumi CLI, a missing workloads stack like `pulumi stack select` of an unknown
 * stack) and `answers` as the operator's answers (no once they run out). Standard input is a
 * terminal unless `extra.stdin` says otherwise (see {@link NO_TERMINAL}).
 */
export async function dr(argv: string[], backend: FakeStack | FakeBackend | undefined, answers: boolean[] = [], stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), extra: Partial<DrCliDeps> = {}): Promise<DrRun> {
    const stacks: FakeBackend = backend instanceof FakeStack ? { infra: backend } : backend ?? {};
    const out: string[] = [];
    const err: string[] = [];
    const asked: string[] = [];
    const opened: string[] = [];
    const journal: string[] = [];
    for (const stack of [stacks.infra, ...Object.values(stacks.workloads ?? {})]) {
        if (stack) {
            stack.journal = journal;
        }
    }
    const confirm: Confirm = async question => {
        asked.push(question);
        return answers.shift() ?? false;
    };
    let clock = Date.parse("2026-11-22T10:00:00Z");
    const code = await runDrCli(argv, line => out.push(line), line => err.push(line), {
        openStack: async (name, project = "infrastructure") => {
            opened.push(`${project}:${name}`);
            if (project === "workloads") {
                const found = stacks.workloads?.[name];
                if (!found) {
                    throw new Error(`no stack named '${name}' found`);
                }
                return found;
            }
            if (!stacks.infra) {
                throw new Error("pulumi: command not found");
            }
            return stacks.infra;
        },
        confirm,
        stdin: TERMINAL,
        stateDir,
        now: () => (clock += 1500),
        ...extra,
    });
    return { code, out, err, stateDir, asked, opened, journal };
}

/** A standard input that is a terminal: the fake `confirm` answers. */
const TERMINAL = Object.assign(new PassThrough(), { isTTY: true });

/** `extra` for a run whose standard input is not a terminal (a pipe at its end, as in CI or `</dev/null`). */
export function noTerminal(): Partial<DrCliDeps> {
    const stdin = new PassThrough();
    stdin.end();
    return { stdin };
}

/** The warm-standby infrastructure stack: its outputs follow `failover` as the program's do. */
export function warmStack(config: Record<string, string> = {}, standbyRoleAfterFailover = "active"): FakeStack {
    return new FakeStack("warm-standby", { strategy: "warm-standby", ...config }, c => ({
        standbyDatabaseRole: c.failover === "true" ? "promoted" : "replica",
        activeRegion: c.failover === "true" ? "ap-northeast-1" : "ap-northeast-2",
        workloadSites: {
            primary: { role: "primary", region: "ap-northeast-2", failover: c.failover === "true" },
            standby: { role: c.failover === "true" ? standbyRoleAfterFailover : "standby", region: "ap-northeast-1", failover: c.failover === "true" },
        },
    }));
}

/**
 * A workloads stack of `infra` for `site`, configured as the shipped stack files are plus an
 * image tag; its outputs report the role the infrastructure's flag gives the site.
 */
export function workloadsStack(infra: FakeStack, site: "primary" | "standby", config: Record<string, string | undefined> = {}, name = `${infra.name}-${site}`): FakeStack {
    const values = Object.fromEntries(Object.entries({ infraStack: `organization/multicloud-dr/${infra.name}`, site, imageTag: "2026.12.01", ...config })
        .filter((entry): entry is [string, string] => entry[1] !== undefined));
    return new FakeStack(name, values, () => ({
        site,
        role: site === "primary" ? "primary" : infra.config.failover === "true" ? "active" : "standby",
        replicas: site === "standby" && infra.config.failover !== "true" ? 1 : 2,
        serving: true,
    }));
}

/** A warm-standby backend: the infrastructure stack and both sites' workloads stacks. */
export function warmBackend(config: Record<string, string> = {}): { infra: FakeStack; primary: FakeStack; standby: FakeStack; backend: FakeBackend } {
    const infra = warmStack(config);
    const primary = workloadsStack(infra, "primary");
    const standby = workloadsStack(infra, "standby");
    return { infra, primary, standby, backend: { infra, workloads: { [primary.name]: primary, [standby.name]: standby } } };
}

/** True when some printed line matches. */
export function printed(run: Pick<DrRun, "out">, pattern: RegExp): boolean {
    return run.out.some(line => pattern.test(line));
}
