import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { BackupInstance, backupInstanceUserData, BACKUP_PATHS, PACKAGED_AGENT_UNIT } from "../../components/aws";
import { declare } from "../support/components";
import { named } from "../support/query";

describe("component: BackupInstance", () => {
    it("boots from user data that names the secret but never holds its value", async () => {
        const { resources } = await declare(() => new BackupInstance("agent", {
            region: "ap-northeast-2",
            vpcId: "vpc-1",
            subnetId: "subnet-private",
            instanceType: "t3.small",
            kmsKeyArn: "arn:aws:kms:ap-northeast-2:123456789012:key/k",
            artifact: new pulumi.asset.StringAsset("console.log('tool')"),
            secretSettings: { DR_MYSQL_PASSWORD: "TopSecretPassword!", DR_BLOB_SAS: "sv=x&sig=SecretSignature" },
            settings: { DR_MYSQL_HOST: "db.internal", DR_DATABASES: "app" },
            databaseCidrs: ["10.10.224.0/21"],
            binlogRetentionHours: 48,
        }));
        const instance = named(resources, "aws:ec2/instance:Instance", "agent");
        const userData: string = instance.inputs.userData;
        assert.ok(!userData.includes("TopSecretPassword") && !userData.includes("SecretSignature"));
        assert.match(userData, /DR_MYSQL_HOST=db\.internal/);
        assert.match(userData, /--secret-id 'arn:aws:secretsmanager:ap-northeast-2:\d{12}:secret:agent-settings-[0-9a-f]+'/);
        assert.match(userData, /binlog retention hours', 48/);
        assert.strictEqual(instance.inputs.ami, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "agent-sg");
        assert.deepStrictEqual(sg.inputs.egress.find((r: any) => r.fromPort === 3306).cidrBlocks, ["10.10.224.0/21"]);
    });

    it("installs the packaged agent unit unchanged and feeds its credential files from Secrets Manager", () => {
        const unit = fs.readFileSync(PACKAGED_AGENT_UNIT, "utf8");
        const text = backupInstanceUserData({ region: "ap-northeast-2", secretArn: "arn:s", artifactUri: "s3://b/k", settings: {}, binlogRetentionHours: 24 });
        assert.ok(text.includes(unit.trimEnd()), "the unit from backup/packaging, as shipped");
        for (const credential of [BACKUP_PATHS.sas, BACKUP_PATHS.mysqlPassword]) {
            assert.ok(unit.includes(`:${credential}`), `the packaged unit loads ${credential}`);
            assert.ok(text.includes(`> ${credential}.tmp && mv ${credential}.tmp ${credential}`), `user data writes ${credential}`);
        }
        assert.match(text, /umask 077/);
        assert.match(text, /mysql-dr-agent\.service\.d\/secrets\.conf/);
        assert.match(unit, /ProtectSystem=strict/);
    });
});
