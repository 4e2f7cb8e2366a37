import * as assert from "assert";
import { runStack } from "../support/stacks";
import * as pulumi from "@pulumi/pulumi";
import { WarmStandbyOutputs } from "../../strategies";
import { valueOf } from "../../plan/mockCloud";
import { WorkloadSite } from "../../lib/workloadSite";
import { cloudResources, named, ofType, regionOf, statementsOf } from "../support/query";
import { DeclaredResource, ProgramFailure, ProgramRun } from "../../plan/runOffline";

const SEOUL = "ap-northeast-2";
const TOKYO = "ap-northeast-1";
const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    db: "aws:rds/instance:Instance",
    table: "aws:dynamodb/table:Table",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    repository: "aws:ecr/repository:Repository",
    ecrReplication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    record: "aws:route53/record:Record",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
};

function runWarmStandby(overrides: Record<string, unknown> = {}): Promise<ProgramRun<WarmStandbyOutputs>> {
    return runStack<WarmStandbyOutputs>("warm-standby", overrides);
}

function inRegion(resources: DeclaredResource[], type: string, region: string): DeclaredResource[] {
    return ofType(resources, type).filter(r => regionOf(r) === region);
}

describe("program: warm-standby stack", () => {
    let run: ProgramRun<WarmStandbyOutputs>;
    let resources: DeclaredResource[];
    before(async () => {
        run = await runWarmStandby();
        resources = run.resources;
    });

    it("builds a VPC in each region with the seed's blocks and >= 6 subnets each", () => {
        const vpcs = ofType(resources, T.vpc).map(v => [regionOf(v), v.inputs.cidrBlock]).sort();
        assert.deepStrictEqual(vpcs, [[TOKYO, "10.20.0.0/16"], [SEOUL, "10.10.0.0/16"]]);
        for (const region of [SEOUL, TOKYO]) {
            const subnets = inRegion(resources, T.subnet, region);
            assert.ok(subnets.length >= 6, `${region} has ${subnets.length} subnets`);
            const tiers = new Set(subnets.map(s => s.inputs.tags["dr:tier"]));
            assert.deepStrictEqual([...tiers].sort(), ["data", "private", "public"]);
            assert.strictEqual(new Set(subnets.map(s => s.inputs.availabilityZone)).size, 3);
        }
    });

    it("runs an EKS cluster per region, two t3.large nodes each", () => {
        assert.deepStrictEqual(ofType(resources, T.cluster).map(regionOf).sort(), [TOKYO, SEOUL]);
        for (const group of ofType(resources, T.nodeGroup)) {
            assert.deepStrictEqual(group.inputs.instanceTypes, ["t3.large"]);
            assert.strictEqual(group.inputs.scalingConfig.desiredSize, 2);
        }
        assert.strictEqual(regionOf(named(resources, T.nodeGroup, "standby-nodes")), TOKYO);
    });

    it("keeps a Multi-AZ, encrypted, backed-up, deletion-protected MySQL primary in Seoul", () => {
        const primary = named(resources, T.db, "primary-mysql");
        assert.strictEqual(regionOf(primary), SEOUL);
        assert.strictEqual(primary.inputs.engine, "mysql");
        assert.strictEqual(primary.inputs.multiAz, true);
        assert.strictEqual(primary.inputs.storageEncrypted, true);
        assert.match(primary.inputs.kmsKeyId, new RegExp(`^arn:aws:kms:${SEOUL}:`));
        assert.ok(primary.inputs.backupRetentionPeriod >= 7);
        assert.strictEqual(primary.inputs.deletionProtection, true);
        assert.strictEqual(primary.inputs.skipFinalSnapshot, false);
        assert.ok(primary.inputs.finalSnapshotIdentifier);
        assert.strictEqual(primary.inputs.publiclyAccessible, false);
        assert.strictEqual(primary.inputs.instanceClass, "db.t3.micro");
    });

    it("keeps a Single-AZ cross-region read replica of it in Tokyo, encrypted with a Tokyo key", async () => {
        const replica = named(resources, T.db, "standby-mysql");
        const primary = named(resources, T.db, "primary-mysql");
        assert.strictEqual(regionOf(replica), TOKYO);
        assert.match(replica.inputs.replicateSourceDb, new RegExp(`^arn:aws:rds:${SEOUL}:\\d{12}:db:`));
        assert.ok(replica.inputs.replicateSourceDb.endsWith(`:db:${primary.name}-`) || replica.inputs.replicateSourceDb.includes(`:db:${primary.name}`));
        assert.strictEqual(replica.inputs.multiAz, false);
        assert.match(replica.inputs.kmsKeyId, new RegExp(`^arn:aws:kms:${TOKYO}:`));
        assert.strictEqual(replica.inputs.deletionProtection, true);
        assert.strictEqual(run.outputs.standbyDatabaseRole, "replica");
    });

    it("replicates >= 2 DynamoDB tables to Tokyo with streams and PITR on both sides", () => {
        // The application's tables; the failover function's lock table is its own, in Tokyo.
        const tables = ofType(resources, T.table).filter(t => t.name.startsWith("tables-"));
        assert.ok(tables.length >= 2);
        for (const table of tables) {
            assert.strictEqual(regionOf(table), SEOUL);
            assert.strictEqual(table.inputs.streamEnabled, true);
            assert.strictEqual(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
            assert.strictEqual(table.inputs.pointInTimeRecovery.enabled, true);
            assert.strictEqual(table.inputs.serverSideEncryption.enabled, true);
            assert.strictEqual(table.inputs.deletionProtectionEnabled, true);
            assert.strictEqual(table.inputs.billingMode, "PAY_PER_REQUEST");
            assert.deepStrictEqual(table.inputs.replicas.map((r: any) => [r.regionName, r.pointInTimeRecovery]), [[TOKYO, true]]);
            assert.match(table.inputs.replicas[0].kmsKeyArn, new RegExp(`^arn:aws:kms:${TOKYO}:`));
        }
    });

    it("has >= 3 versioned buckets each side, each Seoul bucket replicated to its Tokyo twin", () => {
        // The application's buckets; each region's access-log bucket is not replicated.
        const application = (region: string) => inRegion(resources, T.bucket, region).filter(b => !b.name.includes("access-logs"));
        const seoul = application(SEOUL);
        const tokyo = application(TOKYO);
        assert.ok(seoul.length >= 3 && tokyo.length >= 3, `${seoul.length} Seoul, ${tokyo.length} Tokyo buckets`);
        const versioned = ofType(resources, T.versioning).filter(v => v.inputs.versioningConfiguration.status === "Enabled").map(v => v.name);
        assert.ok([...seoul, ...tokyo].every(b => versioned.includes(`${b.name}-versioning`)));
        const replications = ofType(resources, T.replication);
        assert.strictEqual(replications.length, seoul.length);
        for (const replication of replications) {
            assert.strictEqual(regionOf(replication), SEOUL);
            const rule = replication.inputs.rules[0];
            assert.strictEqual(rule.status, "Enabled");
            assert.match(rule.destination.bucket, /^arn:aws:s3:::portforge-[a-z]+-dr-/);
            assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, new RegExp(`^arn:aws:kms:${TOKYO}:`));
            assert.strictEqual(rule.destination.replicationTime.status, "Enabled");
            assert.strictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status, "Enabled");
            assert.ok(replication.inputs.bucket.startsWith(replication.name.replace(/-replication$/, "")), "source bucket matches the rule's name");
        }
    });

    it("has >= 5 ECR repositories replicated to Tokyo, scanned on push", () => {
        const seoulRepos = inRegion(resources, T.repository, SEOUL);
        assert.ok(seoulRepos.length >= 5);
        assert.deepStrictEqual(seoulRepos.map(r => r.inputs.name).sort(),
            ["portforge-ai", "portforge-auth", "portforge-project", "portforge-support", "portforge-team"]);
        assert.ok(seoulRepos.every(r => r.inputs.imageScanningConfiguration.scanOnPush === true));
        assert.deepStrictEqual(inRegion(resources, T.repository, TOKYO).map(r => r.inputs.name).sort(), seoulRepos.map(r => r.inputs.name).sort());
        const [replication] = ofType(resources, T.ecrReplication);
        const rule = replication.inputs.replicationConfiguration.rules[0];
        assert.deepStrictEqual(rule.destinations.map((d: any) => d.region), [TOKYO]);
        assert.strictEqual(rule.repositoryFilters.length, 5);
    });

    it("fails over by Route 53: health check on /health with threshold 3, PRIMARY and SECONDARY records, alarms and a topic", () => {
        const primaryCheck = named(resources, T.healthCheck, "failover-primary-health");
        assert.strictEqual(primaryCheck.inputs.failureThreshold, 3);
        assert.strictEqual(primaryCheck.inputs.resourcePath, "/health");
        const records = ofType(resources, T.record).filter(r => r.inputs.failoverRoutingPolicies !== undefined);
        const byRole = Object.fromEntries(records.map(r => [r.inputs.failoverRoutingPolicies[0].type, r]));
        assert.deepStrictEqual(Object.keys(byRole).sort(), ["PRIMARY", "SECONDARY"]);
        assert.ok(byRole.PRIMARY.inputs.healthCheckId, "PRIMARY record carries the health check");
        for (const [role, site] of [["PRIMARY", "primary"], ["SECONDARY", "standby"]]) {
            const alb = named(resources, "aws:lb/loadBalancer:LoadBalancer", `${site}-alb`);
            assert.deepStrictEqual(byRole[role].inputs.aliases, [{ name: alb.outputs!.dnsName, zoneId: alb.outputs!.zoneId, evaluateTargetHealth: false }], role);
            assert.strictEqual(byRole[role].inputs.type, "A");
        }
        for (const record of records) {
            assert.strictEqual(record.inputs.name, "app.portforge.example.com");
            assert.strictEqual(record.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
        }
        const alarms = ofType(resources, T.alarm);
        assert.ok(alarms.length >= 1);
        const [topic] = ofType(resources, T.topic);
        for (const alarm of alarms) {
            assert.strictEqual(regionOf(alarm), "us-east-1", "Route 53 metrics live in us-east-1");
            assert.strictEqual(alarm.inputs.metricName, "HealthCheckStatus");
            assert.strictEqual(alarm.inputs.alarmActions.length, 1);
            assert.match(alarm.inputs.alarmActions[0], /^arn:aws:sns:us-east-1:/);
        }
        assert.strictEqual(regionOf(topic), "us-east-1");
        assert.ok(topic.inputs.kmsMasterKeyId, "the alert topic is encrypted");
    });

    it("probes each site on its own checked host, which the site's load balancer certificate covers and its record points at", async () => {
        for (const [site, region] of [["primary", SEOUL], ["standby", TOKYO]]) {
            const host = `app-${site}.portforge.example.com`;
            const check = named(resources, T.healthCheck, `failover-${site === "primary" ? "primary" : "secondary"}-health`);
            assert.deepStrictEqual([check.inputs.fqdn, check.inputs.type, check.inputs.port, check.inputs.enableSni], [host, "HTTPS", 443, true]);
            const certificate = named(resources, "aws:acm/certificate:Certificate", `${site}-cert`);
            assert.strictEqual(regionOf(certificate), region, "an ALB takes a certificate from its own region");
            assert.deepStrictEqual([certificate.inputs.domainName, ...certificate.inputs.subjectAlternativeNames], ["app.portforge.example.com", host]);
            const https = named(resources, "aws:lb/listener:Listener", `${site}-https`);
            assert.strictEqual(https.inputs.certificateArn, certificate.outputs!.arn);
            assert.strictEqual(named(resources, "aws:lb/loadBalancer:LoadBalancer", `${site}-alb`).inputs.loadBalancerArn, undefined);
            assert.strictEqual(https.inputs.loadBalancerArn, named(resources, "aws:lb/loadBalancer:LoadBalancer", `${site}-alb`).outputs!.arn);
            assert.strictEqual(named(resources, T.record, `${site}-checked-host`).inputs.name, host);
            const exported = site === "primary" ? run.outputs.primaryEntryPoint : run.outputs.standbyEntryPoint;
            assert.strictEqual(exported.checkedHost, host);
        }
    });

    it("exports both sites for the workloads project, each pointing only at its own region", async () => {
        const sites = run.outputs.workloadSites;
        assert.deepStrictEqual(Object.keys(sites).sort(), ["primary", "standby"]);
        const primary = await valueOf(sites.primary!) as WorkloadSite;
        const standby = await valueOf(sites.standby!) as WorkloadSite;
        assert.deepStrictEqual([primary.role, standby.role, standby.region, standby.failover], ["primary", "standby", TOKYO, false]);
        const secret = named(resources, "aws:secretsmanager/secret:Secret", "database-secret");
        assert.strictEqual(primary.settings.DB_SECRET_ARN, secret.outputs!.arn);
        assert.strictEqual(standby.settings.DB_SECRET_ARN, secret.outputs!.arn.replace(`:${SEOUL}:`, `:${TOKYO}:`), "Tokyo's pods read Tokyo's copy of the secret");
        assert.deepStrictEqual(secret.inputs.replicas.map((r: any) => r.region), [TOKYO], "and that copy exists");
        for (const [site, region] of [[primary, SEOUL], [standby, TOKYO]] as [WorkloadSite, string][]) {
            assert.strictEqual(site.settings.AWS_REGION, region);
            assert.ok(site.settings.DB_HOST.endsWith(`.${region}.rds.amazonaws.com`), site.settings.DB_HOST);
            assert.ok(site.settings.ECR_REGISTRY.endsWith(`.dkr.ecr.${region}.amazonaws.com`));
            assert.ok(Object.values(site.repositories).every(url => url.includes(`.dkr.ecr.${region}.amazonaws.com/portforge-`)));
            assert.ok(Object.values(site.entryPoint.targetGroupArns).every(arn => arn.startsWith(`arn:aws:elasticloadbalancing:${region}:`)));
            assert.deepStrictEqual([site.namespace, site.serviceAccountName], ["portforge", "portforge-app"]);
            assert.deepStrictEqual(Object.keys(site.entryPoint.targetGroupArns), ["ai", "auth", "project", "support", "team"]);
        }
        assert.strictEqual(standby.settings.DB_READ_ONLY, "true");
        assert.match(standby.settings.S3_BUCKET_PORTFORGE_TEAM, /^portforge-team-dr-/);
        assert.strictEqual(standby.cluster.name, await valueOf(run.outputs.standbyClusterName));
    });

    it("gives each site's pods an IRSA role limited to that site's secret copy, key, buckets and tables", async () => {
        const standby = await valueOf(run.outputs.workloadSites.standby!) as WorkloadSite;
        const role = ofType(resources, "aws:iam/role:Role").find(r => r.outputs!.arn === standby.workloadRoleArn)!;
        assert.strictEqual(role.name, "standby-app-role");
        const [trust] = statementsOf(role.inputs.assumeRolePolicy);
        const oidc = named(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "standby-oidc");
        assert.deepStrictEqual(trust.Principal, { Federated: oidc.outputs!.arn });
        const issuer = oidc.inputs.url.replace("https://", "");
        assert.deepStrictEqual(trust.Condition, { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:portforge:portforge-app", [`${issuer}:aud`]: "sts.amazonaws.com" } });
        const statements = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "standby-app-access").inputs.policy);
        const resourcesOf = (sid: string) => ([] as string[]).concat((statements.find((s: any) => s.Sid === sid) as any).Resource);
        assert.deepStrictEqual(resourcesOf("ReadDatabaseSecret"), [standby.settings.DB_SECRET_ARN]);
        assert.deepStrictEqual(resourcesOf("UseDataKey"), [named(resources, "aws:kms/key:Key", "standby-data-key").outputs!.arn]);
        assert.ok(resourcesOf("ReadWriteItems").every(arn => arn.startsWith(`arn:aws:dynamodb:${TOKYO}:`)), "the replicas' Tokyo ARNs");
        // The application's buckets: not the access-log bucket beside them, which pods never touch.
        const tokyoBuckets = inRegion(resources, T.bucket, TOKYO).map(b => b.outputs!.arn).filter(arn => arn.startsWith("arn:aws:s3:::portforge-")).sort();
        assert.strictEqual(tokyoBuckets.length, 3);
        assert.deepStrictEqual(resourcesOf("ListBuckets").sort(), tokyoBuckets);
        const controller = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "standby-lbc-access").inputs.policy);
        assert.deepStrictEqual(([] as string[]).concat((controller[1] as any).Resource).sort(), Object.values(standby.entryPoint.targetGroupArns).sort());
        assert.strictEqual(standby.loadBalancerController.roleArn, ofType(resources, "aws:iam/role:Role").find(r => r.name === "standby-lbc-role")!.outputs!.arn);
    });

    it("outputs endpoints, names, the strategy and its objectives; kubeconfigs only as secrets", async () => {
        const outputs = run.outputs;
        assert.strictEqual(outputs.strategy, "warm-standby");
        assert.strictEqual(outputs.activeRegion, SEOUL);
        assert.strictEqual(outputs.appUrl, "https://app.portforge.example.com");
        assert.deepStrictEqual(outputs.recoveryObjectives.rtoMinutes, { min: 11.5, max: 20.5 });
        assert.deepStrictEqual(outputs.recoveryObjectives.rpoSeconds, { min: 1, max: 5 });
        assert.strictEqual(outputs.recoveryObjectives.detectionSeconds, 30 * 3 + 60);
        assert.match(await valueOf(outputs.primaryDatabaseEndpoint), new RegExp(`\\.${SEOUL}\\.rds\\.amazonaws\\.com:3306$`));
        assert.match(await valueOf(outputs.standbyDatabaseEndpoint), new RegExp(`\\.${TOKYO}\\.rds\\.amazonaws\\.com:3306$`));
        assert.ok(await valueOf(outputs.standbyClusterName));
        for (const kubeconfig of [outputs.primaryKubeconfig, outputs.standbyKubeconfig]) {
            assert.strictEqual(await pulumi.isSecret(kubeconfig), true);
            const parsed = JSON.parse(await valueOf(kubeconfig));
            assert.deepStrictEqual(parsed.users[0].user.exec.args.slice(0, 2), ["eks", "get-token"]);
        }
        assert.deepStrictEqual(Object.keys(outputs.tables).sort(), ["chat_rooms_ddb", "team_chats_ddb"]);
        assert.ok(await valueOf(outputs.buckets["portforge-team"].standby!));
    });

    it("declares every stateful resource protected", () => {
        const stateful = [T.db, T.table, T.bucket, "aws:kms/key:Key"];
        const unprotected = cloudResources(resources)
            .filter(r => stateful.includes(r.type) && !r.protect)
            .filter(r => !/-(secrets|alerts)-key$/.test(r.name));
        assert.deepStrictEqual(unprotected.map(r => r.name), []);
    });
});

