import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    ContainerRegistry, DatabaseCredentials, EncryptionKey, GlobalTables, ReplicatedBuckets,
    validateContainerRegistryArgs, validateGlobalTablesArgs, validateReplicatedBucketsArgs,
} from "../../components/aws";
import { declare } from "../support/components";
import { valueOf } from "../../plan/mockCloud";
import { named, ofType, statementsOf } from "../support/query";

const SEOUL_KEY = "arn:aws:kms:ap-northeast-2:123456789012:key/seoul";
const TOKYO_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/tokyo";
const chats = { name: "chats", hashKey: "id", hashKeyType: "S" as const };

describe("component: EncryptionKey", () => {
    it("lists every action it grants, lets named services use it, and is protected by default", async () => {
        const { resources } = await declare(() => new EncryptionKey("k", { region: "us-east-1", accountId: "123456789012", description: "d", usableByServices: ["cloudwatch.amazonaws.com"] }));
        const key = named(resources, "aws:kms/key:Key", "k-key");
        assert.strictEqual(key.protect, true);
        const [account, services] = statementsOf(key.inputs.policy);
        assert.deepStrictEqual(account.Principal, { AWS: "arn:aws:iam::123456789012:root" });
        assert.ok(!(account.Action as string[]).includes("kms:*"));
        assert.deepStrictEqual(services.Principal, { Service: ["cloudwatch.amazonaws.com"] });
        assert.deepStrictEqual(services.Action, ["kms:Decrypt", "kms:GenerateDataKey"]);
    });
});

