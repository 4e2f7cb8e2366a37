import { AWS_INVOKE_PERMISSIONS, AWS_RESOURCE_PERMISSIONS, AWS_RUNBOOK_ACTIONS, AwsPermission, KMS_USAGE_ACTIONS } from "./aws";
import { DeclaredUse } from "./usage";

/** A managed policy's size limit in characters, whitespace not counted (IAM quotas). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** Managed policies a role can have attached by default (IAM quotas; 20 with an increase). */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** One statement of an identity policy. */
export interface IamStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string[];
    readonly Resource: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An identity policy document. */
export interface IamPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: IamStatement[];
}

/** Options for the generated documents. */
export interface AwsPolicyOptions {
    /** Account id put in ARNs. Default `*` (any account: the policy only ever acts in the one it lives in). */
    readonly account?: string;
}

/** The deployer's AWS permissions, as one or more managed policies. */
export interface AwsPolicySet {
    /** Every action granted, sorted (for review and tests). */
    readonly actions: string[];
    /** Statements before packing, sorted by Sid. */
    readonly statements: IamStatement[];
    /** Managed policy documents, each within {@link MANAGED_POLICY_MAX_CHARS}. */
    readonly documents: IamPolicyDocument[];
}

const IAM_SCOPED_ELSEWHERE = new Set([
    "iam:PassRole", "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus",
    "iam:AttachRolePolicy", "iam:DetachRolePolicy",
]);
// Route 53 actions on a hosted zone (its ARN is the resource); the rest take `*` or a health check.
const ROUTE53_ZONE_ACTIONS = new Set([
    "route53:ChangeResourceRecordSets", "route53:DeleteHostedZone", "route53:GetHostedZone", "route53:ListResourceRecordSets",
    "route53:UpdateHostedZoneComment",
]);
const S3_OBJECT_ACTIONS = new Set([
    "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:PutObject",
    "s3:PutObjectTagging",
]);

/** Size of a policy as IAM counts it: JSON without whitespace. */
export function policySize(document: unknown): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}

/** The AWS entries of the types and invokes `use` declares (entries must exist: see `permissions/derive.ts`). */
function awsEntries(use: DeclaredUse): { entry: AwsPermission; inputs: Record<string, unknown> }[] {
    const entries: { entry: AwsPermission; inputs: Record<string, unknown> }[] = [];
    for (const resource of use.resources) {
        const entry = AWS_RESOURCE_PERMISSIONS[resource.type];
        if (entry) {
            entries.push({ entry, inputs: resource.inputs });
        }
    }
    for (const token of use.invokes) {
        const entry = AWS_INVOKE_PERMISSIONS[token];
        if (entry) {
            entries.push({ entry, inputs: {} });
        }
    }
    return entries;
}

/** ARN patterns of the IAM roles, instance profiles, policies and OIDC providers the program creates. */
function iamArns(use: DeclaredUse, account: string) {
    const named = (inputs: Record<string, any>, logical: string) =>
        typeof inputs.name === "string" ? inputs.name : typeof inputs.namePrefix === "string" ? `${inputs.namePrefix}*` : `${logical}-*`;
    const path = (inputs: Record<string, any>) => typeof inputs.path === "string" ? inputs.path : "/";
    const roles: string[] = [];
    const serviceRoles: string[] = [];
    const profiles: string[] = [];
    const policies: string[] = [];
    const attached = new Set<string>();
    const oidcProviders: string[] = [];
    const declaredPolicies = use.resources.filter(r => r.type === "aws:iam/policy:Policy").map(r => r.name);
    for (const r of use.resources) {
        switch (r.type) {
            case "aws:iam/role:Role": {
                const arn = `arn:aws:iam::${account}:role${path(r.inputs)}${named(r.inputs, r.name)}`;
                roles.push(arn);
                if (trustsService(r.inputs.assumeRolePolicy)) {
                    serviceRoles.push(arn);
                }
                break;
            }
            case "aws:iam/instanceProfile:InstanceProfile":
                profiles.push(`arn:aws:iam::${account}:instance-profile${path(r.inputs)}${named(r.inputs, r.name)}`);
                break;
            case "aws:iam/policy:Policy":
                policies.push(`arn:aws:iam::${account}:policy${path(r.inputs)}${named(r.inputs, r.name)}`);
                break;
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                // AWS managed or given in config; a policy the program creates is covered by `policies`
                // (offline its ARN is the mock's, not a real policy ARN).
                if (typeof r.inputs.policyArn === "string" && r.inputs.policyArn.startsWith("arn:aws:iam::") &&
                    !declaredPolicies.some(logical => r.inputs.policyArn.includes(`:policy/${logical}`))) {
                    attached.add(r.inputs.policyArn);
                }
                break;
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                // The issuer's host and path, minus the cluster's id: oidc.eks.<region>.amazonaws.com/id/*.
                const issuer = typeof r.inputs.url === "string" ? r.inputs.url.replace(/^https:\/\//, "") : "";
                const match = /^(oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/)/.exec(issuer);
                oidcProviders.push(`arn:aws:iam::${account}:oidc-provider/${match ? `${match[1]}*` : "oidc.eks.*"}`);
                break;
            }
        }
    }
    return {
        roles: unique(roles), serviceRoles: unique(serviceRoles), profiles: unique(profiles), policies: unique(policies),
        oidcProviders: unique(oidcProviders), attachable: [...[...attached].sort(), ...unique(policies)],
    };
}