describe("program: warm-standby with failover=true", () => {
    let normal: ProgramRun<WarmStandbyOutputs>;
    let failover: ProgramRun<WarmStandbyOutputs>;
    before(async () => {
        normal = await runWarmStandby();
        failover = await runWarmStandby({ "multicloud-dr:failover": true });
    });

    it("promotes the Tokyo replica: no replicateSourceDb", () => {
        const replica = named(failover.resources, T.db, "standby-mysql");
        assert.strictEqual(replica.inputs.replicateSourceDb, undefined);
        assert.strictEqual(replica.inputs.deletionProtection, true);
        assert.strictEqual(failover.outputs.standbyDatabaseRole, "promoted");
        assert.strictEqual(failover.outputs.activeRegion, TOKYO);
    });

    it("grows the Tokyo node group to 4 and leaves Seoul's alone", () => {
        assert.strictEqual(named(failover.resources, T.nodeGroup, "standby-nodes").inputs.scalingConfig.desiredSize, 4);
        assert.strictEqual(named(failover.resources, T.nodeGroup, "primary-nodes").inputs.scalingConfig.desiredSize, 2);
    });

    it("keeps every resource under the same identity, changing only the replica (promoted, Multi-AZ, final snapshot kept) and Tokyo's node count", () => {
        const key = (r: DeclaredResource) => r.urn;
        assert.deepStrictEqual(failover.resources.map(key).sort(), normal.resources.map(key).sort(), "no resource added or removed");
        const changed: string[] = [];
        for (const before of normal.resources) {
            const after = failover.resources.find(r => r.urn === before.urn)!;
            const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
            for (const input of keys) {
                if (JSON.stringify(before.inputs[input]) !== JSON.stringify(after.inputs[input])) {
                    changed.push(`${before.name}.${input}`);
                }
            }
        }
        assert.deepStrictEqual([...new Set(changed)].sort(), [
            "standby-mysql.applyImmediately", "standby-mysql.finalSnapshotIdentifier", "standby-mysql.multiAz",
            "standby-mysql.replicateSourceDb", "standby-mysql.skipFinalSnapshot", "standby-nodes.scalingConfig",
        ]);
    });

    it("tells the workloads project that Tokyo took over: role active, writable; Seoul's entry unchanged", async () => {
        const [before, after] = [await valueOf(normal.outputs.workloadSites.standby!), await valueOf(failover.outputs.workloadSites.standby!)] as WorkloadSite[];
        assert.deepStrictEqual([after.role, after.failover, after.settings.DB_READ_ONLY], ["active", true, "false"]);
        assert.deepStrictEqual({ ...after, role: before.role, failover: before.failover, settings: { ...after.settings, DB_READ_ONLY: "true" } }, before);
        const primaryBefore = await valueOf(normal.outputs.workloadSites.primary!) as WorkloadSite;
        const primaryAfter = await valueOf(failover.outputs.workloadSites.primary!) as WorkloadSite;
        assert.deepStrictEqual({ ...primaryAfter, failover: false }, primaryBefore, "Seoul's settings never depend on failover");
    });
});

