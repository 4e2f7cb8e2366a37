import * as assert from "assert";
import { drBackupShippingMeetsRpo } from "../../../policies/rules";
import { changed, evaluate, findings, resource, UNKNOWN_STRING } from "../harness";

const container = resource("azure-native:storage:BlobContainer", "drbackups-container", { accountName: "drbackups1", containerName: "mysql-backups", publicAccess: "None" });

function userData(settings: string): string {
    return [
        "#!/bin/bash",
        "cat > /etc/mysql-dr/agent.env <<'SETTINGS'",
        "DR_MYSQL_HOST=primary.rds.amazonaws.com",
        "DR_DATABASES=petclinic",
        settings,
        "SETTINGS",
        "systemctl enable --now mysql-dr-agent.service",
    ].join("\n");
}
const agentSettings = "DR_BLOB_CONTAINER_URL=https://drbackups1.blob.core.windows.net/mysql-backups\nDR_FULL_BACKUP_INTERVAL=24h";
const agent = resource("aws:ec2/instance:Instance", "backup-agent", { instanceType: "t3.small", userData: userData(agentSettings) });

describe("policy dr-backup-shipping-meets-rpo", () => {
    it("accepts an agent shipping to the container with the agent's defaults (200 ms + 30 s within 5 min, dumps daily)", async () => {
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, agent]), []);
    });

    it("reports a backup container nobody ships to", async () => {
        const elsewhere = changed(agent, { userData: userData("DR_BLOB_CONTAINER_URL=https://otheraccount.blob.core.windows.net/mysql-backups") });
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, elsewhere]), [
            "drbackups-container: backup container mysql-backups has no backup agent: no instance's settings point DR_BLOB_CONTAINER_URL at it, so nothing is backed up and the RPO is unbounded",
        ]);
    });

    it("reports an agent that may lag past the RPO", async () => {
        const slow = changed(agent, { userData: userData(`${agentSettings}\nDR_STALL_TIMEOUT=10m`) });
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, slow]), [
            "backup-agent: backup agent backup-agent can fall 10 min behind before it reacts (DR_SHIP_INTERVAL 200ms + DR_STALL_TIMEOUT 10m); the RPO target is 300 s",
        ]);
    });

    it("reads the RPO from config", async () => {
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, agent], { rpoSeconds: 5 }), [
            "backup-agent: backup agent backup-agent can fall 30.2 s behind before it reacts (DR_SHIP_INTERVAL 200ms + DR_STALL_TIMEOUT 30s); the RPO target is 5 s",
        ]);
    });

    it("reports full dumps further apart than allowed", async () => {
        const weekly = changed(agent, { userData: userData(agentSettings.replace("24h", "7d")) });
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, weekly]), [
            "backup-agent: backup agent backup-agent takes a full dump every 7d; at most every 24 h keeps the binlog replay of a restore bounded",
        ]);
    });

    it("reports a setting the agent cannot read", async () => {
        const typo = changed(agent, { userData: userData(`${agentSettings}\nDR_SHIP_INTERVAL=fast`) });
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, typo]), [
            "backup-agent: backup agent backup-agent sets DR_SHIP_INTERVAL=fast, which is not a duration the agent reads (e.g. 200ms, 30s, 24h)",
        ]);
    });

    it("reads base64 user data too", async () => {
        const encoded = changed(agent, { userData: undefined, userDataBase64: Buffer.from(userData(`${agentSettings}\nDR_STALL_TIMEOUT=10m`)).toString("base64") });
        assert.deepStrictEqual((await findings(drBackupShippingMeetsRpo, [container, encoded])).length, 1);
    });

    it("reads the settings from the SSM document that configures the backup instance in place", async () => {
        const put = (settings: string) => `if put /etc/mysql-dr/agent.env 0640 root:mysql-dr '${Buffer.from(`${settings}\n`).toString("base64")}'; then owe mysql-dr-agent.service; fi`;
        const document = (settings: string) => resource("aws:ssm/document:Document", "backup-agent-tool-install", {
            documentType: "Command",
            content: JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "install", inputs: { runCommand: ["#!/bin/bash", put(settings), "systemctl enable mysql-dr-agent.service"] } }] }),
        });
        const bare = changed(agent, { userData: "#!/bin/bash\ndnf install -y jq" });
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, bare, document(agentSettings)]), []);
        assert.deepStrictEqual((await findings(drBackupShippingMeetsRpo, [container, bare, document(`${agentSettings}\nDR_STALL_TIMEOUT=10m`)])).length, 1);
        assert.match((await findings(drBackupShippingMeetsRpo, [container, bare]))[0], /backup container mysql-backups has no backup agent/);
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, bare, changed(document(agentSettings), { content: UNKNOWN_STRING })]), [], "skipped while unknown");
    });

    it("skips while an instance's user data is unknown at preview", async () => {
        assert.deepStrictEqual(await findings(drBackupShippingMeetsRpo, [container, changed(agent, { userData: UNKNOWN_STRING })]), []);
    });

    it("is not applicable to a stack without a backup container", async () => {
        const evaluation = await evaluate(drBackupShippingMeetsRpo, [agent]);
        assert.deepStrictEqual(evaluation.notApplicable.map(n => n.reason), ["The stack declares no backup container"]);
    });
});
