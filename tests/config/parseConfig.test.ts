import * as assert from "assert";
import { ConfigError, KNOWN_KEYS, parseConfig } from "../../config";
import { DEFAULT_KUBERNETES_VERSION } from "../../config/defaults";
import { eksSupportStatus } from "../../config/eksVersions";
import { projectValues, stackFileConfig } from "../../plan/stackFiles";
import { WORKLOADS_KNOWN_KEYS } from "../../workloads/config";

const warmStandby = stackFileConfig("warm-standby");
/** The day these tests pin for Kubernetes version support (config/eksVersions.ts was read then). */
const DECEMBER_2_2026 = new Date("2026-12-02T12:00:00Z");

/** Parses the warm-standby stack file with overrides; returns the error it throws. */
function problemsWith(overrides: Record<string, unknown>, base = warmStandby): ConfigError {
    try {
        parseConfig(projectValues(base, overrides), DECEMBER_2_2026);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        return error;
    }
    assert.fail(`config ${JSON.stringify(overrides)} was accepted`);
}

describe("config: parseConfig", () => {
    it("accepts the short key attribute names DynamoDB allows (id, pk: 1-255 characters) and valid alert endpoints", () => {
        const config = parseConfig(projectValues(warmStandby, {
            tables: [{ name: "orders", hashKey: "id", rangeKey: "pk" }],
            alertSubscriptions: [{ protocol: "email", endpoint: "oncall@example.com" }, { protocol: "sms", endpoint: "+821012345678" }],
        }), DECEMBER_2_2026);
        assert.deepStrictEqual(config.tables.map(t => [t.hashKey, t.rangeKey]), [["id", "pk"]]);
        assert.strictEqual(config.alertSubscriptions.length, 2);
    });

    it("reads the warm-standby stack file into the seed's design", () => {
        const config = parseConfig(projectValues(warmStandby));
        assert.strictEqual(config.strategy, "warm-standby");
        assert.strictEqual(config.failover, false);
        assert.deepStrictEqual(config.primary, {
            region: "ap-northeast-2",
            cidr: "10.10.0.0/16",
            availabilityZones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
            natMode: "per-az",
        });
        assert.deepStrictEqual(config.standby, {
            region: "ap-northeast-1",
            cidr: "10.20.0.0/16",
            availabilityZones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
            natMode: "single",
        });
        assert.strictEqual(config.kubernetes.instanceType, "t3.large");
        assert.deepStrictEqual(
            [config.kubernetes.primaryNodeCount, config.kubernetes.standbyNodeCount, config.kubernetes.failoverNodeCount],
            [2, 2, 4]);
        assert.strictEqual(config.database.instanceClass, "db.t3.micro");
        assert.strictEqual(config.database.backupRetentionDays, 7);
        assert.deepStrictEqual(config.tables.map(t => t.name), ["team_chats_ddb", "chat_rooms_ddb"]);
        assert.deepStrictEqual(config.buckets, ["portforge-team", "portforge-log", "portforge-front"]);
        assert.deepStrictEqual(config.services, ["ai", "auth", "project", "support", "team"]);
        assert.strictEqual(config.dns?.healthCheckFailureThreshold, 3);
        assert.strictEqual(config.dns?.ttlSeconds, 60);
        assert.deepStrictEqual(config.tags, { service: "portforge" });
    });

    it("fills every default when only the strategy, DNS and cluster admins are given", () => {
        const config = parseConfig({
            strategy: "warm-standby",
            domainName: "example.org",
            hostedZoneId: "Z0123456789ABC",
            clusterAdminArns: JSON.stringify(["arn:aws:iam::123456789012:role/platform-admin"]),
        }, DECEMBER_2_2026);
        assert.strictEqual(config.primary.region, "ap-northeast-2");
        assert.strictEqual(config.standby?.cidr, "10.20.0.0/16");
        assert.strictEqual(config.protectData, true);
        assert.strictEqual(config.database.engineVersion, "8.4");
        assert.strictEqual(config.database.standbyInstanceClass, "db.t3.micro");
        assert.strictEqual(config.bucketReplicationTimeControl, true);
        assert.strictEqual(config.dns?.recordName, "app");
        assert.strictEqual(config.dns?.healthCheckIntervalSeconds, 30);
        assert.strictEqual(config.dns?.healthCheckProtocol, "HTTPS");
        assert.deepStrictEqual(config.kubernetes.publicAccessCidrs, []);
        assert.deepStrictEqual(config.kubernetes.adminPrincipalArns, ["arn:aws:iam::123456789012:role/platform-admin"]);
        assert.strictEqual(config.kubernetes.version, DEFAULT_KUBERNETES_VERSION);
        assert.strictEqual(config.kubernetes.extendedSupport, false);
        assert.strictEqual(config.entryService, "ai", "the first service answers every unclaimed path");
        assert.deepStrictEqual(config.workloads, { namespace: "portforge", serviceAccountName: "portforge-app" });
        assert.strictEqual(config.dns?.hostedZoneId, "Z0123456789ABC");
    });

    it("defaults to a Kubernetes version in EKS standard support (1.33 left it on 2026-07-29, 1.34 on 2026-12-02)", () => {
        assert.strictEqual(eksSupportStatus(DEFAULT_KUBERNETES_VERSION, DECEMBER_2_2026), "standard");
        assert.strictEqual(eksSupportStatus("1.34", DECEMBER_2_2026), "extended");
        assert.strictEqual(eksSupportStatus("1.33", DECEMBER_2_2026), "extended");
        assert.strictEqual(eksSupportStatus("1.33", new Date("2026-07-28T23:00:00Z")), "standard");
        assert.strictEqual(eksSupportStatus("1.29", DECEMBER_2_2026), "ended");
        assert.strictEqual(eksSupportStatus("1.37", DECEMBER_2_2026), "standard", "a release newer than the table");
    });

    it("accepts a version past standard support only with kubernetesExtendedSupport", () => {
        const config = parseConfig(projectValues(warmStandby, { kubernetesVersion: "1.33", kubernetesExtendedSupport: true }), DECEMBER_2_2026);
        assert.deepStrictEqual([config.kubernetes.version, config.kubernetes.extendedSupport], ["1.33", true]);
        const error = problemsWith({ kubernetesVersion: "1.33" });
        assert.deepStrictEqual(error.problems.map(p => p.key), ["kubernetesVersion"]);
        assert.match(error.problems[0].message, /^1\.33 left EKS standard support on 2026-07-29: its clusters are billed extended support \(\$0\.60 instead of \$0\.10 per cluster-hour\).*kubernetesExtendedSupport: true/);
    });

    it("says where each workload key went, and that the origins are the program's own load balancers now", () => {
        const error = problemsWith({ imageTag: "v1", deployWorkloads: false, serviceReplicas: 3, standbyServiceReplicas: 1, primaryOrigin: "a.example.org", standbyOrigin: "b.example.org" });
        const byKey = Object.fromEntries(error.problems.map(p => [p.key, p.message]));
        assert.deepStrictEqual(Object.keys(byKey).sort(), ["deployWorkloads", "imageTag", "primaryOrigin", "serviceReplicas", "standbyOrigin", "standbyServiceReplicas"]);
        assert.match(byKey.imageTag, /^moved to the workloads project: `pulumi -C workloads config set imageTag <tag>` on each workloads stack/);
        assert.match(byKey.serviceReplicas, /`pulumi -C workloads config set replicas <n>`/);
        assert.match(byKey.standbyServiceReplicas, /`pulumi -C workloads config set standbyReplicas <n>`/);
        // Every key a message tells the user to set must be one the workloads project reads.
        for (const message of Object.values(byKey)) {
            for (const [, key] of message.matchAll(/pulumi -C workloads config set (\w+)/g)) {
                assert.ok(WORKLOADS_KNOWN_KEYS.includes(key), `${key} is not a workloads config key`);
            }
        }
        assert.match(byKey.deployWorkloads, /never deploys workloads/);
        assert.match(byKey.primaryOrigin, /each AWS site now gets an ALB/);
        assert.ok(error.message.includes("multicloud-dr:imageTag moved to the workloads project"), error.message);
    });

    it("reads the pilot-light stack file: no AWS standby, Azure in Korea Central, backups kept write-once", () => {
        const config = parseConfig(projectValues(stackFileConfig("pilot-light")));
        assert.strictEqual(config.strategy, "pilot-light");
        assert.strictEqual(config.standby, undefined);
        assert.strictEqual(config.emergency, false);
        assert.strictEqual(config.dns?.hostedZoneId, "Z0123456789ABCDEFGHIJ");
        assert.strictEqual(config.entryService, "web");
        assert.deepStrictEqual(
            { location: config.azure?.location, cidr: config.azure?.cidr, serveApp: config.azure?.serveApp, vmSize: config.azure?.vmSize },
            { location: "koreacentral", cidr: "10.30.0.0/16", serveApp: false, vmSize: "Standard_B1s" });
        assert.deepStrictEqual(
            [config.backup?.containerName, config.backup?.immutabilityDays, config.backup?.coolAfterDays, config.backup?.deleteAfterDays],
            ["mysql-backups", 7, 7, 37]);
        assert.ok(Date.parse(config.backup!.sasExpiry) > Date.now() + 365 * 24 * 3600 * 1000 - 1, "SAS tokens last at least a year");
    });

    it("has no Azure or backup settings on warm standby", () => {
        const config = parseConfig(projectValues(warmStandby));
        assert.strictEqual(config.azure, undefined);
        assert.strictEqual(config.backup, undefined);
    });

    it("refuses an expired or malformed SAS expiry and a past date", () => {
        const pilot = stackFileConfig("pilot-light");
        assert.match(problemsWith({ backupSasExpiry: "2020-01-01T00:00:00Z" }, pilot).message, /backupSasExpiry 2020-01-01T00:00:00Z is in the past/);
        assert.match(problemsWith({ backupSasExpiry: "next year" }, pilot).message, /"next year" is not an ISO 8601 UTC date/);
    });

    const cases: { name: string; overrides: Record<string, unknown>; key: string; pattern: RegExp }[] = [
        { name: "an unknown strategy", overrides: { strategy: "bogus" }, key: "strategy", pattern: /"bogus" is not a known strategy; choose one of warm-standby, pilot-light/ },
        { name: "a missing strategy", overrides: { strategy: undefined }, key: "strategy", pattern: /is required: choose a strategy/ },
        { name: "overlapping CIDRs", overrides: { standbyCidr: "10.10.0.0/16" }, key: "standbyCidr", pattern: /10\.10\.0\.0\/16 overlaps primaryCidr 10\.10\.0\.0\/16/ },
        { name: "a standby block inside the primary's", overrides: { standbyCidr: "10.10.128.0/20" }, key: "standbyCidr", pattern: /overlaps primaryCidr/ },
        { name: "the same region twice", overrides: { standbyRegion: "ap-northeast-2" }, key: "standbyRegion", pattern: /same region as primaryRegion/ },
        { name: "a malformed CIDR", overrides: { primaryCidr: "10.10.0/16" }, key: "primaryCidr", pattern: /is not an IPv4 CIDR block/ },
        { name: "a CIDR with host bits", overrides: { primaryCidr: "10.10.5.0/16" }, key: "primaryCidr", pattern: /host bits set/ },
        { name: "a VPC too small for the layout", overrides: { primaryCidr: "10.10.0.0/24" }, key: "primaryCidr", pattern: /must be \/16 to \/22/ },
        { name: "a node count of zero", overrides: { standbyNodeCount: 0 }, key: "standbyNodeCount", pattern: /0 is out of range; allowed 1-100/ },
        { name: "a node count that is not a number", overrides: { primaryNodeCount: "two" }, key: "primaryNodeCount", pattern: /"two" is not a whole number/ },
        { name: "failover smaller than standby", overrides: { failoverNodeCount: 1 }, key: "failoverNodeCount", pattern: /below standbyNodeCount 2/ },
        { name: "a max below the failover size", overrides: { maxNodeCount: 3 }, key: "maxNodeCount", pattern: /3 is below the largest node count in use \(4\)/ },
        { name: "backups shorter than a week", overrides: { dbBackupRetentionDays: 3 }, key: "dbBackupRetentionDays", pattern: /3 is out of range; allowed 7-35/ },
        { name: "a non-boolean flag", overrides: { failover: "yes" }, key: "failover", pattern: /"yes" is not a boolean/ },
        { name: "a TTL above a minute", overrides: { dnsTtlSeconds: 300 }, key: "dnsTtlSeconds", pattern: /out of range; allowed 1-60/ },
        { name: "a health-check interval Route 53 lacks", overrides: { healthCheckIntervalSeconds: 20 }, key: "healthCheckIntervalSeconds", pattern: /"20" is not one of 10, 30/ },
        { name: "a world-open API endpoint", overrides: { clusterPublicAccessCidrs: ["0.0.0.0/0"] }, key: "clusterPublicAccessCidrs", pattern: /whole internet/ },
        { name: "a zone of another region", overrides: { standbyAvailabilityZones: ["ap-northeast-1a", "ap-northeast-2b"] }, key: "standbyAvailabilityZones", pattern: /"ap-northeast-2b" is not a zone of standbyRegion ap-northeast-1/ },
        { name: "a region without known zones", overrides: { standbyRegion: "eu-central-1" }, key: "standbyAvailabilityZones", pattern: /no default zones are known for eu-central-1/ },
        { name: "duplicate buckets", overrides: { buckets: ["a-logs", "a-logs"] }, key: "buckets", pattern: /lists a-logs more than once/ },
        { name: "a table without a hash key", overrides: { tables: [{ name: "orders" }] }, key: "tables", pattern: /item 0\.hashKey is required/ },
        { name: "a missing hosted zone", overrides: { hostedZoneId: undefined }, key: "hostedZoneId", pattern: /^is required: the public hosted zone portforge\.example\.com is delegated to\. ACM validates/ },
        { name: "an assumed-role session as cluster admin", overrides: { clusterAdminArns: ["arn:aws:sts::123456789012:assumed-role/dr-operator/alice"] }, key: "clusterAdminArns", pattern: /is an assumed-role session.*list the role itself: arn:aws:iam::123456789012:role\/dr-operator/ },
        { name: "an account root as cluster admin", overrides: { clusterAdminArns: ["arn:aws:iam::123456789012:root"] }, key: "clusterAdminArns", pattern: /is not an IAM role or user ARN/ },
        { name: "the same admin twice in different case", overrides: { clusterAdminArns: ["arn:aws:iam::123456789012:role/Ops", "arn:aws:iam::123456789012:role/ops"] }, key: "clusterAdminArns", pattern: /twice \(IAM names ignore case\)/ },
        { name: "a Kubernetes version older than the calendar", overrides: { kubernetesVersion: "1.28", kubernetesExtendedSupport: true }, key: "kubernetesVersion", pattern: /1\.28 is not offered by EKS/ },
        { name: "a Kubernetes version past extended support", overrides: { kubernetesVersion: "1.29", kubernetesExtendedSupport: true }, key: "kubernetesVersion", pattern: /^1\.29 left EKS extended support on 2026-03-23: EKS no longer runs it/ },
        { name: "an entry service that is not a service", overrides: { entryService: "billing" }, key: "entryService", pattern: /"billing" is not one of services/ },
        { name: "a service name too long for a target group", overrides: { services: ["notifications-gateway"] }, key: "services", pattern: /longer than 13 characters/ },
        { name: "a health-check port the entry point does not listen on", overrides: { healthCheckPort: 8443 }, key: "healthCheckPort", pattern: /8443 is not where the entry point answers HTTPS.*use 443/ },
        { name: "a missing domain on warm standby", overrides: { domainName: undefined }, key: "domainName", pattern: /is required for warm-standby/ },
        { name: "no cluster admin (nobody could reach the clusters)", overrides: { clusterAdminArns: undefined }, key: "clusterAdminArns", pattern: /^is required: list at least one IAM role or user ARN/ },
        { name: "an empty cluster admin list", overrides: { clusterAdminArns: [] }, key: "clusterAdminArns", pattern: /^is required: list at least one IAM role or user ARN/ },
        { name: "a mistyped key", overrides: { failvoer: "true" }, key: "failvoer", pattern: /is not a setting of this program; did you mean failover\?/ },
        { name: "an alert subscription with a bad protocol", overrides: { alertSubscriptions: [{ protocol: "slack", endpoint: "x" }] }, key: "alertSubscriptions", pattern: /"slack" is not one of email, https, sms/ },
    ];
    for (const testCase of cases) {
        it(`refuses ${testCase.name}, naming ${testCase.key}`, () => {
            const error = problemsWith(testCase.overrides);
            const problem = error.problems.find(p => p.key === testCase.key);
            assert.ok(problem, `no problem for ${testCase.key}; got ${error.message}`);
            assert.match(problem.message, testCase.pattern);
            assert.ok(error.message.includes(`multicloud-dr:${testCase.key} `), error.message);
        });
    }

    it("says 'strategy' and 'overlap' in the message users read", () => {
        assert.match(problemsWith({ strategy: "bogus" }).message, /strategy/);
        assert.match(problemsWith({ standbyCidr: "10.10.0.0/16" }).message, /overlap/);
    });

    it("reports every problem at once, each under its own key", () => {
        const error = problemsWith({ strategy: "bogus", primaryCidr: "10.10.0/16", standbyNodeCount: 0, failvoer: "true", dnsTtlSeconds: 600 });
        assert.deepStrictEqual(
            error.problems.map(p => p.key).sort(),
            ["dnsTtlSeconds", "failvoer", "primaryCidr", "standbyNodeCount", "strategy"]);
        assert.match(error.message, /^Invalid stack configuration \(5 problems\); nothing was declared:/);
    });

    it("refuses failover on a strategy without an AWS standby", () => {
        const error = problemsWith({ failover: true }, stackFileConfig("pilot-light"));
        assert.deepStrictEqual(error.problems.map(p => p.key), ["failover"]);
        assert.match(error.problems[0].message, /strategy pilot-light has no AWS standby to fail over to; use emergency instead/);
    });

    it("refuses the emergency flag on warm standby", () => {
        const error = problemsWith({ emergency: true });
        assert.match(error.problems.find(p => p.key === "emergency")!.message, /only the pilot-light strategy has an emergency site/);
    });

    it("ignores standby CIDR overlap when the strategy has no standby", () => {
        const config = parseConfig(projectValues(stackFileConfig("pilot-light"), { standbyCidr: "10.10.0.0/16" }));
        assert.strictEqual(config.standby, undefined);
    });

    it("lists every key it reads, and every key in the stack files is one of them", () => {
        for (const stack of ["warm-standby", "pilot-light"]) {
            for (const key of Object.keys(projectValues(stackFileConfig(stack)))) {
                assert.ok(KNOWN_KEYS.includes(key), `${stack} sets unknown key ${key}`);
            }
        }
    });
});
