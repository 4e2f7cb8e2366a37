import {
    DescribeNodegroupCommand, EKSClient, Nodegroup, ResourceInUseException, UpdateNodegroupConfigCommand,
    UpdateNodegroupConfigCommandInput,
} from "@aws-sdk/client-eks";
import {
    DBInstance, DescribeDBInstancesCommand, InvalidDBInstanceStateFault, PromoteReadReplicaCommand,
    PromoteReadReplicaCommandInput, RDSClient,
} from "@aws-sdk/client-rds";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
    ConditionalCheckFailedException, DeleteItemCommand, DeleteItemCommandInput, DynamoDBClient, PutItemCommand, PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { GetHealthCheckStatusCommand, HealthCheckObservation, Route53Client } from "@aws-sdk/client-route-53";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { ClientFactory } from "../../../lambda/failover/clients";
import { createHandler, FailoverResult } from "../../../lambda/failover/handler";
import { createLogger } from "../../../lambda/failover/log";

export const ACCOUNT = "123456789012";
export const ALARM_NAME = "dr-dns-primary-down-5e1c2a7";
export const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:dr-dns-alerts-3f9b0d1`;
export const REPLICA_ID = "dr-standby-db-mysql-8a41c3e";
export const SOURCE_ARN = `arn:aws:rds:ap-northeast-2:${ACCOUNT}:db:dr-primary-db-mysql-2c7e9f0`;
export const CLUSTER_NAME = "dr-standby-eks-cluster-6d02b4f";
export const NODEGROUP_NAME = "dr-standby-eks-nodes-1b8e5a2";
export const HEALTH_CHECK_ID = "a3f1c7e2-5b9d-4e8a-9c61-2f0d7b4e8a15";
export const LOCK_TABLE = "dr-auto-failover-lock-4c2e9a1";

/** A complete, valid environment with automatic failover on, as the program would set it. */
export const ENV: Readonly<Record<string, string>> = {
    ALARM_NAME,
    ENABLE_AUTO_FAILOVER: "true",
    REPLICA_ID,
    REPLICA_REGION: "ap-northeast-1",
    CLUSTER_NAME,
    NODEGROUP_NAME,
    FAILOVER_NODE_COUNT: "4",
    TOPIC_ARN,
    HEALTH_CHECK_ID,
    LOCK_TABLE_NAME: LOCK_TABLE,
    STACK_NAME: "warm-standby",
};

/** The text of a Route 53 checker that cannot reach the primary, and of one that can. */
export const FAILURE_STATUS = "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.";
export const SUCCESS_STATUS = "Success: HTTP Status Code 200, OK";
const CHECKER_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"];

/**
 * What GetHealthCheckStatus returns: `failing` checkers reporting Failure, then `succeeding`
 * reporting Success, then `other` with a status that is neither.
 */
export function observations(failing: number, succeeding = 0, other = 0): HealthCheckObservation[] {
    const statuses = [
        ...Array<string>(failing).fill(FAILURE_STATUS),
        ...Array<string>(succeeding).fill(SUCCESS_STATUS),
        ...Array<string>(other).fill("Unknown"),
    ];
    return statuses.map((Status, i) => ({
        Region: CHECKER_REGIONS[i % CHECKER_REGIONS.length] as HealthCheckObservation["Region"],
        IPAddress: `15.177.${i}.10`,
        StatusReport: { Status, CheckedTime: new Date("2025-03-14T02:17:25Z") },
    }));
}

/** A CloudWatch "Alarm State Change" event as EventBridge delivers it after forwarding from us-east-1. */
export function alarmEvent(state = "ALARM", alarmName = ALARM_NAME): Record<string, unknown> {
    return {
        version: "0",
        id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        "detail-type": "CloudWatch Alarm State Change",
        source: "aws.cloudwatch",
        account: ACCOUNT,
        time: "2025-03-14T02:17:09Z",
        region: "us-east-1",
        resources: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${alarmName}`],
        detail: {
            alarmName,
            state: {
                value: state,
                reason: "Threshold Crossed: 1 datapoint [0.0 (14/03/25 02:16:00)] was less than the threshold (1.0).",
                timestamp: "2025-03-14T02:17:09.213+0000",
            },
            previousState: { value: state === "ALARM" ? "OK" : "ALARM", timestamp: "2025-03-13T22:01:44.870+0000" },
            configuration: { metrics: [] },
        },
    };
}

