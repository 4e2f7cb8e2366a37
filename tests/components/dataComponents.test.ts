import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    accessLogPrefix, ContainerRegistry, DatabaseCredentials, EncryptionKey, GlobalTables, ReplicatedBuckets, S3_LOGGING_PRINCIPAL,
    validateContainerRegistryArgs, validateGlobalTablesArgs, validateReplicatedBucketsArgs,
} from "../../components/aws";
import { declare } from "../support/components";
import { valueOf } from "../../plan/mockCloud";
import { named, ofType, statementsOf } from "../support/query";

const SEOUL_KEY = "arn:aws:kms:ap-northeast-2:123456789012:key/seoul";
const TOKYO_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/tokyo";
const ACCOUNT = "123456789012";
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
        const { resources } = await declare(() => new ReplicatedBuckets("b", { region: "ap-northeast-2", accountId: ACCOUNT, names: ["logs"], kmsKeyArn: SEOUL_KEY }));
        assert.deepStrictEqual(ofType(resources, "aws:s3/bucket:Bucket").map(b => b.name).sort(), ["b-access-logs", "logs"]);
        assert.strictEqual(ofType(resources, "aws:iam/role:Role").length, 0);
        assert.strictEqual(ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
        const lifecycle = named(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle");
        assert.strictEqual(lifecycle.inputs.rules[0].noncurrentVersionExpiration.noncurrentDays, 90);
    });

    it("scopes the replication role to exactly its sources, destinations and keys", async () => {
        const { resources } = await declare(() => new ReplicatedBuckets("b", {
            region: "ap-northeast-2", accountId: ACCOUNT, names: ["logs", "team"], kmsKeyArn: SEOUL_KEY, replica: { region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY },
            replicationTimeControl: false, accessLogging: false,
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
        assert.deepStrictEqual(validateReplicatedBucketsArgs({ region: "r", accountId: ACCOUNT, names: [], kmsKeyArn: "k", replica: { region: "r", kmsKeyArn: "k" } }),
            ["replica.region: same-region copies do not survive a region loss"]);
        const none = await declare(() => new ReplicatedBuckets("b", { region: "ap-northeast-2", accountId: ACCOUNT, names: [], kmsKeyArn: SEOUL_KEY, replica: { region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY } }));
        assert.deepStrictEqual(none.resources.filter(r => r.custom).map(r => r.name), [], "only the component itself");
        assert.deepStrictEqual(validateReplicatedBucketsArgs({ region: "r", accountId: ACCOUNT, names: ["a", "a"], kmsKeyArn: "k" }), ["names: bucket names must be unique"]);
        assert.deepStrictEqual(validateReplicatedBucketsArgs({ region: "r", accountId: ACCOUNT, names: ["a"], kmsKeyArn: "k", accessLogRetentionDays: 0 }),
            ["accessLogRetentionDays: 0 is not a whole number of days in 1-3650"]);
    });

    describe("server access logging", () => {
        const build = (overrides: Partial<ConstructorParameters<typeof ReplicatedBuckets>[1]> = {}) => declare(() => new ReplicatedBuckets("b", {
            region: "ap-northeast-2", accountId: ACCOUNT, names: ["team", "front"], kmsKeyArn: SEOUL_KEY,
            replica: { region: "ap-northeast-1", kmsKeyArn: TOKYO_KEY }, ...overrides,
        }));
        const bucketNamed = (resources: Awaited<ReturnType<typeof build>>["resources"], name: string) => named(resources, "aws:s3/bucket:Bucket", name);

        it("logs every bucket and -dr twin into the log bucket of its own region, under its own prefix", async () => {
            const { resources } = await build();
            const logs = { "ap-northeast-2": bucketNamed(resources, "b-access-logs"), "ap-northeast-1": bucketNamed(resources, "b-access-logs-dr") };
            assert.strictEqual(logs["ap-northeast-2"].inputs.region, "ap-northeast-2");
            assert.strictEqual(logs["ap-northeast-1"].inputs.region, "ap-northeast-1");
            for (const logical of ["team", "front", "team-dr", "front-dr"]) {
                const source = bucketNamed(resources, logical);
                const logging = named(resources, "aws:s3/bucketLogging:BucketLogging", `${logical}-access-logging`);
                const region = source.inputs.region as keyof typeof logs;
                assert.strictEqual(logging.inputs.region, region);
                assert.strictEqual(logging.inputs.bucket, source.outputs?.bucket);
                assert.strictEqual(logging.inputs.targetBucket, logs[region].outputs?.bucket, `${logical} logs within ${region}`);
                assert.strictEqual(logging.inputs.targetPrefix, accessLogPrefix(logical));
            }
            const loggedBuckets = ofType(resources, "aws:s3/bucketLogging:BucketLogging").map(l => l.inputs.bucket);
            assert.strictEqual(loggedBuckets.length, 4);
            for (const log of Object.values(logs)) {
                assert.ok(!loggedBuckets.includes(log.outputs?.bucket), "a log bucket is not itself logged");
            }
        });

        it("makes each log bucket private, versioned, SSE-S3, TLS-only and writable only by S3 logging for its own sources", async () => {
            const { resources } = await build();
            for (const [log, sources] of [["b-access-logs", ["team", "front"]], ["b-access-logs-dr", ["team-dr", "front-dr"]]] as const) {
                const block = named(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${log}-public-access`).inputs;
                assert.deepStrictEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
                assert.strictEqual(named(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${log}-ownership`).inputs.rule.objectOwnership, "BucketOwnerEnforced");
                assert.strictEqual(named(resources, "aws:s3/bucketVersioning:BucketVersioning", `${log}-versioning`).inputs.versioningConfiguration.status, "Enabled");
                const encryption = named(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${log}-encryption`);
                assert.deepStrictEqual(encryption.inputs.rules[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" }, "S3 does not deliver access logs into an SSE-KMS bucket");
                assert.strictEqual(bucketNamed(resources, log).inputs.forceDestroy, false);
                const [deliver, tls] = statementsOf(named(resources, "aws:s3/bucketPolicy:BucketPolicy", `${log}-policy`).inputs.policy);
                assert.deepStrictEqual(deliver.Principal, { Service: S3_LOGGING_PRINCIPAL });
                assert.deepStrictEqual(deliver.Action, ["s3:PutObject"]);
                assert.strictEqual(deliver.Resource, `${bucketNamed(resources, log).outputs?.arn}/*`);
                assert.deepStrictEqual(deliver.Condition, {
                    ArnLike: { "aws:SourceArn": sources.map(s => bucketNamed(resources, s).outputs?.arn) },
                    StringEquals: { "aws:SourceAccount": ACCOUNT },
                });
                assert.deepStrictEqual([tls.Effect, tls.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
            }
        });

        it("expires logs after the configured days, then their old versions and delete markers", async () => {
            const { resources } = await build({ accessLogRetentionDays: 30 });
            const [expire, markers] = named(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "b-access-logs-lifecycle").inputs.rules;
            assert.deepStrictEqual([expire.expiration, expire.noncurrentVersionExpiration], [{ days: 30 }, { noncurrentDays: 1 }]);
            assert.deepStrictEqual(markers.expiration, { expiredObjectDeleteMarker: true });
            const defaults = await build();
            assert.strictEqual(named(defaults.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "b-access-logs-dr-lifecycle").inputs.rules[0].expiration.days, 90);
        });

        it("can be turned off, and needs no log bucket for no buckets", async () => {
            const off = await build({ accessLogging: false });
            assert.deepStrictEqual(ofType(off.resources, "aws:s3/bucketLogging:BucketLogging"), []);
            assert.ok(!ofType(off.resources, "aws:s3/bucket:Bucket").some(b => b.name.includes("access-logs")));
            const none = await build({ names: [] });
            assert.deepStrictEqual(ofType(none.resources, "aws:s3/bucket:Bucket"), []);
        });
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
