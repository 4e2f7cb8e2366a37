import { EKSClient } from "@aws-sdk/client-eks";
import { RDSClient } from "@aws-sdk/client-rds";
import { SNSClient } from "@aws-sdk/client-sns";

/** Creates the AWS clients the function uses, each for an explicit region. Tests pass their own. */
export interface ClientFactory {
    rds(region: string): RDSClient;
    eks(region: string): EKSClient;
    sns(region: string): SNSClient;
}

/** The production factory: plain SDK v3 clients with the Lambda role's credentials. */
export const defaultClients: ClientFactory = {
    rds: region => new RDSClient({ region }),
    eks: region => new EKSClient({ region }),
    sns: region => new SNSClient({ region }),
};
