import * as fs from "fs";
import * as path from "path";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config";
import { ProgramFailure } from "../plan/runOffline";
import { StackFileError } from "../plan/stackFiles";
import { MANAGED_POLICIES_PER_ROLE, policySize } from "./awsPolicy";
import { RoleAssignmentInputError } from "./azureRole";
import { deriveStackPermissions, StackPermissions } from "./derive";
import { UnknownPermissionsError } from "./usage";

/** Exit codes: what a script calling the command can rely on. */
export const EXIT = { ok: 0, badInput: 2 } as const;

interface CliOptions {
    stack: string;
    json?: boolean;
    out?: string;
    account?: string;
    subscription?: string;
    resourceGroup?: string;
}

/** A file the command writes with `--out`, or prints. */
export interface PermissionFile {
    readonly file: string;
    readonly content: string;
}

/** Name of the n-th (1-based) managed policy of a stack. */
export function policyName(stack: string, index: number): string {
    return `multicloud-dr-${stack}-deploy-${index}`;
}

/** The files a stack's permissions are written as: one per managed policy, the Azure role and its assignment condition. */
export function permissionFiles(permissions: StackPermissions): PermissionFile[] {
    const files: PermissionFile[] = permissions.aws.documents.map((document, i) => ({
        file: `${policyName(permissions.stack, i + 1)}.json`,
        content: JSON.stringify(document, null, 2) + "\n",
    }));
    if (permissions.azure) {
        files.push({ file: `${permissions.azure.definition.Name}.json`, content: JSON.stringify(permissions.azure.definition, null, 2) + "\n" });
        if (permissions.azure.assignmentCondition) {
            files.push({ file: `${permissions.azure.definition.Name}.condition.txt`, content: permissions.azure.assignmentCondition + "\n" });
        }
    }
    return files;
}

/** The whole result as one JSON object (`--json`). */
export function permissionsJson(permissions: StackPermissions): object {
    return {
        stack: permissions.stack,
        variants: permissions.variants,
        awsRegions: permissions.awsRegions,
        resourceTypes: permissions.resourceTypes,
        invokes: permissions.invokes,
        awsActions: permissions.aws.actions,
        awsPolicies: permissions.aws.documents.map((document, i) => ({ name: policyName(permissions.stack, i + 1), size: policySize(document), document })),
        azureRole: permissions.azure?.definition ?? null,
        azureAssignmentCondition: permissions.azure?.assignmentCondition ?? null,
    };
}

function summary(permissions: StackPermissions, written?: string): string {
    const lines = [
        `Stack ${permissions.stack}: ${permissions.resourceTypes.length} declared types (resources and components) over ${permissions.variants.length} runs (${permissions.variants.join("; ")}).`,
        `AWS regions: ${permissions.awsRegions.join(", ")}. ${permissions.aws.actions.length} actions in ${permissions.aws.documents.length} managed policies` +
            ` (a role takes ${MANAGED_POLICIES_PER_ROLE} by default).`,
        permissions.azure
            ? `Azure: custom role ${permissions.azure.definition.Name} with ${permissions.azure.definition.Actions.length} actions.`
            : "Azure: none (the stack declares no Azure resource).",
    ];
    if (written) {
        lines.push(`Written to ${written}. See docs/permissions.md to create the deploy role.`);
    }
    return lines.join("\n") + "\n";
}

/** Runs the permissions command; returns the exit code. Output goes to `write`, errors to `writeError`. */
export async function runPermissionsCli(argv: string[], write: (text: string) => void, writeError: (text: string) => void): Promise<number> {
    const program = new Command()
        .name("permissions")
        .description("The least-privilege AWS managed policies and Azure custom role a deployer needs for a stack, derived from what the program declares in every flag combination.")
        .requiredOption("-s, --stack <name>", "stack (a Pulumi.<name>.yaml beside Pulumi.yaml)")
        .option("--json", "print one JSON object instead of the documents")
        .option("--out <dir>", "write one file per policy document and role instead of printing them")
        .option("--account <id>", "AWS account id to put in ARNs (default: *)", accountId)
        .option("--subscription <id>", "Azure subscription id for the role's assignable scope")
        .option("--resource-group <name>", "narrow the Azure role's assignable scope to this existing resource group")
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
        const permissions = await deriveStackPermissions(options.stack, {
            account: options.account, subscriptionId: options.subscription, resourceGroup: options.resourceGroup,
        });
        const files = permissionFiles(permissions);
        if (options.out) {
            fs.mkdirSync(options.out, { recursive: true });
            for (const f of files) {
                fs.writeFileSync(path.join(options.out, f.file), f.content);
            }
        }
        if (options.json) {
            write(JSON.stringify(permissionsJson(permissions), null, 2) + "\n");
        } else if (options.out) {
            write(summary(permissions, options.out));
        } else {
            write(summary(permissions));
            for (const f of files) {
                write(`\n# ${f.file}\n${f.content}`);
            }
        }
        return EXIT.ok;
    } catch (error) {
        if (error instanceof StackFileError || error instanceof ConfigError || error instanceof ProgramFailure || error instanceof UnknownPermissionsError || error instanceof RoleAssignmentInputError) {
            writeError(`permissions: ${error.message}\n`);
            return EXIT.badInput;
        }
        throw error;
    }
}

function accountId(text: string): string {
    if (!/^\d{12}$/.test(text)) {
        throw new InvalidArgumentError(`expected a 12-digit AWS account id, got "${text}"`);
    }
    return text;
}

if (require.main === module) {
    runPermissionsCli(process.argv.slice(2), text => process.stdout.write(text), text => process.stderr.write(text))
        .then(code => { process.exitCode = code; })
        .catch(error => {
            process.stderr.write(`permissions: ${error instanceof Error ? error.stack : String(error)}\n`);
            process.exitCode = 3;
        });
}
