/** What the backup instance needs to know at boot; none of it is secret. */
export interface BackupInstanceBoot {
    readonly region: string;
    /** Secrets Manager secret holding the agent's secret settings as a JSON map of env names to values. */
    readonly secretArn: string;
    /** `s3://bucket/key` of the bundled backup tool. */
    readonly artifactUri: string;
    /** Non-secret agent settings, written to the agent's config file. */
    readonly settings: Record<string, string>;
    /** Hours RDS should keep binlogs (the post-create step sets it on every boot). */
    readonly binlogRetentionHours: number;
}

/** Where things live on the instance. */
export const BACKUP_PATHS = {
    tool: "/opt/mysql-dr/mysql-dr.js",
    config: "/etc/mysql-dr/agent.env",
    secretEnv: "/run/mysql-dr/secret.env",
    fetchSecret: "/usr/local/sbin/mysql-dr-fetch-secret",
    binlogRetention: "/usr/local/sbin/mysql-dr-binlog-retention",
    stateDir: "/var/lib/mysql-dr",
} as const;

/** MySQL's own yum repository: RDS MySQL 8.4 needs MySQL's mysqlbinlog and caching_sha2_password support. */
export const MYSQL_REPO_RPM = "https://dev.mysql.com/get/mysql84-community-release-el9-1.noarch.rpm";

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The instance's user data: installs the MySQL client tools and Node.js, fetches the bundled
 * tool from S3, and installs three systemd units: one that reads the secret settings from Secrets
 * Manager into a root-only file on tmpfs, one that sets RDS binlog retention (the post-create
 * step), and the agent itself. The secret's value never appears here.
 */
export function backupInstanceUserData(boot: BackupInstanceBoot): string {
    const settings = Object.entries({ ...boot.settings, DR_STATE_DIR: BACKUP_PATHS.stateDir })
        .map(([key, value]) => `${key}=${value}`)
        .join("\n");
    return `#!/bin/bash
set -euo pipefail
dnf install -y ${MYSQL_REPO_RPM}
dnf install -y mysql-community-client nodejs20 jq awscli-2
install -d -m 0755 /opt/mysql-dr /etc/mysql-dr
install -d -m 0700 ${BACKUP_PATHS.stateDir}
aws s3 cp --region ${boot.region} ${shellQuote(boot.artifactUri)} ${BACKUP_PATHS.tool}

cat > ${BACKUP_PATHS.config} <<'SETTINGS'
${settings}
SETTINGS
chmod 0644 ${BACKUP_PATHS.config}

cat > ${BACKUP_PATHS.fetchSecret} <<'FETCH'
#!/bin/bash
# Secret settings live only in memory-backed /run, readable by root alone.
set -euo pipefail
umask 077
install -d -m 0700 /run/mysql-dr
aws secretsmanager get-secret-value --region ${boot.region} --secret-id ${shellQuote(boot.secretArn)} \\
  --query SecretString --output text | jq -r 'to_entries[] | "\\(.key)=\\(.value)"' > ${BACKUP_PATHS.secretEnv}.tmp
mv ${BACKUP_PATHS.secretEnv}.tmp ${BACKUP_PATHS.secretEnv}
FETCH
chmod 0700 ${BACKUP_PATHS.fetchSecret}

cat > ${BACKUP_PATHS.binlogRetention} <<'RETENTION'
#!/bin/bash
# RDS keeps no binlogs unless told to; without them a paused agent could not resume without a gap.
set -euo pipefail
MYSQL_PWD="$DR_MYSQL_PASSWORD" exec mysql --ssl-mode=REQUIRED -h "$DR_MYSQL_HOST" -P "\${DR_MYSQL_PORT:-3306}" -u "$DR_MYSQL_USER" \
  -e "CALL mysql.rds_set_configuration('binlog retention hours', ${boot.binlogRetentionHours})"
RETENTION
chmod 0700 ${BACKUP_PATHS.binlogRetention}

cat > /etc/systemd/system/mysql-dr-secret.service <<'UNIT'
[Unit]
Description=Fetch mysql-dr secret settings from Secrets Manager
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
EnvironmentFile=${BACKUP_PATHS.config}
EnvironmentFile=${BACKUP_PATHS.secretEnv}
ExecStart=${BACKUP_PATHS.binlogRetention}
Restart=on-failure
RestartSec=60
UNIT

cat > /etc/systemd/system/mysql-dr-agent.service <<'UNIT'
[Unit]
Description=mysql-dr backup agent: binlogs and full dumps to Azure Blob
Requires=mysql-dr-secret.service
After=mysql-dr-secret.service mysql-dr-binlog-retention.service

[Service]
EnvironmentFile=${BACKUP_PATHS.secretEnv}
ExecStart=/usr/bin/node ${BACKUP_PATHS.tool} agent --config ${BACKUP_PATHS.config}
Restart=always
RestartSec=5
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
ReadWritePaths=${BACKUP_PATHS.stateDir}

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now mysql-dr-binlog-retention.service mysql-dr-agent.service
`;
}
