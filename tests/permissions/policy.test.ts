import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AWS_INVOKE_PERMISSIONS, AWS_RESOURCE_PERMISSIONS, KMS_USAGE_ACTIONS } from "../../permissions/aws";
import { buildAwsPolicy, MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_MAX_CHARS, packStatements, policySize } from "../../permissions/awsPolicy";
import { AZURE_INVOKE_PERMISSIONS, AZURE_NAMESPACE_ACTIONS, AZURE_RESOURCE_PERMISSIONS } from "../../permissions/azure";
import { buildAzureRole, RoleAssignmentInputError } from "../../permissions/azureRole";
import { GLOBAL_REGION, permissionsFor, StackPermissions } from "../../permissions/derive";
import { KEY_VAULT_SECRETS_USER_ROLE } from "../../components/azure/secretVault";
import { knownStacks, REPO_ROOT, stackFileConfig } from "../../plan/stackFiles";
import { runStack } from "../support/stacks";
import { stackUse } from "./support";

const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const AZURE_ACTION = /^Microsoft\.[A-Za-z]+(\/[A-Za-z0-9]+)+$/;

const cache = new Map<string, StackPermissions>();

/** What the pilot light declares with `emergency` off only: the normal times a deployer lives in for months. */
async function normalTimesResources() {
    return (await runStack("pilot-light", { emergency: false, serveApp: false })).resources;
}
async function permissionsOf(stack: string): Promise<StackPermissions> {
    if (!cache.has(stack)) {
        cache.set(stack, permissionsFor(await stackUse(stack), { subscriptionId: "00000000-0000-4000-8000-000000000001" }));
    }
    return cache.get(stack)!;
}

describe("permissions: the entries themselves", () => {
    it("list every AWS action by name: no `*`, no `service:*`", () => {
        const all = [...Object.values(AWS_RESOURCE_PERMISSIONS), ...Object.values(AWS_INVOKE_PERMISSIONS)]
            .flatMap(entry => [...entry.actions, ...(entry.extra?.({ forceDestroy: true, forceDelete: true, objectLockEnabled: true, replicas: [{}] }) ?? [])]);
        const bad = [...all, ...KMS_USAGE_ACTIONS].filter(action => !IAM_ACTION.test(action));
        assert.deepStrictEqual(bad, []);
    });

    it("list every Azure operation by name: no wildcard", () => {
        const all = [...Object.values(AZURE_RESOURCE_PERMISSIONS), ...Object.values(AZURE_INVOKE_PERMISSIONS)]
            .flatMap(entry => [...entry.actions, ...(entry.dataActions ?? [])]);
        const bad = [...all, ...Object.values(AZURE_NAMESPACE_ACTIONS).flat()].filter(action => !AZURE_ACTION.test(action));
        assert.deepStrictEqual(bad, []);
    });
});