/** Whether a trust policy lets an AWS service (not a web identity) assume the role. */
function trustsService(policy: unknown): boolean {
    try {
        const document = typeof policy === "string" ? JSON.parse(policy) : policy;
        const statements = Array.isArray(document?.Statement) ? document.Statement : [document?.Statement];
        return statements.some((s: any) => s?.Principal?.Service !== undefined);
    } catch {
        return false;
    }
}

/** ARN patterns of the buckets the program creates, and of their objects. */
function bucketArns(use: DeclaredUse): { buckets: string[]; objects: string[] } {
    const buckets = use.resources
        .filter(r => r.type === "aws:s3/bucket:Bucket")
        .map(r => typeof r.inputs.bucket === "string" ? r.inputs.bucket : typeof r.inputs.bucketPrefix === "string" ? `${r.inputs.bucketPrefix}*` : `${r.name}-*`)
        .map(name => `arn:aws:s3:::${name}`);
    return { buckets: unique(buckets), objects: unique(buckets).map(arn => `${arn}/*`) };
}

/**
 * ARNs of the hosted zones the program writes records in, when they are given in config; undefined
 * when the program creates its zone (its id is unknown before deploy) or a record's zone is unknown.
 */
function zoneArns(use: DeclaredUse): string[] | undefined {
    if (use.resources.some(r => r.type === "aws:route53/zone:Zone")) {
        return undefined;
    }
    const zones = use.resources.filter(r => r.type === "aws:route53/record:Record").map(r => r.inputs.zoneId);
    if (zones.length === 0 || zones.some(zone => typeof zone !== "string" || !/^Z[A-Z0-9]+$/.test(zone))) {
        return undefined;
    }
    return unique(zones.map(zone => `arn:aws:route53:::hostedzone/${zone}`));
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const unique = (values: string[]) => [...new Set(values)];
const sid = (service: string) => service.split(/[^a-z0-9]+/i).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join("");

/**
 * The deployer's AWS policy for what `use` declares, plus the runbooks' own SDK calls: IAM scoped
 * to the roles, profiles and providers the program creates (PassRole to those trusted by a
 * service, only to the services the program hands roles to), S3 to its buckets, record changes to
 * the configured hosted zone, every other service to the stack's regions.
 */
export function buildAwsPolicy(use: DeclaredUse, options: AwsPolicyOptions = {}): AwsPolicySet {
    const account = options.account ?? "*";
    const entries = awsEntries(use);
    const actions = new Set<string>(AWS_RUNBOOK_ACTIONS);
    const passedTo = new Set<string>();
    const linked = new Set<string>();
    for (const { entry, inputs } of entries) {
        entry.actions.forEach(a => actions.add(a));
        entry.extra?.(inputs).forEach(a => actions.add(a));
        entry.passRoleTo?.forEach(s => passedTo.add(s));
        entry.serviceLinkedRoles?.forEach(s => linked.add(s));
        if (entry.usesKms) {
            KMS_USAGE_ACTIONS.forEach(a => actions.add(a));
        }
    }
    const iam = iamArns(use, account);
    const s3 = bucketArns(use);
    const inRegions = { StringEquals: { "aws:RequestedRegion": sorted(use.awsRegions) } };
    const statements: IamStatement[] = [];

    const iamActions = sorted([...actions].filter(a => a.startsWith("iam:") && !IAM_SCOPED_ELSEWHERE.has(a)));
    const declaresLinkedRole = use.resources.some(r => r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole");
    const iamResources = [...iam.roles, ...iam.profiles, ...iam.policies, ...iam.oidcProviders,
        ...(declaresLinkedRole ? [`arn:aws:iam::${account}:role/aws-service-role/*`] : [])];
    if (iamActions.length > 0 && iamResources.length > 0) {
        statements.push({ Sid: "IamOwnResources", Effect: "Allow", Action: iamActions, Resource: iamResources });
    }
    const attach = sorted([...actions].filter(a => a === "iam:AttachRolePolicy" || a === "iam:DetachRolePolicy"));
    if (attach.length > 0 && iam.roles.length > 0 && iam.attachable.length > 0) {
        statements.push({ Sid: "IamAttachKnownPolicies", Effect: "Allow", Action: attach, Resource: iam.roles, Condition: { ArnLike: { "iam:PolicyARN": iam.attachable } } });
    }
    if (passedTo.size > 0 && iam.serviceRoles.length > 0) {
        statements.push({ Sid: "IamPassOwnRoles", Effect: "Allow", Action: ["iam:PassRole"], Resource: iam.serviceRoles, Condition: { StringEquals: { "iam:PassedToService": sorted(passedTo) } } });
    }
    const serviceLinked = `arn:aws:iam::${account}:role/aws-service-role/*`;
    for (const r of use.resources) {
        if (r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole" && typeof r.inputs.awsServiceName === "string") {
            linked.add(r.inputs.awsServiceName);
        }
    }
    if (linked.size > 0) {
        statements.push({
            Sid: "IamServiceLinkedRoles", Effect: "Allow", Action: ["iam:CreateServiceLinkedRole"],
            Resource: serviceLinked, Condition: { StringEquals: { "iam:AWSServiceName": sorted(linked) } },
        });
    }
    const linkedManagement = sorted([...actions].filter(a => a === "iam:DeleteServiceLinkedRole" || a === "iam:GetServiceLinkedRoleDeletionStatus"));
    if (linkedManagement.length > 0) {
        statements.push({ Sid: "IamManageServiceLinkedRoles", Effect: "Allow", Action: linkedManagement, Resource: serviceLinked });
    }
    const bucketActions = sorted([...actions].filter(a => a.startsWith("s3:") && !S3_OBJECT_ACTIONS.has(a)));
    if (bucketActions.length > 0 && s3.buckets.length > 0) {
        statements.push({ Sid: "S3OwnBuckets", Effect: "Allow", Action: bucketActions, Resource: s3.buckets, Condition: inRegions });
    }
    const objectActions = sorted([...actions].filter(a => S3_OBJECT_ACTIONS.has(a)));
    if (objectActions.length > 0 && s3.objects.length > 0) {
        statements.push({ Sid: "S3OwnObjects", Effect: "Allow", Action: objectActions, Resource: s3.objects, Condition: inRegions });
    }
    const zones = zoneArns(use);
    const zoneActions = zones ? sorted([...actions].filter(a => ROUTE53_ZONE_ACTIONS.has(a))) : [];
    if (zones && zoneActions.length > 0) {
        statements.push({ Sid: "Route53OwnZones", Effect: "Allow", Action: zoneActions, Resource: zones });
    }
    const byService = new Map<string, string[]>();
    for (const action of sorted(actions)) {
        const service = action.split(":")[0];
        if (service === "iam" || service === "s3" || zoneActions.includes(action)) {
            continue;
        }
        byService.set(service, [...(byService.get(service) ?? []), action]);
    }
    for (const [service, list] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
        statements.push({ Sid: `${sid(service)}InStackRegions`, Effect: "Allow", Action: list, Resource: "*", Condition: inRegions });
    }
    const granted = sorted(statements.flatMap(s => s.Action));
    return { actions: granted, statements, documents: packStatements(statements) };
}

/**
 * Packs statements into as few documents as fit {@link MANAGED_POLICY_MAX_CHARS} (first fit, in
 * order), splitting a statement's actions when it alone is too large.
 */
export function packStatements(statements: IamStatement[], limit = MANAGED_POLICY_MAX_CHARS): IamPolicyDocument[] {
    const empty = policySize({ Version: "2012-10-17", Statement: [] });
    const pieces = statements.flatMap(statement => splitStatement(statement, limit - empty));
    const documents: IamStatement[][] = [];
    for (const piece of pieces) {
        const target = documents.find(doc => policySize({ Version: "2012-10-17", Statement: [...doc, piece] }) <= limit);
        if (target) {
            target.push(piece);
        } else {
            documents.push([piece]);
        }
    }
    return documents.map(Statement => ({ Version: "2012-10-17" as const, Statement }));
}

function splitStatement(statement: IamStatement, room: number): IamStatement[] {
    // +1 for the comma between statements.
    if (policySize(statement) + 1 <= room) {
        return [statement];
    }
    const parts: IamStatement[] = [];
    let current: string[] = [];
    for (const action of statement.Action) {
        const next = { ...statement, Sid: `${statement.Sid}${parts.length + 1}`, Action: [...current, action] };
        if (current.length > 0 && policySize(next) + 1 > room) {
            parts.push({ ...statement, Sid: `${statement.Sid}${parts.length + 1}`, Action: current });
            current = [action];
        } else {
            current.push(action);
        }
    }
    parts.push({ ...statement, Sid: `${statement.Sid}${parts.length + 1}`, Action: current });
    if (parts.some(part => policySize(part) + 1 > room)) {
        throw new Error(`statement ${statement.Sid} does not fit a managed policy even with one action: its resources or conditions are too long`);
    }
    return parts;
}
