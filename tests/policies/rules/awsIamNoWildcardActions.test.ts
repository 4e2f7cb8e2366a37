import * as assert from "assert";
import { awsIamNoWildcardActions } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

function document(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
const readObject = { Sid: "ReadArtifact", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::artifacts/tool.js" };
const denyPlainHttp = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const trust = document({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const role = resource("aws:iam/role:Role", "agent-role", { assumeRolePolicy: trust, inlinePolicies: [{ name: "read", policy: document(readObject) }] });
const rolePolicy = resource("aws:iam/rolePolicy:RolePolicy", "agent-least-privilege", { role: "agent-role", policy: document(readObject) });
const bucketPolicy = resource("aws:s3/bucketPolicy:BucketPolicy", "tls-only", { bucket: "b", policy: document(denyPlainHttp) });
const key = resource("aws:kms/key:Key", "data-key", { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" }] } });
const attachment = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ssm", { role: "agent-role", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
const compliant = [role, rolePolicy, bucketPolicy, key, attachment];

describe("policy aws-iam-no-wildcard-actions", () => {
    it("accepts listed actions, wildcard Deny statements, object documents and scoped managed policies", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, compliant), []);
    });

    it("reports a service wildcard", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(rolePolicy, { policy: document({ ...readObject, Action: ["s3:GetObject", "s3:*"] }) })]), [
            'agent-least-privilege: policy statement 1 (ReadArtifact) allows "s3:*"; list the actions it needs instead',
        ]);
    });

    it("reports `*` in a role's inline policy", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(role, { inlinePolicies: [{ name: "admin", policy: document({ Effect: "Allow", Action: "*", Resource: "*" }) }] })]), [
            'agent-role: inline policy admin statement 1 allows "*"; list the actions it needs instead',
        ]);
    });

    it("reports a wildcard in a trust policy", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(role, { assumeRolePolicy: document({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:*" }) })]), [
            'agent-role: assumeRolePolicy statement 1 allows "sts:*"; list the actions it needs instead',
        ]);
    });

    it("reports Allow with NotAction", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(key, { policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) })]), [
            "data-key: key policy statement 1 allows every action except its NotAction list; list the actions it needs instead",
        ]);
    });

    it("reports an AWS-managed policy that grants wildcards", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(attachment, { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })]), [
            "ssm: attaches the AWS-managed policy AdministratorAccess, which allows wildcard actions; attach a policy that lists the actions instead",
        ]);
    });

    it("reports a document it cannot read", async () => {
        assert.deepStrictEqual(await findings(awsIamNoWildcardActions, [changed(bucketPolicy, { policy: "{not json" })]), [
            "tls-only: policy is not valid JSON, so its actions cannot be checked",
        ]);
    });
});
