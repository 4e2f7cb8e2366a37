import * as assert from "assert";
import { MysqlDatabase, PrimaryDatabaseArgs, ReplicaDatabaseArgs, parameterGroupFamily, validateMysqlDatabaseArgs } from "../../components/aws";
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
        assert.strictEqual(instance.inputs.finalSnapshotIdentifier, "db-final");
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