/** The Tokyo replica as RDS describes it while it still replicates from Seoul. */
export function replica(overrides: Partial<DBInstance> = {}): DBInstance {
    return {
        DBInstanceIdentifier: REPLICA_ID,
        DBInstanceArn: `arn:aws:rds:ap-northeast-1:${ACCOUNT}:db:${REPLICA_ID}`,
        DBInstanceStatus: "available",
        Engine: "mysql",
        ReadReplicaSourceDBInstanceIdentifier: SOURCE_ARN,
        BackupRetentionPeriod: 7,
        ...overrides,
    };
}

/** The replica after someone promoted it and RDS finished: no source any more. */
export function promotedReplica(): DBInstance {
    return replica({ ReadReplicaSourceDBInstanceIdentifier: undefined, StatusInfos: [] });
}

/** The Tokyo node group as EKS describes it in normal times. */
export function nodegroup(overrides: Partial<Nodegroup> = {}, scaling: Partial<NonNullable<Nodegroup["scalingConfig"]>> = {}): Nodegroup {
    return {
        nodegroupName: NODEGROUP_NAME,
        clusterName: CLUSTER_NAME,
        nodegroupArn: `arn:aws:eks:ap-northeast-1:${ACCOUNT}:nodegroup/${CLUSTER_NAME}/${NODEGROUP_NAME}/0ec9f5a2-1b7d-4c3e-8f60-2d9a4b7e1c05`,
        status: "ACTIVE",
        ...overrides,
        scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 2, ...scaling },
    };
}

/** What AWS holds; the fakes below read and change it the way RDS, EKS, Route 53 and DynamoDB would. */
export interface World {
    replica: DBInstance;
    nodegroup: Nodegroup;
    /** What Route 53's checkers report about the primary. Default: 16 checkers, all Failure. */
    checkers?: HealthCheckObservation[];
    /** The lock item in the lock table, if any (expiresAt in epoch seconds). */
    lock?: { ownerId: string; expiresAt: number };
}

/** Mocked SDK clients, the regions each client was made for, parsed log lines, and a handler wired to them. */
export interface Harness {
    readonly rds: AwsClientStub<RDSClient>;
    readonly eks: AwsClientStub<EKSClient>;
    readonly sns: AwsClientStub<SNSClient>;
    readonly route53: AwsClientStub<Route53Client>;
    readonly dynamodb: AwsClientStub<DynamoDBClient>;
    readonly regions: { rds: string[]; eks: string[]; sns: string[]; route53: string[]; dynamodb: string[] };
    readonly logs: Record<string, unknown>[];
    world: World;
    /** The fake clock in milliseconds since the epoch; each reading by the handler advances it 25 ms. */
    clock(): number;
    /** Invokes a handler built with `createHandler` and this harness's clients, logger and clock. */
    run(event: unknown, env?: Readonly<Record<string, string | undefined>>): Promise<FailoverResult>;
    /** Forgets calls, regions and logs, keeping the world, so a second run can be checked alone. */
    forget(): void;
    restore(): void;
}

/** The fake clock's start, 2025-03-14T02:17:30Z, in milliseconds. */
export const START = Date.parse("2025-03-14T02:17:30Z");

/**
 * Mocks the SDK clients with a small stateful imitation of AWS: promoting sets the replica
 * `modifying` (its source stays until RDS finishes), a second promotion is refused the way RDS
 * refuses it, a node group update sets the new size with status `UPDATING`, Route 53 reports
 * `world.checkers`, and the lock table honours the lock's conditional put and delete.
 */