describe("component: DatabaseCredentials", () => {
    it("keeps the password secret and replicates the secret with each replica's key", async () => {
        const { resources, result } = await declare(() => new DatabaseCredentials("c", {
            region: "ap-northeast-2", username: "u", databaseName: "d", kmsKeyArn: SEOUL_KEY, replicas: [{ region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY }],
        }));
        assert.strictEqual(await pulumi.isSecret(result.password), true);
        const secret = named(resources, "aws:secretsmanager/secret:Secret", "c-secret");
        assert.deepStrictEqual(secret.inputs.replicas, [{ region: "ap-northeast-1", kmsKeyId: TOKYO_KEY }]);
        const value = JSON.parse(named(resources, "aws:secretsmanager/secretVersion:SecretVersion", "c-secret-value").inputs.secretString);
        assert.strictEqual(value.username, "u");
        assert.strictEqual(value.password, await valueOf(result.password));
        const generated = named(resources, "random:index/randomPassword:RandomPassword", "c-password");
        assert.ok(!/[/@" ]/.test(generated.inputs.overrideSpecial), "RDS refuses / @ \" and space");
    });
});

describe("component: GlobalTables", () => {
    it("makes single-region tables by default, streams and PITR on", async () => {
        const { resources } = await declare(() => new GlobalTables("t", { region: "ap-northeast-2", tables: [chats], kmsKeyArn: SEOUL_KEY }));
        const table = named(resources, "aws:dynamodb/table:Table", "t-chats");
        assert.deepStrictEqual(table.inputs.replicas, []);
        assert.deepStrictEqual(table.inputs.attributes, [{ name: "id", type: "S" }]);
        assert.strictEqual(table.inputs.rangeKey, undefined);
        assert.strictEqual(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
        assert.strictEqual(table.protect, true);
    });

    it("refuses duplicate names, a half-specified range key and a same-region replica", () => {
        assert.deepStrictEqual(validateGlobalTablesArgs({
            region: "ap-northeast-2",
            tables: [chats, { ...chats, rangeKey: "ts" }],
            kmsKeyArn: SEOUL_KEY,
            replicas: [{ region: "ap-northeast-2", kmsKeyArn: SEOUL_KEY }],
        }), [
            "tables: names must be unique",
            "tables.chats: rangeKey and rangeKeyType go together",
            "replicas: a replica cannot be in the table's own region",
        ]);
    });
});

describe("component: ReplicatedBuckets", () => {
    it("declares no role and no replication without a replica", async () => {
        const { resources } = await declare(() => new ReplicatedBuckets("b", { region: "ap-northeast-2", names: ["logs"], kmsKeyArn: SEOUL_KEY }));
        assert.strictEqual(ofType(resources, "aws:s3/bucket:Bucket").length, 1);
        assert.strictEqual(ofType(resources, "aws:iam/role:Role").length, 0);
        assert.strictEqual(ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
        const lifecycle = named(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle");
        assert.strictEqual(lifecycle.inputs.rules[0].noncurrentVersionExpiration.noncurrentDays, 90);
    });

    it("scopes the replication role to exactly its sources, destinations and keys", async () => {
        const { resources } = await declare(() => new ReplicatedBuckets("b", {
            region: "ap-northeast-2", names: ["logs", "team"], kmsKeyArn: SEOUL_KEY, replica: { region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY },
            replicationTimeControl: false,
        }));
        const bucketArn = (name: string) => `arn:aws:s3:::${named(resources, "aws:s3/bucket:Bucket", name).inputs.bucket ?? ""}`;
        const arns = Object.fromEntries(ofType(resources, "aws:s3/bucket:Bucket").map(b => [b.name, b]));
        assert.deepStrictEqual(Object.keys(arns).sort(), ["logs", "logs-dr", "team", "team-dr"]);
        assert.ok(bucketArn("logs"));
        const statements = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "b-replication-policy").inputs.policy);
        const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
        assert.ok((bySid.WriteReplicas.Resource as string[]).every(r => /-dr-[0-9a-f]+\/\*$/.test(r)));
        assert.ok((bySid.ReadSourceVersions.Resource as string[]).every(r => !r.includes("-dr-")));
        assert.strictEqual(bySid.DecryptSource.Resource, SEOUL_KEY);
        assert.strictEqual(bySid.EncryptReplica.Resource, TOKYO_KEY);
        const rule = named(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "logs-replication").inputs.rules[0];
        assert.strictEqual(rule.destination.replicationTime, undefined);
        assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Disabled" });
    });

    it("refuses duplicate and same-region bucket sets, and declares nothing for none", async () => {
        assert.deepStrictEqual(validateReplicatedBucketsArgs({ region: "r", names: [], kmsKeyArn: "k", replica: { region: "r", kmsKeyArn: "k" } }),
            ["replica.region: same-region copies do not survive a region loss"]);
        const none = await declare(() => new ReplicatedBuckets("b", { region: "ap-northeast-2", names: [], kmsKeyArn: SEOUL_KEY, replica: { region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY } }));
        assert.deepStrictEqual(none.resources.filter(r => r.custom).map(r => r.name), [], "only the component itself");
        assert.deepStrictEqual(validateReplicatedBucketsArgs({ region: "r", names: ["a", "a"], kmsKeyArn: "k" }), ["names: bucket names must be unique"]);
    });
});

describe("component: ContainerRegistry", () => {
    it("makes mutable, scanned repositories and no replication rule by default", async () => {
        const { resources } = await declare(() => new ContainerRegistry("r", { region: "ap-northeast-2", accountId: "123456789012", repositoryNames: ["app-web"] }));
        const repository = named(resources, "aws:ecr/repository:Repository", "r-app-web");
        assert.strictEqual(repository.inputs.imageTagMutability, "MUTABLE");
        assert.strictEqual(repository.inputs.forceDelete, false);
        assert.strictEqual(ofType(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length, 0);
        assert.match(named(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "r-app-web-lifecycle").inputs.policy, /"tagStatus":"untagged"/);
    });

    it("declares the repositories in each replica region and replicates to them", async () => {
        const { resources, result } = await declare(() => new ContainerRegistry("r", {
            region: "ap-northeast-2", accountId: "123456789012", repositoryNames: ["app-web"], immutableTags: true, replicaRegions: ["ap-northeast-1"],
        }));
        const copy = named(resources, "aws:ecr/repository:Repository", "r-app-web-ap-northeast-1");
        assert.strictEqual(copy.inputs.region, "ap-northeast-1");
        assert.strictEqual(copy.inputs.imageTagMutability, "IMMUTABLE");
        const rule = named(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration", "r-replication").inputs.replicationConfiguration.rules[0];
        assert.deepStrictEqual(rule.destinations, [{ region: "ap-northeast-1", registryId: "123456789012" }]);
        assert.match(await valueOf(result.replicaRepositoryUrls["ap-northeast-1"]["app-web"]), /\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/app-web$/);
    });

    it("refuses bad names and its own region as a replica", () => {
        assert.deepStrictEqual(validateContainerRegistryArgs({ region: "r", accountId: "1", repositoryNames: ["Bad Name"], replicaRegions: ["r"] }),
            ["repositoryNames: Bad Name not valid ECR names", "replicaRegions: the registry's own region cannot be a replica"]);
    });
});