describe("permissions: AWS managed policies", () => {
    for (const stack of knownStacks()) {
        describe(stack, () => {
            it("grants no wildcard action and every document is valid JSON within the managed-policy size", async () => {
                const { aws } = await permissionsOf(stack);
                assert.ok(aws.documents.length >= 1);
                assert.ok(aws.documents.length <= MANAGED_POLICIES_PER_ROLE, `${aws.documents.length} policies: more than a role takes by default`);
                for (const document of aws.documents) {
                    const text = JSON.stringify(document);
                    assert.deepStrictEqual(JSON.parse(text), document);
                    assert.ok(policySize(document) <= MANAGED_POLICY_MAX_CHARS, `${policySize(document)} characters`);
                    for (const statement of document.Statement) {
                        assert.strictEqual(statement.Effect, "Allow");
                        for (const action of statement.Action) {
                            assert.match(action, IAM_ACTION, `${statement.Sid}: ${action}`);
                        }
                    }
                }
            });

            it("grants every action of every declared type and invoke, once across the documents", async () => {
                const use = await stackUse(stack);
                const { aws } = await permissionsOf(stack);
                const granted = aws.documents.flatMap(d => d.Statement.flatMap(s => s.Action));
                const needed = new Set<string>();
                for (const r of use.resources) {
                    const entry = AWS_RESOURCE_PERMISSIONS[r.type];
                    entry?.actions.forEach(a => needed.add(a));
                    entry?.extra?.(r.inputs).forEach(a => needed.add(a));
                }
                use.invokes.forEach(t => AWS_INVOKE_PERMISSIONS[t]?.actions.forEach(a => needed.add(a)));
                const missing = [...needed].filter(a => !granted.includes(a));
                assert.deepStrictEqual(missing, []);
                assert.deepStrictEqual([...new Set(granted)].sort(), aws.actions);
            });

            it("limits iam:PassRole to the program's service roles and the services it hands them to", async () => {
                const use = await stackUse(stack);
                const { aws } = await permissionsOf(stack);
                const passing = aws.statements.filter(s => s.Action.includes("iam:PassRole"));
                assert.strictEqual(passing.length, 1);
                const [statement] = passing;
                assert.deepStrictEqual(statement.Action, ["iam:PassRole"]);
                const resources = statement.Resource as string[];
                const roles = use.resources.filter(r => r.type === "aws:iam/role:Role");
                for (const arn of resources) {
                    assert.match(arn, /^arn:aws:iam::\*:role\/[\w+=,.@/-]+(-\*)?$/);
                    const declared = roles.some(r => typeof r.inputs.name === "string" ? arn.endsWith(`/${r.inputs.name}`) : arn.endsWith(`/${r.name}-*`));
                    assert.ok(declared, `${arn} is not a role the program creates`);
                }
                const passedTo = statement.Condition?.StringEquals?.["iam:PassedToService"] as string[];
                assert.ok(passedTo.length > 0);
                assert.ok(passedTo.includes("eks.amazonaws.com"));
                // IRSA roles (web-identity trust) are assumed by pods, never passed by the deployer.
                for (const r of use.resources.filter(r => r.type === "aws:iam/role:Role" && !String(r.inputs.assumeRolePolicy).includes("\"Service\""))) {
                    assert.ok(!resources.includes(`arn:aws:iam::*:role/${r.name}-*`), `${r.name} is not a service role`);
                }
            });

            it("scopes IAM and S3 to the program's own resources and everything else to the stack's regions", async () => {
                const use = await stackUse(stack);
                const { aws } = await permissionsOf(stack);
                const config = stackFileConfig(stack);
                const regions = aws.statements.find(s => s.Resource === "*")?.Condition?.StringEquals?.["aws:RequestedRegion"] as string[];
                assert.ok(regions.includes(GLOBAL_REGION));
                assert.ok(regions.includes(String(config["aws:region"])));
                for (const key of ["multicloud-dr:primaryRegion", "multicloud-dr:standbyRegion"]) {
                    if (config[key] !== undefined) {
                        assert.ok(regions.includes(String(config[key])), `${key} ${config[key]} missing from ${regions}`);
                    }
                }
                for (const statement of aws.statements) {
                    const services = new Set(statement.Action.map(a => a.split(":")[0]));
                    if (statement.Resource === "*") {
                        assert.ok(!services.has("iam") && !services.has("s3"), `${statement.Sid} grants IAM or S3 on *`);
                        assert.deepStrictEqual(statement.Condition?.StringEquals?.["aws:RequestedRegion"], regions, statement.Sid);
                    }
                }
                const buckets = [...new Set(use.resources.filter(r => r.type === "aws:s3/bucket:Bucket").map(r => `arn:aws:s3:::${r.name}-*`))];
                const s3 = aws.statements.find(s => s.Sid === "S3OwnBuckets");
                assert.deepStrictEqual(s3?.Resource, buckets);
            });

            it("changes DNS records only in the configured hosted zone", async () => {
                const { aws } = await permissionsOf(stack);
                const zone = stackFileConfig(stack)["multicloud-dr:hostedZoneId"];
                const changing = aws.statements.filter(s => s.Action.includes("route53:ChangeResourceRecordSets"));
                assert.strictEqual(changing.length, 1);
                assert.deepStrictEqual(changing[0].Resource, zone === undefined ? "*" : [`arn:aws:route53:::hostedzone/${zone}`]);
            });

            it("lets the deployer create only the service-linked roles its resources need", async () => {
                const { aws } = await permissionsOf(stack);
                const linked = aws.statements.find(s => s.Action.includes("iam:CreateServiceLinkedRole"));
                assert.strictEqual(linked?.Resource, "arn:aws:iam::*:role/aws-service-role/*");
                const services = linked?.Condition?.StringEquals?.["iam:AWSServiceName"] as string[];
                assert.ok(services.includes("rds.amazonaws.com") && services.includes("eks.amazonaws.com"), String(services));
            });
        });
    }

    it("puts the account id into ARNs when given", async () => {
        const permissions = permissionsFor(await stackUse("warm-standby"), { account: "111122223333" });
        const arns = permissions.aws.statements.flatMap(s => typeof s.Resource === "string" ? [s.Resource] : s.Resource).filter(r => r.startsWith("arn:aws:iam"));
        assert.ok(arns.length > 0);
        assert.ok(arns.every(arn => arn.startsWith("arn:aws:iam::111122223333:")), String(arns));
    });

    it("scopes IAM from what is declared: service roles passed, web-identity roles not, attachments limited", () => {
        const trust = (principal: object) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
        const use = {
            resources: [
                { type: "aws:iam/role:Role", name: "fn-role", inputs: { assumeRolePolicy: trust({ Service: "lambda.amazonaws.com" }) }, custom: true },
                { type: "aws:iam/role:Role", name: "pod", inputs: { name: "exact-pod-role", assumeRolePolicy: trust({ Federated: "arn:aws:iam::1:oidc-provider/x" }) }, custom: true },
                { type: "aws:lambda/function:Function", name: "fn", inputs: {}, custom: true },
                { type: "aws:iam/policy:Policy", name: "own-policy", inputs: {}, custom: true },
                { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "a", inputs: { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, custom: true },
                { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "b", inputs: { policyArn: "arn:aws:iam::123456789012:policy/own-policy-1a2b3c4" }, custom: true },
            ],
            invokes: [],
            awsRegions: ["eu-west-1", "us-east-1"],
        };
        const { statements } = buildAwsPolicy(use);
        const bySid = (sid: string) => statements.find(s => s.Sid === sid);
        assert.deepStrictEqual(bySid("IamPassOwnRoles")?.Resource, ["arn:aws:iam::*:role/fn-role-*"]);
        assert.deepStrictEqual(bySid("IamPassOwnRoles")?.Condition, { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com"] } });
        assert.deepStrictEqual(bySid("IamOwnResources")?.Resource,
            ["arn:aws:iam::*:role/fn-role-*", "arn:aws:iam::*:role/exact-pod-role", "arn:aws:iam::*:policy/own-policy-*"]);
        assert.deepStrictEqual(bySid("IamAttachKnownPolicies")?.Condition,
            { ArnLike: { "iam:PolicyARN": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::*:policy/own-policy-*"] } });
        assert.deepStrictEqual(bySid("LambdaInStackRegions")?.Condition, { StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } });
    });

    it("splits statements across documents when one document would be too large", () => {
        const actions = Array.from({ length: 700 }, (_, i) => `ec2:DescribeSomething${i}`);
        const documents = packStatements([{ Sid: "Big", Effect: "Allow", Action: actions, Resource: "*" }]);
        assert.ok(documents.length > 1);
        assert.ok(documents.every(d => policySize(d) <= MANAGED_POLICY_MAX_CHARS));
        assert.deepStrictEqual(documents.flatMap(d => d.Statement.flatMap(s => s.Action)), actions);
        assert.strictEqual(new Set(documents.flatMap(d => d.Statement.map(s => s.Sid))).size, documents.flatMap(d => d.Statement).length);
    });
});

describe("permissions: Azure role", () => {
    it("pilot light: a custom role covering every azure-native type declared", async () => {
        const use = await stackUse("pilot-light");
        const { azure } = await permissionsOf("pilot-light");
        assert.ok(azure, "pilot light needs an Azure role");
        const types = [...new Set(use.resources.map(r => r.type).filter(t => t.startsWith("azure-native:")))];
        assert.ok(types.length > 0);
        for (const type of types) {
            const entry = AZURE_RESOURCE_PERMISSIONS[type];
            assert.ok(entry, `${type} has no Azure entry`);
            const missing: string[] = entry.actions.filter(a => !azure.definition.Actions.includes(a));
            assert.deepStrictEqual(missing, [], type);
            const missingData: string[] = (entry.dataActions ?? []).filter(a => !azure.definition.DataActions.includes(a));
            assert.deepStrictEqual(missingData, [], type);
        }
        for (const action of [...azure.definition.Actions, ...azure.definition.DataActions]) {
            assert.match(action, AZURE_ACTION);
        }
        assert.deepStrictEqual(azure.definition.AssignableScopes, ["/subscriptions/00000000-0000-4000-8000-000000000001"]);
        assert.strictEqual(azure.definition.IsCustom, true);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(azure.definition)), azure.definition);
    });

    it("pilot light: role assignments are limited to the roles the program grants, to service principals", async () => {
        const { azure } = await permissionsOf("pilot-light");
        assert.deepStrictEqual(azure?.assignedRoleIds, [KEY_VAULT_SECRETS_USER_ROLE]);
        assert.deepStrictEqual(azure?.assignedPrincipalTypes, ["ServicePrincipal"]);
        // Microsoft's "Constrain roles and principal types" template, verbatim but on one line.
        assert.strictEqual(azure?.assignmentCondition,
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
            "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6} AND " +
            "@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'})) AND " +
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR " +
            "(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6} AND " +
            "@Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))");
        assert.ok(azure?.definition.Actions.includes("Microsoft.Authorization/roleAssignments/write"));
        assert.ok(azure?.definition.Actions.includes("Microsoft.Authorization/roleAssignments/delete"));
    });

    it("pilot light: the identity's role assignment exists in normal times, so a missing permission fails on day one", async () => {
        const use = await stackUse("pilot-light");
        const normal = permissionsFor({ ...use, variants: [use.variants[0]], resources: await normalTimesResources() }, {});
        assert.ok(normal.azure?.definition.Actions.includes("Microsoft.Authorization/roleAssignments/write"),
            "emergency=false declares no role assignment: the deployer's missing roleAssignments/write would surface only in a disaster (issue 10, item 9)");
        assert.deepStrictEqual(normal.azure?.assignedRoleIds, [KEY_VAULT_SECRETS_USER_ROLE]);
    });

    it("docs/permissions.md shows the condition the command generates", async () => {
        const { azure } = await permissionsOf("pilot-light");
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "permissions.md"), "utf8");
        const shown = /```text\n(.+)\n```/.exec(doc)?.[1];
        assert.strictEqual(shown, azure?.assignmentCondition, "regenerate the condition block in docs/permissions.md");
    });

    it("refuses a role assignment the condition could not allow, naming it", () => {
        const base = { stack: "x", variants: [], invokes: [], awsRegions: [] };
        const assignment = (inputs: Record<string, unknown>) => ({
            ...base,
            resources: [{ type: "azure-native:authorization:RoleAssignment", name: "grant", custom: true, inputs }],
        });
        const roleDefinitionId = `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`;
        assert.throws(() => buildAzureRole("x", assignment({ roleDefinitionId })),
            (error: Error) => error instanceof RoleAssignmentInputError && /role assignment grant: principalType must be set/.test(error.message));
        assert.throws(() => buildAzureRole("x", assignment({ roleDefinitionId: "Owner", principalType: "ServicePrincipal" })),
            /role assignment grant: roleDefinitionId "Owner" names no role definition id/);
        assert.deepStrictEqual(buildAzureRole("x", assignment({ roleDefinitionId, principalType: "ServicePrincipal" }))?.assignedPrincipalTypes,
            ["ServicePrincipal"]);
    });

    it("maps every Front Door, identity and generic-resource type the pilot light may declare", () => {
        for (const type of ["azure-native:cdn:Profile", "azure-native:cdn:AFDEndpoint", "azure-native:cdn:AFDOriginGroup",
            "azure-native:cdn:AFDOrigin", "azure-native:cdn:AFDCustomDomain", "azure-native:cdn:Route",
            "azure-native:managedidentity:UserAssignedIdentity", "azure-native:resources:Resource"]) {
            assert.ok(AZURE_RESOURCE_PERMISSIONS[type], `${type} has no entry`);
        }
        // A VM can use a user-assigned identity only if the deployer may assign it.
        assert.ok(AZURE_RESOURCE_PERMISSIONS["azure-native:managedidentity:UserAssignedIdentity"].actions
            .includes("Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"));
        assert.ok(AZURE_RESOURCE_PERMISSIONS["azure-native:cdn:AFDCustomDomain"].actions
            .includes("Microsoft.Cdn/profiles/customdomains/RefreshValidationToken/action"));
    });

    it("warm standby: no Azure role", async () => {
        const { azure } = await permissionsOf("warm-standby");
        assert.strictEqual(azure, undefined);
    });
});

describe("permissions: the runbooks' own AWS SDK calls", () => {
    // Every `new XCommand(` the runbooks send through an @aws-sdk client, as IAM actions.
    function runbookSdkActions(): string[] {
        const prefixes: Record<string, string> = { "route-53": "route53" };
        const actions = new Set<string>();
        const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
            .flatMap(e => e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
        for (const file of walk(path.join(REPO_ROOT, "runbook"))) {
            const text = fs.readFileSync(file, "utf8");
            const client = /from "@aws-sdk\/client-([a-z0-9-]+)"/.exec(text)?.[1];
            if (!client) {
                continue;
            }
            for (const match of text.matchAll(/new ([A-Z][A-Za-z]+)Command\(/g)) {
                actions.add(`${prefixes[client] ?? client}:${match[1]}`);
            }
        }
        return [...actions].sort();
    }

    for (const stack of knownStacks()) {
        it(`${stack}: grants every AWS API call the runbooks make themselves`, async () => {
            const sdk = runbookSdkActions();
            assert.ok(sdk.length > 0, "the runbooks call no AWS API: update this test's scan");
            const { aws } = await permissionsOf(stack);
            assert.deepStrictEqual(sdk.filter(a => !aws.actions.includes(a)), []);
        });
    }
});
