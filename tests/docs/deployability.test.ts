import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runStack } from "../support/stacks";
import { definedPolicyNames, mentionedTypes, policyNames, readDeployabilityDoc, section, typeRows } from "./deployabilityTable";

/** Every stack and flag combination config validation accepts, plus the optional features that add types. */
const STACK_RUNS: { label: string; stack: string; overrides: Record<string, unknown> }[] = [
    { label: "warm-standby", stack: "warm-standby", overrides: { failover: false } },
    { label: "warm-standby failover", stack: "warm-standby", overrides: { failover: true } },
    { label: "pilot-light", stack: "pilot-light", overrides: { emergency: false, serveApp: false } },
    { label: "pilot-light emergency", stack: "pilot-light", overrides: { emergency: true, serveApp: false } },
    { label: "pilot-light emergency serveApp", stack: "pilot-light", overrides: { emergency: true, serveApp: true } },
    {
        label: "warm-standby with alert subscriptions and interface endpoints",
        stack: "warm-standby",
        overrides: {
            alertSubscriptions: [{ protocol: "email", endpoint: "sre-oncall@example.com" }],
            interfaceEndpoints: ["ecr.api", "ecr.dkr", "sts"],
        },
    },
];

/** The workloads project's offline runner (issue 9, item 1): run when present, never read as source. */
const WORKLOADS_OFFLINE = path.resolve(__dirname, "..", "..", "workloads", "offline.ts");
const WORKLOADS_STACK_FILES = path.resolve(__dirname, "..", "..", "workloads", "stackFiles.ts");

/** Types the doc must give a row: the clouds this audit covers and the providers and helpers around them. */
const AUDITED = /^(aws|kubernetes|random|tls|azure-native):|^pulumi:providers:(aws|kubernetes|random|tls|azure-native)$/;

/** Subsections the Azure audit must have (issue 10's acceptance). */
const AZURE_SUBSECTIONS = ["Deploy order on a fresh subscription", "Threat model of the backup storage", "The second emergency"];

/** How an Azure row's third cell starts: the status, in bold. */
const STATUS = /^\*\*(Met|Partly|Not met)\b/;

interface TypedRun { readonly resources: { readonly type: string }[] }

/** What this test uses of workloads/offline.ts and workloads/stackFiles.ts, typed here so the test compiles without them. */
interface WorkloadsRunner {
    runWorkloadsStack(stack: string, infraOutputs: Record<string, unknown>, overrides?: Record<string, unknown>): Promise<TypedRun>;
    knownWorkloadsStacks(): string[];
}

function workloadsRunner(): WorkloadsRunner | undefined {
    if (!fs.existsSync(WORKLOADS_OFFLINE)) {
        return undefined;
    }
    /* eslint-disable @typescript-eslint/no-require-imports */
    const offline = require(WORKLOADS_OFFLINE) as Partial<WorkloadsRunner>;
    const stackFiles = require(WORKLOADS_STACK_FILES) as Partial<WorkloadsRunner>;
    /* eslint-enable @typescript-eslint/no-require-imports */
    assert.strictEqual(typeof offline.runWorkloadsStack, "function", "workloads/offline.ts exports no runWorkloadsStack");
    assert.strictEqual(typeof stackFiles.knownWorkloadsStacks, "function", "workloads/stackFiles.ts exports no knownWorkloadsStacks");
    return { runWorkloadsStack: offline.runWorkloadsStack!, knownWorkloadsStacks: stackFiles.knownWorkloadsStacks! };
}

/** The infrastructure stack a workloads stack reads: `warm-standby-standby` reads `warm-standby`. */
function infraStackOf(workloadsStack: string): string {
    const infra = ["warm-standby", "pilot-light"].find(stack => workloadsStack.startsWith(`${stack}-`));
    assert.ok(infra, `workloads stack ${workloadsStack} names no infrastructure stack`);
    return infra;
}

/** Records which runs declared each type. */
function noteTypes(declared: Map<string, string[]>, label: string, types: string[]): void {
    for (const type of types) {
        declared.set(type, [...new Set([...(declared.get(type) ?? []), label])]);
    }
}

/** Declared audited types without a row; Azure types count only with a row inside the "## Azure" section. */
function missingRows(doc: string, declared: Map<string, string[]>): string[] {
    const rowTypes = new Set(typeRows(doc).flatMap(row => row.types));
    const azureRowTypes = new Set(typeRows(section(doc, "Azure") ?? "").flatMap(row => row.types));
    const hasRow = (type: string) => type.startsWith("azure-native:") ? azureRowTypes.has(type) : rowTypes.has(type);
    return [...declared.keys()].filter(type => AUDITED.test(type) && !hasRow(type))
        .map(type => `${type} (declared by ${declared.get(type)!.join(", ")})`);
}

