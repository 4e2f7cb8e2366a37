import * as assert from "assert";
import { X509Certificate } from "crypto";
import { parse } from "yaml";
import { backupAgentFiles, BACKUP_PATHS } from "../../components/aws";
import { rdsCaBundle } from "../../components/aws/rdsCaBundle";
import { appCloudInit, AZURE_MYSQL_CA_FILE } from "../../components/azure/emergencyBoot";
import { azureMysqlCaBundle } from "../../components/azure/mysqlCaBundle";
import { PilotLightOutputs } from "../../strategies";
import { APP_BOOT } from "../support/azureFixtures";
import { cloudResources, named } from "../support/query";
import { runStack } from "../support/stacks";

/** The common names of the certificates in a PEM bundle, in order. */
function commonNames(bundle: string): string[] {
    return bundle.split(/(?<=-----END CERTIFICATE-----)\n/).filter(pem => pem.includes("BEGIN CERTIFICATE"))
        .map(pem => /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(pem).subject)![1]);
}

describe("database TLS: the CAs each site verifies its MySQL server with", () => {
    it("gives the backup instance the RDS root CAs of its own region, current generation only", () => {
        assert.deepStrictEqual(commonNames(rdsCaBundle("ap-northeast-2")).sort(), [
            "Amazon RDS ap-northeast-2 Root CA ECC384 G1",
            "Amazon RDS ap-northeast-2 Root CA RSA2048 G1",
            "Amazon RDS ap-northeast-2 Root CA RSA4096 G1",
        ]);
        assert.throws(() => rdsCaBundle("xx-nowhere-1"), /no RDS root CA for xx-nowhere-1/);
    });

    it("installs that bundle with the agent's files and verifies RDS's identity in the binlog-retention call too", () => {
        const files = backupAgentFiles({
            region: "ap-northeast-2",
            secretArn: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:agent-settings-abc",
            settings: { DR_MYSQL_HOST: "db.internal", DR_DATABASES: "app" },
            binlogRetentionHours: 24,
        }, "[Unit]\n");
        const bundle = files.find(f => f.path === BACKUP_PATHS.rdsCaBundle);
        assert.ok(bundle, "the CA bundle is one of the association's files");
        assert.strictEqual(bundle.content, rdsCaBundle("ap-northeast-2"));
        assert.ok(bundle.restarts.includes("mysql-dr-agent.service"), "a new bundle restarts the agent");
        const retention = files.find(f => f.path === BACKUP_PATHS.binlogRetention)!.content;
        assert.match(retention, new RegExp(`mysql --ssl-mode=VERIFY_IDENTITY --ssl-ca=${BACKUP_PATHS.rdsCaBundle} `));
        assert.doesNotMatch(retention, /--ssl-mode=REQUIRED/, "REQUIRED encrypts without checking who answers");
    });

    it("points the pilot light's agent at RDS by its DNS name with that bundle", async () => {
        const run = await runStack<PilotLightOutputs>("pilot-light", {});
        const document = named(cloudResources(run.resources), "aws:ssm/document:Document", "backup-agent-tool-install").inputs.content as string;
        const script = (JSON.parse(document).mainSteps[0].inputs.runCommand as string[]).join("\n");
        const written = (file: string) => {
            const base64 = new RegExp(`put ${file} \\S+ \\S+ '([A-Za-z0-9+/=]+)'`).exec(script)?.[1];
            assert.ok(base64, `the association writes ${file}`);
            return Buffer.from(base64, "base64").toString("utf8");
        };
        const env = written(BACKUP_PATHS.config);
        assert.match(env, new RegExp(`^DR_MYSQL_SSL_CA=${BACKUP_PATHS.rdsCaBundle}$`, "m"));
        assert.match(env, /^DR_MYSQL_HOST=\S+\.rds\.amazonaws\.com$|^DR_MYSQL_HOST=[a-z][\w.-]+$/m, "a DNS name, which VERIFY_IDENTITY needs");
        assert.strictEqual(written(BACKUP_PATHS.rdsCaBundle), rdsCaBundle("ap-northeast-2"));
    });

    it("gives the emergency app VM Azure MySQL's root CAs and verifies the server in the restore and the application", () => {
        assert.deepStrictEqual(commonNames(azureMysqlCaBundle()), [
            "DigiCert Global Root G2",
            "Microsoft RSA Root Certificate Authority 2017",
            "DigiCert Global Root CA",
        ]);
        const text = appCloudInit({ ...APP_BOOT, mysqlHost: "emergency-mysql-abc.mysql.database.azure.com" });
        const files = new Map((parse(text).write_files as { path: string; content: string }[]).map(f => [f.path, f.content]));
        assert.strictEqual(files.get(AZURE_MYSQL_CA_FILE), azureMysqlCaBundle());
        assert.match(files.get("/etc/mysql-dr/restore.env")!, new RegExp(`^DR_TARGET_SSL_CA=${AZURE_MYSQL_CA_FILE}$`, "m"));
        assert.match(text, /jdbc:mysql:\/\/emergency-mysql-abc\.mysql\.database\.azure\.com:3306\/petclinic\?sslMode=VERIFY_IDENTITY/);
    });
});
