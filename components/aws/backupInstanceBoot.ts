import * as fs from "fs";
import * as path from "path";

/** What the backup instance needs to know at boot; none of it is secret. */
export interface BackupInstanceBoot {
    readonly region: string;
    /** Secrets Manager secret holding `DR_BLOB_SAS` and `DR_MYSQL_PASSWORD` as a JSON map. */
    readonly secretArn: string;
    /** `s3://bucket/key` of the bundled backup tool. */
    readonly artifactUri: string;
    /** Non-secret agent settings, written to the agent's env file. */
    readonly settings: Record<string, string>;
    /** Hours RDS should keep binlogs (the post-create step sets it on every boot). */
    readonly binlogRetentionHours: number;
}

/** Where things live on the instance: the packaged agent unit's own paths (backup/packaging/INSTALL.md). */
export const BACKUP_PATHS = {
    tool: "/opt/mysql-dr/mysql-dr.js",
    config: "/etc/mysql-dr/agent.env",
    sas: "/etc/mysql-dr/agent.sas",
    mysqlPassword: "/etc/mysql-dr/agent.mysql-password",
    fetchSecret: "/usr/local/sbin/mysql-dr-fetch-secret",
    binlogRetention: "/usr/local/sbin/mysql-dr-binlog-retention",
} as const;

/** The systemd unit the backup package ships; the instance installs it unchanged. */
export const PACKAGED_AGENT_UNIT = path.resolve(__dirname, "..", "..", "backup", "packaging", "mysql-dr-agent.service");

/** MySQL's own yum repository: RDS MySQL 8.4 needs MySQL's mysqlbinlog and caching_sha2_password support. */
export const MYSQL_REPO_RPM = "https://dev.mysql.com/get/mysql84-community-release-el9-1.noarch.rpm";

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The instance's user data: installs the MySQL client tools and Node.js, fetches the bundled tool
 * from S3, installs the packaged agent unit, and adds two units before it: one that copies the
 * secret settings from Secrets Manager into the root-only credential files the agent unit loads,
 * and one that sets RDS binlog retention (the post-create step). The secret's value never
 * appears here.
 */
export function backupInstanceUserData(boot: BackupInstanceBoot, agentUnit: string = fs.readFileSync(PACKAGED_AGENT_UNIT, "utf8")): string {
    const settings = Object.entries(boot.settings).map(([key, value]) => `${key}=${value}`).join("\n");
    return `#!/bin/bash
set -euo pipefail
dnf install -y ${MYSQL_REPO_RPM}
dnf install -y mysql-community-client nodejs20 jq awscli-2
id mysql-dr >/dev/null 2>&1 || useradd --system --home /var/lib/mysql-dr --shell /usr/sbin/nologin mysql-dr
install -d -m 0755 /opt/mysql-dr
install -d -m 0750 -g mysql-dr /etc/mysql-dr
aws s3 cp --region ${boot.region} ${shellQuote(boot.artifactUri)} ${BACKUP_PATHS.tool}

cat > ${BACKUP_PATHS.config} <<'SETTINGS'
${settings}
SETTINGS
chown root:mysql-dr ${BACKUP_PATHS.config}
chmod 0640 ${BACKUP_PATHS.config}

cat > ${BACKUP_PATHS.fetchSecret} <<'FETCH'
#!/bin/bash
# The agent unit loads these files as systemd credentials; only root can read them.
set -euo pipefail
umask 077
secret=$(aws secretsmanager get-secret-value --region ${boot.region} --secret-id ${shellQuote(boot.secretArn)} --query SecretString --output text)
printf '%s' "$(jq -r .DR_BLOB_SAS <<<"$secret")" > ${BACKUP_PATHS.sas}.tmp && mv ${BACKUP_PATHS.sas}.tmp ${BACKUP_PATHS.sas}
printf '%s' "$(jq -r .DR_MYSQL_PASSWORD <<<"$secret")" > ${BACKUP_PATHS.mysqlPassword}.tmp && mv ${BACKUP_PATHS.mysqlPassword}.tmp ${BACKUP_PATHS.mysqlPassword}
FETCH
chmod 0700 ${BACKUP_PATHS.fetchSecret}

cat > ${BACKUP_PATHS.binlogRetention} <<'RETENTION'
#!/bin/bash
# RDS keeps no binlogs unless told to; without them a paused agent could not resume without a gap.
set -euo pipefail
set -a; . ${BACKUP_PATHS.config}; set +a
MYSQL_PWD="$(cat ${BACKUP_PATHS.mysqlPassword})" exec mysql --ssl-mode=REQUIRED -h "$DR_MYSQL_HOST" -P "\${DR_MYSQL_PORT:-3306}" -u "$DR_MYSQL_USER" \\
  -e "CALL mysql.rds_set_configuration('binlog retention hours', ${boot.binlogRetentionHours})"
RETENTION
chmod 0700 ${BACKUP_PATHS.binlogRetention}

cat > /etc/systemd/system/mysql-dr-secret.service <<'UNIT'
[Unit]
Description=Copy mysql-dr secret settings from Secrets Manager into credential files
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${BACKUP_PATHS.fetchSecret}
Restart=on-failure
RestartSec=30
UNIT

cat > /etc/systemd/system/mysql-dr-binlog-retention.service <<'UNIT'
[Unit]
Description=Keep RDS binlogs for ${boot.binlogRetentionHours} hours so the agent can resume without a gap
Requires=mysql-dr-secret.service
After=mysql-dr-secret.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${BACKUP_PATHS.binlogRetention}
Restart=on-failure
RestartSec=60
UNIT

cat > /etc/systemd/system/mysql-dr-agent.service <<'UNIT'
${agentUnit.trimEnd()}
UNIT
install -d /etc/systemd/system/mysql-dr-agent.service.d
cat > /etc/systemd/system/mysql-dr-agent.service.d/secrets.conf <<'UNIT'
[Unit]
Requires=mysql-dr-secret.service
After=mysql-dr-secret.service mysql-dr-binlog-retention.service
UNIT

systemctl daemon-reload
systemctl enable --now mysql-dr-binlog-retention.service mysql-dr-agent.service
`;
}