describe("program: invalid warm-standby config", () => {
    for (const [overrides, pattern] of [
        [{ "multicloud-dr:strategy": "bogus" }, /multicloud-dr:strategy "bogus" is not a known strategy/],
        [{ "multicloud-dr:standbyCidr": "10.10.0.0/16" }, /multicloud-dr:standbyCidr 10\.10\.0\.0\/16 overlaps primaryCidr/],
        [{ "multicloud-dr:standbyRegion": SEOUL, "multicloud-dr:standbyNodeCount": 500 }, /2 problems[\s\S]*standbyRegion[\s\S]*standbyNodeCount/],
        [{ "multicloud-dr:hostedZoneId": undefined }, /multicloud-dr:hostedZoneId is required: the public hosted zone portforge\.example\.com is delegated to/],
        [{ "multicloud-dr:imageTag": "v2" }, /multicloud-dr:imageTag moved to the workloads project: `pulumi -C workloads config set imageTag <tag>`/],
        [{ "multicloud-dr:standbyOrigin": "tokyo-lb.portforge.example.com" }, /multicloud-dr:standbyOrigin is replaced by the program's own load balancer/],
    ] as [Record<string, unknown>, RegExp][]) {
        it(`fails with ${pattern} and declares nothing`, async () => {
            await assert.rejects(runWarmStandby(overrides), (error: Error) => {
                assert.ok(error instanceof ProgramFailure, String(error));
                assert.match(error.message, pattern);
                assert.strictEqual(error.cause.name, "ConfigError");
                assert.deepStrictEqual(error.declared, []);
                return true;
            });
        });
    }
});
