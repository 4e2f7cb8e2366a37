import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EKSClient } from "@aws-sdk/client-eks";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SNSClient } from "@aws-sdk/client-sns";

/** Route 53's API is global; the SDK signs its requests for us-east-1. */
export const ROUTE53_API_REGION = "us-east-1";

/** Creates the AWS clients the function uses, each for an explicit region. Tests pass their own. */
export interface ClientFactory {
    rds(region: string): RDSClient;
    eks(region: string): EKSClient;
    sns(region: string): SNSClient;
    /** Always {@link ROUTE53_API_REGION}: the region is passed so tests can check it. */
    route53(region: string): Route53Client;
    dynamodb(region: string): DynamoDBClient;
}

/** The production factory: plain SDK v3 clients with the Lambda role's credentials. */
export const defaultClients: ClientFactory = {
    rds: region => new RDSClient({ region }),
    eks: region => new EKSClient({ region }),
    sns: region => new SNSClient({ region }),
    route53: region => new Route53Client({ region }),
    dynamodb: region => new DynamoDBClient({ region }),
};
