import * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM or resource policy. Actions are always listed: never `*` or `service:*`. */
export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: pulumi.Input<Record<string, pulumi.Input<string | pulumi.Input<string>[]>>> | "*";
    readonly Action: string[];
    readonly Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    readonly Condition?: pulumi.Input<Record<string, Record<string, pulumi.Input<string | string[] | boolean>>>>;
}

/** A policy document as the JSON string AWS resources take. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A trust policy letting one AWS service assume a role. */
export function serviceTrustPolicy(servicePrincipal: string): pulumi.Output<string> {
    return policyDocument([{
        Effect: "Allow",
        Principal: { Service: servicePrincipal },
        Action: ["sts:AssumeRole"],
    }]);
}

/** ARN of an AWS managed policy in the commercial partition, which every region this program targets uses. */
export function awsManagedPolicyArn(name: string): string {
    return `arn:aws:iam::aws:policy/${name}`;
}
