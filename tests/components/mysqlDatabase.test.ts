import * as assert from "assert";
import {
    finalSnapshotIdentifier, MAX_SNAPSHOT_IDENTIFIER_LENGTH, MysqlDatabase, PrimaryDatabaseArgs, ReplicaDatabaseArgs, parameterGroupFamily,
    snapshotIdentifierProblems, validateMysqlDatabaseArgs,
} from "../../components/aws";
import { runProgram } from "../../plan/runOffline";
import { declare } from "../support/components";
import { named } from "../support/query";

const common = {
    region: "ap-northeast-2",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedCidrs: ["10.10.0.0/18"],
    instanceClass: "db.t3.micro",
    engineVersion: "8.4",
    kmsKeyArn: "arn:aws:kms:ap-northeast-2:123456789012:key/k",
    backupRetentionDays: 7,
};
const primary: PrimaryDatabaseArgs = {
    ...common, role: "primary", multiAz: true, databaseName: "app", username: "admin_user", password: "pw", allocatedStorageGb: 20, maxAllocatedStorageGb: 100,
};
const replica: ReplicaDatabaseArgs = {
    ...common, region: "ap-northeast-1", role: "replica", sourceDbArn: "arn:aws:rds:ap-northeast-2:123456789012:db:src", promoted: false,
};

