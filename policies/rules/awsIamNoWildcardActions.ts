import { ResourceValidationPolicy } from "@pulumi/policy";
import { describeGrant, scanPolicyDocument } from "../lib/iamDocument";
import { resourceOfTypes } from "../lib/typed";

/** AWS-managed policies that grant `*`, `service:*` or everything-but: attaching one is a wildcard grant. */
export const WILDCARD_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/** Where each resource type keeps policy documents: [property, how a message names it]. */
const DOCUMENT_FIELDS: Readonly<Record<string, [string, string][]>> = {
    "aws:iam/role:Role": [["assumeRolePolicy", "assumeRolePolicy"]],
    "aws:iam/rolePolicy:RolePolicy": [["policy", "policy"]],
    "aws:iam/policy:Policy": [["policy", "policy"]],
    "aws:iam/userPolicy:UserPolicy": [["policy", "policy"]],
    "aws:iam/groupPolicy:GroupPolicy": [["policy", "policy"]],
    "aws:s3/bucketPolicy:BucketPolicy": [["policy", "policy"]],
    "aws:kms/key:Key": [["policy", "key policy"]],
    "aws:kms/keyPolicy:KeyPolicy": [["policy", "key policy"]],
    "aws:sns/topic:Topic": [["policy", "topic policy"]],
    "aws:sns/topicPolicy:TopicPolicy": [["policy", "topic policy"]],
    "aws:sqs/queue:Queue": [["policy", "queue policy"]],
    "aws:sqs/queuePolicy:QueuePolicy": [["policy", "queue policy"]],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": [["policy", "repository policy"]],
    "aws:ecr/registryPolicy:RegistryPolicy": [["policy", "registry policy"]],
    "aws:secretsmanager/secretPolicy:SecretPolicy": [["policy", "secret policy"]],
    "aws:secretsmanager/secret:Secret": [["policy", "secret policy"]],
};

/** Resource types that attach a managed policy by ARN. */
const ATTACHMENT_TYPES = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
];

/** No `*` or `service:*` action is allowed by any policy document the program declares. */
export const awsIamNoWildcardActions: ResourceValidationPolicy = {
    name: "aws-iam-no-wildcard-actions",
    description: "No policy document (role trust and inline policies, role/user/group policies, bucket, key, topic, queue, repository and secret policies) allows `*` or `service:*` actions, and no role gets an AWS-managed policy that does.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "List the actions the principal needs (e.g. s3:GetObject, s3:PutObject) instead of s3:* or *; replace AdministratorAccess-style managed policies by a policy listing actions. Deny statements may keep wildcards.",
    validateResource: resourceOfTypes<Record<string, any>>([...Object.keys(DOCUMENT_FIELDS), ...ATTACHMENT_TYPES], (props, args, reportViolation) => {
        if (ATTACHMENT_TYPES.includes(args.type)) {
            const name = managedPolicyName(props.policyArn);
            if (name !== undefined && WILDCARD_MANAGED_POLICIES.includes(name)) {
                reportViolation(`attaches the AWS-managed policy ${name}, which allows wildcard actions; attach a policy that lists the actions instead`);
            }
            return;
        }
        const documents: [unknown, string][] = DOCUMENT_FIELDS[args.type].map(([key, where]) => [props[key], where]);
        if (args.type === "aws:iam/role:Role") {
            for (const inline of (props.inlinePolicies ?? []) as { name?: string; policy?: unknown }[]) {
                documents.push([inline.policy, `inline policy ${inline.name ?? "(unnamed)"}`]);
            }
            for (const arn of (props.managedPolicyArns ?? []) as unknown[]) {
                const name = managedPolicyName(arn);
                if (name !== undefined && WILDCARD_MANAGED_POLICIES.includes(name)) {
                    reportViolation(`attaches the AWS-managed policy ${name}, which allows wildcard actions; attach a policy that lists the actions instead`);
                }
            }
        }
        for (const [document, where] of documents) {
            if (document === undefined || document === null || document === "") {
                continue;
            }
            const scan = scanPolicyDocument(document);
            if ("unreadable" in scan) {
                reportViolation(`${where} ${scan.unreadable}, so its actions cannot be checked`);
                continue;
            }
            scan.grants.forEach(grant => reportViolation(describeGrant(where, grant)));
        }
    }),
};

/** `AdministratorAccess` for `arn:aws:iam::aws:policy/AdministratorAccess`; undefined for customer policies. */
function managedPolicyName(arn: unknown): string | undefined {
    const match = typeof arn === "string" ? /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
    return match ? match[1] : undefined;
}