export function harness(world: World = { replica: replica(), nodegroup: nodegroup() }): Harness {
    const rds = mockClient(RDSClient);
    const eks = mockClient(EKSClient);
    const sns = mockClient(SNSClient);
    const route53 = mockClient(Route53Client);
    const dynamodb = mockClient(DynamoDBClient);
    const stubs = [rds, eks, sns, route53, dynamodb];
    const regions = { rds: [] as string[], eks: [] as string[], sns: [] as string[], route53: [] as string[], dynamodb: [] as string[] };
    const logs: Record<string, unknown>[] = [];
    let clock = START;
    let runs = 0;

    const h: Harness = {
        rds, eks, sns, route53, dynamodb, regions, logs, world,
        clock: () => clock,
        run: (event, env = ENV) => createHandler({
            env,
            clients: recordingClients(regions),
            logger: createLogger(line => logs.push(JSON.parse(line) as Record<string, unknown>), () => clock),
            // Each reading advances 25 ms, so durations are exact and checkable.
            now: () => (clock += 25),
            lockOwner: () => `run-${++runs}`,
        })(event),
        forget: () => {
            stubs.forEach(stub => stub.resetHistory());
            Object.values(regions).forEach(list => (list.length = 0));
            logs.length = 0;
        },
        restore: () => stubs.forEach(stub => stub.restore()),
    };
    const conditionFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: { httpStatusCode: 400 } });

    route53.on(GetHealthCheckStatusCommand).callsFake(() => ({ HealthCheckObservations: h.world.checkers ?? observations(16) }));
    // The fake evaluates exactly the conditions the handler sends (asserted in lock.test.ts).
    dynamodb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
        const now = Number(input.ExpressionAttributeValues?.[":now"]?.N);
        if (h.world.lock !== undefined && !(h.world.lock.expiresAt < now)) {
            throw conditionFailed();
        }
        h.world.lock = { ownerId: input.Item?.ownerId?.S ?? "", expiresAt: Number(input.Item?.expiresAt?.N) };
        return {};
    });
    dynamodb.on(DeleteItemCommand).callsFake((input: DeleteItemCommandInput) => {
        if (h.world.lock?.ownerId !== input.ExpressionAttributeValues?.[":owner"]?.S) {
            throw conditionFailed();
        }
        h.world.lock = undefined;
        return {};
    });

    rds.on(DescribeDBInstancesCommand).callsFake(() => ({ DBInstances: [h.world.replica] }));
    rds.on(PromoteReadReplicaCommand).callsFake((input: PromoteReadReplicaCommandInput) => {
        if (!h.world.replica.ReadReplicaSourceDBInstanceIdentifier || h.world.replica.DBInstanceStatus !== "available") {
            throw new InvalidDBInstanceStateFault({ message: `DB Instance ${input.DBInstanceIdentifier} is not a read replica.`, $metadata: { httpStatusCode: 400 } });
        }
        h.world.replica = { ...h.world.replica, DBInstanceStatus: "modifying" };
        return { DBInstance: h.world.replica };
    });
    eks.on(DescribeNodegroupCommand).callsFake(() => ({ nodegroup: h.world.nodegroup }));
    eks.on(UpdateNodegroupConfigCommand).callsFake((input: UpdateNodegroupConfigCommandInput) => {
        if (h.world.nodegroup.status === "UPDATING") {
            throw new ResourceInUseException({ message: "Nodegroup is currently being updated", $metadata: { httpStatusCode: 409 } });
        }
        h.world.nodegroup = { ...h.world.nodegroup, status: "UPDATING", scalingConfig: { ...h.world.nodegroup.scalingConfig, ...input.scalingConfig } };
        return { update: { id: "4bd5a4f8-3a9e-3b2c-9d1e-6a2f0c8b7e51", status: "InProgress", type: "ConfigUpdate" } };
    });
    sns.on(PublishCommand).resolves({ MessageId: "7f3c2a10-5b9e-5c4d-8e21-9a0b1c2d3e4f" });
    return h;
}

function recordingClients(regions: Harness["regions"]): ClientFactory {
    return {
        rds: region => (regions.rds.push(region), new RDSClient({ region })),
        eks: region => (regions.eks.push(region), new EKSClient({ region })),
        sns: region => (regions.sns.push(region), new SNSClient({ region })),
        route53: region => (regions.route53.push(region), new Route53Client({ region })),
        dynamodb: region => (regions.dynamodb.push(region), new DynamoDBClient({ region })),
    };
}

/** Log records of one kind (`step`, `ignored`, `finished`, ...). */
export function logsOf(h: Harness, event: string): Record<string, unknown>[] {
    return h.logs.filter(line => line.event === event);
}

/** Runs `action` and returns what it threw; fails if it did not throw. */
export async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
    try {
        await action();
    } catch (error) {
        return error;
    }
    throw new Error("expected a rejection, but it resolved");
}