describe("docs/deployability.md", () => {
    let doc: string;
    const declared = new Map<string, string[]>();
    const infraOutputs = new Map<string, Record<string, unknown>>();
    before(async () => {
        doc = readDeployabilityDoc();
        for (const run of STACK_RUNS) {
            const result = await runStack<Record<string, unknown>>(run.stack, run.overrides);
            noteTypes(declared, run.label, result.resources.map(r => r.type));
            infraOutputs.set(run.label, result.outputs);
        }
    });

    it("has a table row for every AWS, Azure, Kubernetes, random and tls type the infrastructure program declares", () => {
        assert.ok(declared.has("aws:ec2/vpc:Vpc"), "the stack runs declared nothing");
        assert.ok(declared.has("azure-native:compute:VirtualMachine"), "the pilot-light runs declared no emergency VM");
        assert.deepStrictEqual(missingRows(doc, declared), [], "declared types without a row in docs/deployability.md");
    });

    // Only once the workloads project exists; before that its types were the infrastructure's, covered above.
    const runner = workloadsRunner();
    if (runner) {
        it("has a table row for every type the workloads project declares, run against every infrastructure run", async () => {
            const workloads = new Map<string, string[]>();
            const stacks = runner.knownWorkloadsStacks();
            assert.ok(stacks.length > 0, "workloads/ has no Pulumi.<stack>.yaml");
            for (const stack of stacks) {
                const infra = infraStackOf(stack);
                for (const run of STACK_RUNS.filter(r => r.stack === infra)) {
                    const result = await runner.runWorkloadsStack(stack, infraOutputs.get(run.label)!, { imageTag: "2026.12.01" });
                    noteTypes(workloads, `workloads ${stack} on ${run.label}`, result.resources.map(r => r.type));
                }
            }
            assert.ok([...workloads.keys()].some(type => type.startsWith("kubernetes:")), "the workloads runs declared no Kubernetes resource");
            assert.deepStrictEqual(missingRows(doc, workloads), [], "workloads types without a row in docs/deployability.md");
        });
    }

    it("cites a source in every row", () => {
        const unsourced = typeRows(doc).filter(row => !row.hasSource).map(row => `line ${row.line}: ${row.types.join(", ")}`);
        assert.deepStrictEqual(unsourced, []);
    });

    it("says for every row what matters and how the program meets it", () => {
        const thin = typeRows(doc).filter(row => row.cells.length !== 4 || row.cells[1].length === 0 || row.cells[2].length === 0)
            .map(row => `line ${row.line}: ${row.types.join(", ")}`);
        assert.deepStrictEqual(thin, []);
    });

    it("audits every declared Azure type in the Azure section, with a status and a source", () => {
        const azure = section(doc, "Azure");
        assert.ok(azure !== undefined, "no \"## Azure\" section");
        const rows = typeRows(azure);
        const outside = typeRows(doc).filter(row => row.types.some(t => t.startsWith("azure-native:")) && !rows.some(r => r.cells[0] === row.cells[0]))
            .map(row => `line ${row.line}`);
        assert.deepStrictEqual(outside, [], "Azure rows outside the Azure section");
        const unsourced = rows.filter(row => !row.hasSource).map(row => row.types.join(", "));
        assert.deepStrictEqual(unsourced, [], "Azure rows without a source link");
        const unrated = rows.filter(row => !STATUS.test(row.cells[2])).map(row => row.types.join(", "));
        assert.deepStrictEqual(unrated, [], "Azure rows whose third cell does not start with **Met**, **Partly** or **Not met**");
        const listed = mentionedTypes(azure);
        const missing = [...declared.keys()].filter(type => type.startsWith("azure-native:") && !listed.has(type));
        assert.deepStrictEqual(missing, []);
    });

    it("has the Azure deploy order, the backup threat model and the second emergency", () => {
        const azure = section(doc, "Azure") ?? "";
        for (const heading of AZURE_SUBSECTIONS) {
            const text = section(azure, heading);
            assert.ok(text !== undefined && text.trim().length > 0, `no "${heading}" under "## Azure"`);
        }
    });

    it("has the deploy order, the after-deploy notes and the pre-deploy checks", () => {
        for (const heading of ["Deploy order on a fresh account", "After the first deploy", "Checked before deploy"]) {
            const text = section(doc, heading);
            assert.ok(text !== undefined && text.trim().length > 0, `no "${heading}" section`);
        }
    });
    it("calls enforced only policies the pack defines, and proposes only policies it does not", () => {
        const defined = definedPolicyNames();
        const enforced = policyNames(section(doc, "Enforced") ?? "");
        const proposed = policyNames(section(doc, "Could be checked, not yet") ?? "");
        assert.ok(enforced.size > 0 && proposed.size > 0, "no policy names under Enforced or Could be checked, not yet");
        assert.deepStrictEqual([...enforced].filter(name => !defined.has(name)), [], "enforced policies missing from policies/rules");
        assert.deepStrictEqual([...proposed].filter(name => defined.has(name)), [], "proposed policies that exist now: move them to Enforced");
    });
});
