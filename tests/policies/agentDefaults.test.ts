import * as assert from "assert";
import { loadAgentConfig } from "../../backup/config/agent-config";
import { AGENT_DEFAULTS, parseAgentDuration } from "../../policies/lib/agentSettings";

describe("policy pack: the backup agent's defaults", () => {
    it("match what the agent itself applies when its settings omit them", () => {
        const config = loadAgentConfig({
            DR_MYSQL_HOST: "127.0.0.1",
            DR_MYSQL_USER: "backup",
            DR_MYSQL_PASSWORD: "secret",
            DR_MYSQL_SSL_MODE: "INSECURE_PLAINTEXT_LOOPBACK_ONLY",
            DR_DATABASES: "petclinic",
            DR_BLOB_CONTAINER_URL: "https://account.blob.core.windows.net/mysql-backups",
            DR_BLOB_SAS: "sv=2024-11-04&sp=acw&sig=abc",
        });
        assert.deepStrictEqual(
            [config.shipIntervalMs, config.stallTimeoutMs, config.fullBackupIntervalMs],
            [AGENT_DEFAULTS.DR_SHIP_INTERVAL, AGENT_DEFAULTS.DR_STALL_TIMEOUT, AGENT_DEFAULTS.DR_FULL_BACKUP_INTERVAL].map(parseAgentDuration),
        );
    });
});
