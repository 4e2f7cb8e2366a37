import { strict as assert } from "node:assert";
import { DEFAULT_LOCK_SECONDS, DEFAULT_STACK_NAME, FailoverEnvError, parseFailoverEnv } from "../../../lambda/failover/config";
import { ENV, HEALTH_CHECK_ID, LOCK_TABLE, TOPIC_ARN } from "./fixtures";

function problemsOf(env: Record<string, string | undefined>): string[] {
    try {
        parseFailoverEnv(env);
    } catch (error) {
        assert.ok(error instanceof FailoverEnvError);
        return error.problems.map(p => `${p.variable} ${p.message}`);
    }
    return [];
}

describe("failover Lambda: environment", () => {
    it("reads a complete environment into typed settings", () => {
        assert.deepEqual(parseFailoverEnv(ENV), {
            alarmName: "dr-dns-primary-down-5e1c2a7",
            enabled: true,
            healthCheckId: HEALTH_CHECK_ID,
            replicaId: "dr-standby-db-mysql-8a41c3e",
            replicaRegion: "ap-northeast-1",
            clusterName: "dr-standby-eks-cluster-6d02b4f",
            nodegroupName: "dr-standby-eks-nodes-1b8e5a2",
            clusterRegion: "ap-northeast-1",
            failoverNodeCount: 4,
            topicArn: TOPIC_ARN,
            topicRegion: "us-east-1",
            lockTableName: LOCK_TABLE,
            lockTableRegion: "ap-northeast-1",
            lockSeconds: 150,
            stackName: "warm-standby",
        });
    });

    it("defaults: disabled, the cluster in the replica's region, a placeholder stack name", () => {
        const config = parseFailoverEnv({ ...ENV, ENABLE_AUTO_FAILOVER: undefined, CLUSTER_REGION: undefined, STACK_NAME: undefined, REPLICA_REGION: "ap-northeast-3" });
        assert.equal(config.enabled, false);
        assert.equal(config.clusterRegion, "ap-northeast-3");
        assert.equal(config.stackName, DEFAULT_STACK_NAME);
    });

    it("takes the SNS client's region from the topic ARN, in any partition", () => {
        assert.equal(parseFailoverEnv({ ...ENV, TOPIC_ARN: "arn:aws:sns:ap-northeast-1:123456789012:alerts" }).topicRegion, "ap-northeast-1");
        assert.equal(parseFailoverEnv({ ...ENV, TOPIC_ARN: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts" }).topicRegion, "us-gov-west-1");
    });

    it("names every bad variable in one error, in a fixed order", () => {
        const env = {
            ENABLE_AUTO_FAILOVER: "yes",
            REPLICA_ID: "1-replica",
            REPLICA_REGION: "Tokyo",
            CLUSTER_NAME: "-cluster",
            NODEGROUP_NAME: "nodes with spaces",
            CLUSTER_REGION: "ap_northeast_1",
            FAILOVER_NODE_COUNT: "four",
            TOPIC_ARN: "arn:aws:lambda:us-east-1:123456789012:function:alerts",
            HEALTH_CHECK_ID: "healthcheck/primary",
            LOCK_TABLE_NAME: "lk",
            LOCK_TABLE_REGION: "tokyo",
            LOCK_SECONDS: "0",
        };
        assert.throws(() => parseFailoverEnv(env), {
            name: "FailoverEnvError",
            message: [
                "Invalid failover environment (13 problems); nothing was changed:",
                "  - ALARM_NAME is required",
                "  - ENABLE_AUTO_FAILOVER must be \"true\" or \"false\", got \"yes\"",
                "  - HEALTH_CHECK_ID must be a Route 53 health check id (letters, digits and hyphens, at most 64), got \"healthcheck/primary\"",
                "  - REPLICA_ID must be an RDS DB instance identifier (a letter, then letters, digits and single hyphens, at most 63), got \"1-replica\"",
                "  - REPLICA_REGION must be an AWS region such as ap-northeast-1, got \"Tokyo\"",
                "  - CLUSTER_NAME must be an EKS name (a letter or digit, then letters, digits, hyphens and underscores, at most 100), got \"-cluster\"",
                "  - NODEGROUP_NAME must be an EKS name (a letter or digit, then letters, digits, hyphens and underscores, at most 63), got \"nodes with spaces\"",
                "  - CLUSTER_REGION must be an AWS region such as ap-northeast-1, got \"ap_northeast_1\"",
                "  - FAILOVER_NODE_COUNT must be a positive integer, got \"four\"",
                "  - TOPIC_ARN must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, got \"arn:aws:lambda:us-east-1:123456789012:function:alerts\"",
                "  - LOCK_TABLE_NAME must be a DynamoDB table name (3-255 letters, digits, underscores, hyphens and dots), got \"lk\"",
                "  - LOCK_TABLE_REGION must be an AWS region such as ap-northeast-1, got \"tokyo\"",
                "  - LOCK_SECONDS must be a whole number of seconds from 1 to 900, got \"0\"",
            ].join("\n"),
        });
    });

    it("reports every required variable when the environment is empty", () => {
        assert.deepEqual(problemsOf({}), [
            "ALARM_NAME is required", "HEALTH_CHECK_ID is required", "REPLICA_ID is required", "REPLICA_REGION is required", "CLUSTER_NAME is required",
            "NODEGROUP_NAME is required", "FAILOVER_NODE_COUNT is required", "TOPIC_ARN is required", "LOCK_TABLE_NAME is required",
        ]);
    });

    it("requires the primary's health check id, the way Route 53 writes it", () => {
        assert.deepEqual(problemsOf({ ...ENV, HEALTH_CHECK_ID: undefined }), ["HEALTH_CHECK_ID is required"]);
        for (const value of ["h".repeat(65), "abc def", "arn:aws:route53:::healthcheck/abc"]) {
            assert.equal(problemsOf({ ...ENV, HEALTH_CHECK_ID: value }).length, 1, value);
        }
        assert.equal(parseFailoverEnv({ ...ENV, HEALTH_CHECK_ID: "0b2a7f1e-11aa-4c3d-9e8f-5a6b7c8d9e0f" }).healthCheckId, "0b2a7f1e-11aa-4c3d-9e8f-5a6b7c8d9e0f");
    });

    it("locks in the replica's region for the default time unless told otherwise, within Lambda's 15 minutes", () => {
        const defaults = parseFailoverEnv({ ...ENV, REPLICA_REGION: "ap-northeast-3" });
        assert.deepEqual([defaults.lockTableRegion, defaults.lockSeconds], ["ap-northeast-3", DEFAULT_LOCK_SECONDS]);
        const set = parseFailoverEnv({ ...ENV, LOCK_TABLE_REGION: "us-west-2", LOCK_SECONDS: "900" });
        assert.deepEqual([set.lockTableRegion, set.lockSeconds], ["us-west-2", 900]);
        for (const value of ["901", "-5", "1.5", "two"]) {
            assert.deepEqual(problemsOf({ ...ENV, LOCK_SECONDS: value }), [`LOCK_SECONDS must be a whole number of seconds from 1 to 900, got ${JSON.stringify(value)}`]);
        }
    });

    it("enables only on exactly \"true\"", () => {
        for (const value of ["TRUE", "True", "1", "yes", " true"]) {
            assert.deepEqual(problemsOf({ ...ENV, ENABLE_AUTO_FAILOVER: value }), [`ENABLE_AUTO_FAILOVER must be "true" or "false", got ${JSON.stringify(value)}`]);
        }
        assert.equal(parseFailoverEnv({ ...ENV, ENABLE_AUTO_FAILOVER: "false" }).enabled, false);
        assert.equal(parseFailoverEnv({ ...ENV, ENABLE_AUTO_FAILOVER: "true" }).enabled, true);
    });

    it("accepts only a positive integer node count", () => {
        for (const value of ["0", "-1", "2.5", "04", " 4", "4 ", "1e3", "99999999999999999999"]) {
            assert.deepEqual(problemsOf({ ...ENV, FAILOVER_NODE_COUNT: value }), [`FAILOVER_NODE_COUNT must be a positive integer, got ${JSON.stringify(value)}`]);
        }
        assert.equal(parseFailoverEnv({ ...ENV, FAILOVER_NODE_COUNT: "1" }).failoverNodeCount, 1);
        assert.equal(parseFailoverEnv({ ...ENV, FAILOVER_NODE_COUNT: "12" }).failoverNodeCount, 12);
    });

    it("accepts only a standard SNS topic ARN", () => {
        for (const value of [
            "arn:aws:sns:us-east-1:alerts",
            "arn:aws:sns:us-east-1:12345:alerts",
            "arn:aws:sns:us-east-1:123456789012:alerts.fifo",
            "arn:aws:sns::123456789012:alerts",
            "alerts",
        ]) {
            assert.equal(problemsOf({ ...ENV, TOPIC_ARN: value }).length, 1, value);
        }
    });

    it("checks identifiers the way RDS and EKS do", () => {
        for (const value of ["replica-", "re--plica", "r".repeat(64), "replica_1"]) {
            assert.equal(problemsOf({ ...ENV, REPLICA_ID: value }).length, 1, value);
        }
        assert.equal(parseFailoverEnv({ ...ENV, REPLICA_ID: "R1-a" }).replicaId, "R1-a");
        assert.equal(problemsOf({ ...ENV, NODEGROUP_NAME: "n".repeat(64) }).length, 1);
        assert.equal(parseFailoverEnv({ ...ENV, NODEGROUP_NAME: "0_nodes-a" }).nodegroupName, "0_nodes-a");
        assert.equal(problemsOf({ ...ENV, ALARM_NAME: "a".repeat(256) }).length, 1);
    });
});