describe("component: MysqlDatabase", () => {
    it("builds a primary with final snapshot, deletion protection and protect by default", async () => {
        const { resources, result } = await declare(() => new MysqlDatabase("db", primary));
        const instance = named(resources, "aws:rds/instance:Instance", "db-mysql");
        assert.strictEqual(instance.protect, true);
        assert.match(instance.inputs.finalSnapshotIdentifier, /^db-components-[a-z0-9]{8}-final$/);
        assert.strictEqual(instance.inputs.engineVersion, "8.4");
        assert.strictEqual(instance.inputs.copyTagsToSnapshot, true);
        assert.strictEqual(result.role, "primary");
        const params = named(resources, "aws:rds/parameterGroup:ParameterGroup", "db-params");
        assert.strictEqual(params.inputs.family, "mysql8.4");
        assert.deepStrictEqual(params.inputs.parameters.map((p: any) => `${p.name}=${p.value}`).sort(),
            ["binlog_format=ROW", "binlog_row_image=FULL", "require_secure_transport=1"]);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "db-sg");
        assert.deepStrictEqual(sg.inputs.ingress.map((r: any) => [r.fromPort, r.toPort, r.cidrBlocks]), [[3306, 3306, ["10.10.0.0/18"]]]);
    });

    it("builds a replica that names neither engine nor credentials, so promotion changes only its source", async () => {
        const { resources } = await declare(() => new MysqlDatabase("r", replica));
        const instance = named(resources, "aws:rds/instance:Instance", "r-mysql");
        assert.strictEqual(instance.inputs.replicateSourceDb, replica.sourceDbArn);
        for (const inherited of ["engine", "engineVersion", "username", "password", "dbName", "allocatedStorage"]) {
            assert.strictEqual(instance.inputs[inherited], undefined, inherited);
        }
        assert.strictEqual(instance.inputs.multiAz, false);
        const promoted = await declare(() => new MysqlDatabase("r", { ...replica, promoted: true }));
        assert.strictEqual(named(promoted.resources, "aws:rds/instance:Instance", "r-mysql").inputs.replicateSourceDb, undefined);
        assert.strictEqual(promoted.result.role, "promoted");
    });

    it("makes a promoted replica Multi-AZ in the same update, applied at once; a waiting replica stays single-AZ", async () => {
        const inputs = async (args: ReplicaDatabaseArgs) =>
            named((await declare(() => new MysqlDatabase("r", args))).resources, "aws:rds/instance:Instance", "r-mysql").inputs;
        const waiting = await inputs(replica);
        assert.deepStrictEqual([waiting.multiAz, waiting.applyImmediately], [false, undefined], "a waiting replica changes nothing before the maintenance window");
        const promoted = await inputs({ ...replica, promoted: true });
        assert.deepStrictEqual([promoted.replicateSourceDb, promoted.multiAz, promoted.applyImmediately], [undefined, true, true]);
        const singleZone = await inputs({ ...replica, promoted: true, promotedMultiAz: false });
        assert.strictEqual(singleZone.multiAz, false);
        const changed = [...new Set([...Object.keys(promoted), ...Object.keys(waiting)])].filter(key => JSON.stringify(promoted[key]) !== JSON.stringify(waiting[key])).sort();
        assert.deepStrictEqual(changed, ["applyImmediately", "finalSnapshotIdentifier", "multiAz", "replicateSourceDb", "skipFinalSnapshot"],
            "promotion touches nothing that replaces the instance (snapshot settings are state-only)");
    });

    it("lets a waiting replica be deleted (RDS refuses a final snapshot of a read replica); a promoted one keeps its final snapshot", async () => {
        const inputs = async (args: ReplicaDatabaseArgs) =>
            named((await declare(() => new MysqlDatabase("r", args))).resources, "aws:rds/instance:Instance", "r-mysql").inputs;
        const waiting = await inputs(replica);
        assert.deepStrictEqual([waiting.skipFinalSnapshot, waiting.finalSnapshotIdentifier], [true, undefined]);
        const promoted = await inputs({ ...replica, promoted: true });
        assert.strictEqual(promoted.skipFinalSnapshot, false);
        assert.match(promoted.finalSnapshotIdentifier, /^r-components-[a-z0-9]{8}-final$/);
    });

    it("names a final snapshot unique to the stack and the deploy, within RDS's identifier rules", async () => {
        const identifierIn = async (stack: string) => {
            const run = await runProgram(() => new MysqlDatabase("primary", primary), {}, stack);
            return named(run.resources, "aws:rds/instance:Instance", "primary-mysql").inputs.finalSnapshotIdentifier as string;
        };
        const [warm, pilot] = [await identifierIn("warm-standby"), await identifierIn("pilot-light")];
        assert.notStrictEqual(warm, pilot, "two stacks in one account must not name the same snapshot");
        assert.match(warm, /^primary-warm-standby-[a-z0-9]{8}-final$/);
        assert.match(pilot, /^primary-pilot-light-[a-z0-9]{8}-final$/);
        for (const identifier of [warm, pilot]) {
            assert.deepStrictEqual(snapshotIdentifierProblems(identifier), [], identifier);
        }
    });

    it("creates the random part once, with nothing that could change it on a later update", async () => {
        const { resources } = await declare(() => new MysqlDatabase("db", primary));
        const suffix = named(resources, "random:index/randomString:RandomString", "db-snapshot-suffix");
        assert.deepStrictEqual(suffix.inputs, { length: 8, upper: false, special: false });
        const identifier: string = named(resources, "aws:rds/instance:Instance", "db-mysql").inputs.finalSnapshotIdentifier;
        assert.ok(identifier.includes(`-${suffix.outputs?.result}-`), "the identifier carries the random part");
    });

    it("keeps awkward names and stacks within RDS's identifier rules", () => {
        const cases: [string, string][] = [
            ["primary", "prod"], ["1db", "stack"], ["db", "Prod_EU.west--2"], ["-x-", "_"], ["a".repeat(300), "b".repeat(300)],
        ];
        for (const [name, stack] of cases) {
            const identifier = finalSnapshotIdentifier(name, stack, "abc12345");
            assert.deepStrictEqual(snapshotIdentifierProblems(identifier), [], identifier);
            assert.ok(identifier.endsWith("-abc12345-final") && identifier.length <= MAX_SNAPSHOT_IDENTIFIER_LENGTH, identifier);
        }
        assert.strictEqual(finalSnapshotIdentifier("db", "Prod_EU.west--2", "abc12345"), "db-prod-eu-west-2-abc12345-final");
        assert.deepStrictEqual(snapshotIdentifierProblems("9-final-"), ["does not start with a letter", "ends with a hyphen"]);
        assert.deepStrictEqual(snapshotIdentifierProblems("db--x_y"), ["holds characters other than letters, digits and hyphens", "holds two consecutive hyphens"]);
    });

    it("can be left unprotected on request", async () => {
        const { resources } = await declare(() => new MysqlDatabase("db", { ...primary, protect: false }));
        assert.strictEqual(named(resources, "aws:rds/instance:Instance", "db-mysql").protect, false);
    });

    it("maps engine versions to parameter group families", () => {
        assert.strictEqual(parameterGroupFamily("8.0"), "mysql8.0");
        assert.strictEqual(parameterGroupFamily("8.4.6"), "mysql8.4");
        assert.strictEqual(parameterGroupFamily("5.7"), undefined);
    });

    it("refuses an internet-wide rule, short backups, an old engine and one subnet", () => {
        assert.deepStrictEqual(validateMysqlDatabaseArgs({ ...primary, allowedCidrs: ["0.0.0.0/0"], backupRetentionDays: 1, engineVersion: "5.7", subnetIds: ["s"] }), [
            "allowedCidrs: a database must not be reachable from the whole internet",
            "backupRetentionDays: 1 is outside 7-35",
            'engineVersion: "5.7" is not a MySQL 8 version',
            "subnetIds: RDS needs subnets in at least two zones",
        ]);
        assert.throws(() => new MysqlDatabase("bad", { ...primary, allowedCidrs: [] }), /MysqlDatabase bad: allowedCidrs: list the application networks/);
    });
});
