import * as fs from "fs";
import * as path from "path";

/** What the backup instance needs to know at boot; none of it is secret. */
export interface BackupInstanceBoot {
    readonly region: string;
    /** Secrets Manager secret holding `DR_BLOB_SAS` and `DR_MYSQL_PASSWORD` as a JSON map. */
    readonly secretArn: string;
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

/** The secret's keys the agent needs; a secret missing one of them stops the agent from starting. */
export const AGENT_SECRET_KEYS = {
    DR_BLOB_SAS: BACKUP_PATHS.sas,
    DR_MYSQL_PASSWORD: BACKUP_PATHS.mysqlPassword,
} as const;

/**
 * The instance's user data: installs the MySQL client tools and Node.js, installs the packaged
 * agent unit, and adds two units before it: one that copies the secret settings from Secrets
 * Manager into the root-only credential files the agent unit loads (failing, so the agent does not
 * start, when the secret lacks a key or a value), and one that sets RDS binlog retention (the
 * post-create step). The secret's value never appears here. The tool itself is not fetched here:
 * the SSM document of {@link backupToolInstallDocument} installs it and every later build, so a
 * new build never changes user data (which would replace the instance).
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
# jq -e: a missing key, null, a number or an empty string fails the unit instead of writing "null".
field() {
  jq -er --arg key "$1" '.[$key] | strings | select(length > 0)' <<<"$secret" \\
    || { echo "mysql-dr-fetch-secret: the secret has no non-empty string $1; not starting the agent" >&2; return 1; }
}
${Object.keys(AGENT_SECRET_KEYS).map(key => `${key.toLowerCase()}=$(field ${key})`).join("\n")}
${Object.entries(AGENT_SECRET_KEYS).map(([key, file]) => `printf '%s' "$${key.toLowerCase()}" > ${file}.tmp && mv ${file}.tmp ${file}`).join("\n")}
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
# The SSM association installs the tool and restarts the agent; until then the agent is skipped.
ConditionPathExists=${BACKUP_PATHS.tool}
UNIT

systemctl daemon-reload
systemctl enable --now mysql-dr-binlog-retention.service mysql-dr-agent.service
`;
}

/** Parameters of the tool-install SSM document: where the build is and what its bytes must hash to. */
export interface BackupToolRelease {
    readonly region: string;
    readonly bucket: string;
    readonly key: string;
    /** The S3 object version to fetch (the artifact bucket is versioned); empty fetches the current one. */
    readonly version: string;
    /** Hex sha256 of the bundle; the download is refused unless it matches. */
    readonly sha256: string;
}

/** How often State Manager re-applies the install, so a failed first run heals without anyone. */
export const TOOL_INSTALL_SCHEDULE = "rate(30 minutes)";

/**
 * The one script that installs the backup tool on the instance, run as root by SSM (the
 * association of the install document) when the instance registers, whenever a new build changes
 * the association's parameters, and every {@link TOOL_INSTALL_SCHEDULE}. It waits for the first
 * boot to finish, downloads the exact object version, refuses it unless its sha256 matches,
 * renames it into place atomically, and restarts the agent only when the installed bytes changed.
 * `{{ name }}` are SSM parameters, each restricted by an allowedPattern.
 */
export function backupToolInstallScript(): string {
    return `#!/bin/bash
set -euo pipefail
boot=0
cloud-init status --wait >/dev/null || boot=$?
# 1 is a failed first boot; 2 ("degraded") finished with warnings only.
if [ "$boot" -eq 1 ]; then
  echo "mysql-dr install: the first boot (user data) failed; not installing" >&2
  exit 1
fi
tool=${BACKUP_PATHS.tool}
expected='{{ sha256 }}'
current=$(sha256sum "$tool" 2>/dev/null | cut -d' ' -f1 || true)
if [ "$current" = "$expected" ]; then
  echo "mysql-dr install: $expected already installed"
  systemctl is-active --quiet mysql-dr-agent.service || systemctl start mysql-dr-agent.service
  exit 0
fi
tmp=$(mktemp "$(dirname "$tool")/.mysql-dr.js.XXXXXX")
trap 'rm -f "$tmp"' EXIT
version='{{ version }}'
aws s3api get-object --region '{{ region }}' --bucket '{{ bucket }}' --key '{{ key }}' \${version:+--version-id "$version"} "$tmp" >/dev/null
actual=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "mysql-dr install: downloaded sha256 $actual, expected $expected; keeping the installed tool" >&2
  exit 1
fi
chmod 0644 "$tmp"
mv -f "$tmp" "$tool"
trap - EXIT
systemctl restart mysql-dr-agent.service
echo "mysql-dr install: installed $expected (was \${current:-none})"
`;
}

/** Patterns SSM enforces on each parameter before the script sees it (no quote can reach the shell). */
export const TOOL_INSTALL_PARAMETER_PATTERNS: Readonly<Record<keyof BackupToolRelease, string>> = {
    region: "^[a-z]{2}(-[a-z]+)+-\\d$",
    bucket: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    key: "^[A-Za-z0-9/._-]{1,1024}$",
    version: "^[A-Za-z0-9._-]{0,1024}$",
    sha256: "^[0-9a-f]{64}$",
};

/** The SSM Command document (schema 2.2) that runs {@link backupToolInstallScript}. */
export function backupToolInstallDocument(): string {
    const parameters = Object.fromEntries(Object.entries(TOOL_INSTALL_PARAMETER_PATTERNS).map(([name, allowedPattern]) => [name, {
        type: "String",
        description: `Backup tool release: ${name}`,
        allowedPattern,
        ...(name === "version" ? { default: "" } : {}),
    }]));
    return JSON.stringify({
        schemaVersion: "2.2",
        description: "Install a mysql-dr backup tool build: exact S3 version, sha256 verified, atomic, agent restarted only on change",
        parameters,
        mainSteps: [{
            action: "aws:runShellScript",
            name: "installBackupTool",
            precondition: { StringEquals: ["platformType", "Linux"] },
            inputs: { timeoutSeconds: "3600", runCommand: backupToolInstallScript().trimEnd().split("\n") },
        }],
    }, null, 2);
}
