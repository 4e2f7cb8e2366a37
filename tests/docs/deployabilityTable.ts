import * as fs from "fs";
import * as path from "path";

/** The audit of every declared resource type (issue 9). */
export const DEPLOYABILITY_DOC = path.resolve(__dirname, "..", "..", "docs", "deployability.md");

/** A type token as the engine spells it: `aws:ec2/vpc:Vpc`, `kubernetes:apps/v1:Deployment`, `pulumi:providers:kubernetes`. */
const TYPE_TOKEN = /`((?:aws|kubernetes|random|tls|azure-native|pulumi):[A-Za-z0-9_./-]*:?[A-Za-z0-9_.-]*)`/g;
const LINK = /https?:\/\/[^\s)>|]+/;

/** One row of a Markdown table that names resource types in its first cell. */
export interface TypeRow {
    /** 1-based line number in the document. */
    readonly line: number;
    readonly types: string[];
    /** The row's cells, trimmed, without the outer pipes. */
    readonly cells: string[];
    /** Whether any cell holds an http(s) link. */
    readonly hasSource: boolean;
}

/** Splits a Markdown table row into cells, ignoring `\|` inside a cell. */
export function tableCells(line: string): string[] {
    const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
    return inner.split(/(?<!\\)\|/).map(cell => cell.trim());
}

/** Every table row whose first cell names one or more type tokens in backticks. */
export function typeRows(markdown: string): TypeRow[] {
    const rows: TypeRow[] = [];
    markdown.split("\n").forEach((text, index) => {
        if (!text.trim().startsWith("|")) {
            return;
        }
        const cells = tableCells(text);
        const types = [...cells[0].matchAll(TYPE_TOKEN)].map(match => match[1]);
        if (types.length > 0) {
            rows.push({ line: index + 1, types, cells, hasSource: cells.some(cell => LINK.test(cell)) });
        }
    });
    return rows;
}

/** Type tokens in backticks anywhere in the document (tables, lists, prose). */
export function mentionedTypes(markdown: string): Set<string> {
    return new Set([...markdown.matchAll(TYPE_TOKEN)].map(match => match[1]));
}

/** The text of a `## heading` section up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string | undefined {
    const lines = markdown.split("\n");
    const start = lines.findIndex(line => /^#{1,6} /.test(line) && line.replace(/^#+ /, "").trim() === heading);
    if (start < 0) {
        return undefined;
    }
    const level = /^#+/.exec(lines[start])![0].length;
    const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line) && /^#+/.exec(line)![0].length <= level);
    return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The document as it is on disk. */
export function readDeployabilityDoc(): string {
    return fs.readFileSync(DEPLOYABILITY_DOC, "utf8");
}

/** Policy names in backticks (`aws-...`, `kubernetes-...`, `dr-...`, `azure-...`) in a piece of Markdown. */
export function policyNames(markdown: string): Set<string> {
    return new Set([...markdown.matchAll(/`((?:aws|azure|kubernetes|dr)-[a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map(match => match[1]));
}

/** Names of the policies the pack defines: every `name: "..."` in `policies/rules/**`. */
export function definedPolicyNames(rulesDir: string = path.resolve(__dirname, "..", "..", "policies", "rules")): Set<string> {
    const names = new Set<string>();
    const visit = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                visit(full);
            } else if (entry.name.endsWith(".ts")) {
                for (const match of fs.readFileSync(full, "utf8").matchAll(/\bname:\s*"([a-z0-9-]+)"/g)) {
                    names.add(match[1]);
                }
            }
        }
    };
    visit(rulesDir);
    return names;
}
