import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { rdsCaBundle } from "./rdsCaBundle";

/** What the agent's configuration is made of; none of it is secret (the secret's value is fetched on the instance). */
export interface BackupAgentConfig {
    readonly region: string;
    /** Secrets Manager secret holding `DR_BLOB_SAS` and `DR_MYSQL_PASSWORD` as a JSON map. */
    readonly secretArn: string;
    /** Non-secret agent settings, written to the agent's env file. */
    readonly settings: Record<string, string>;
    /** Hours RDS should keep binlogs (set whenever the retention unit starts). */
    readonly binlogRetentionHours: number;
    /**
     * The secret's current version id (not its value). A new version (a renewed SAS, a new password)
     * changes a file, so the secret unit re-fetches and the agent restarts with it. Default: none.
     */
    readonly secretVersionId?: string;
}

/** Where things live on the instance: the packaged agent unit's own paths (backup/packaging/INSTALL.md). */
export const BACKUP_PATHS = {
    tool: "/opt/mysql-dr/mysql-dr.js",
    config: "/etc/mysql-dr/agent.env",
    sas: "/etc/mysql-dr/agent.sas",
    mysqlPassword: "/etc/mysql-dr/agent.mysql-password",
    fetchSecret: "/usr/local/sbin/mysql-dr-fetch-secret",
    binlogRetention: "/usr/local/sbin/mysql-dr-binlog-retention",
    /** Units whose restart is owed: survives a run that fails between writing a file and restarting. */
    restartPending: "/var/lib/mysql-dr-install/restart-pending",
    secretVersion: "/etc/mysql-dr/secret-version",
    /** The RDS root CAs of the instance's region: every connection to RDS verifies its certificate against them. */
    rdsCaBundle: "/etc/mysql-dr/rds-ca-bundle.pem",
} as const;

/** The systemd units the instance runs; the agent unit is the one the backup package ships. */
export const BACKUP_UNITS = {
    secret: "mysql-dr-secret.service",
    binlogRetention: "mysql-dr-binlog-retention.service",
    agent: "mysql-dr-agent.service",
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
 * The instance's user data: a bootstrap that never needs to change. It installs the packages
 * (MySQL's client tools, Node.js, jq, the AWS CLI) and creates the agent's user and directories;
 * nothing else. Settings, scripts, units and the tool all arrive through the SSM association of
 * {@link backupAgentDocument}, so no configuration change ever touches user data (the instance
 * ignores later user-data changes anyway, see `BackupInstance`).
 */
export function backupInstanceUserData(): string {
    return `#!/bin/bash
set -euo pipefail
dnf install -y ${MYSQL_REPO_RPM}
dnf install -y mysql-community-client nodejs20 jq awscli-2
id mysql-dr >/dev/null 2>&1 || useradd --system --home /var/lib/mysql-dr --shell /usr/sbin/nologin mysql-dr
install -d -m 0755 /opt/mysql-dr
install -d -m 0750 -g mysql-dr /etc/mysql-dr
# Settings, units and the tool: the SSM association (mysql-dr install) writes them once this has finished.
`;
}

/** One file the association keeps on the instance, and what must restart when its bytes change. */
export interface AgentFile {
    readonly path: string;
    /** Octal mode, e.g. `0640`. */
    readonly mode: string;
    /** `user:group`. */
    readonly owner: string;
    readonly content: string;
    /** A systemd unit or drop-in: a change needs `systemctl daemon-reload`. */
    readonly unit: boolean;
    /** Units to restart when the file changed. */
    readonly restarts: readonly string[];
}

/** Problems with the agent's non-secret settings (they become lines of a systemd EnvironmentFile). */
export function agentSettingsProblems(settings: Record<string, string>): string[] {
    return Object.entries(settings).flatMap(([key, value]) => [
        ...(/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? [] : [`agent setting "${key}" is not an environment variable name`]),
        ...(/[\r\n\0]/.test(String(value)) ? [`agent setting ${key} contains a line break or NUL`] : []),
    ]);
}

/**
 * Every file of the agent's configuration: the settings file, the secret-fetch and binlog-retention
 * scripts, their units, the packaged agent unit and its drop-in. The secret's value is not here:
 * the fetch script reads it on the instance.
 */
export function backupAgentFiles(config: BackupAgentConfig, agentUnit: string = fs.readFileSync(PACKAGED_AGENT_UNIT, "utf8")): AgentFile[] {
    const problems = agentSettingsProblems(config.settings);
    if (problems.length > 0) {
        throw new Error(`backup agent settings: ${problems.join("; ")}`);
    }
    if (!Number.isInteger(config.binlogRetentionHours) || config.binlogRetentionHours < 1) {
        throw new Error(`backup agent settings: binlogRetentionHours ${config.binlogRetentionHours} is not a positive integer`);
    }
    const { secret, binlogRetention, agent } = BACKUP_UNITS;
    const settings = Object.entries(config.settings).map(([key, value]) => `${key}=${value}\n`).join("");
    const fetchSecret = `#!/bin/bash
# The agent unit loads these files as systemd credentials; only root can read them.
set -euo pipefail
umask 077
secret=$(aws secretsmanager get-secret-value --region ${config.region} --secret-id ${shellQuote(config.secretArn)} --query SecretString --output text)
# jq -e: a missing key, null, a number or an empty string fails the unit instead of writing "null".
field() {
  jq -er --arg key "$1" '.[$key] | strings | select(length > 0)' <<<"$secret" \\
    || { echo "mysql-dr-fetch-secret: the secret has no non-empty string $1; not starting the agent" >&2; return 1; }
}
${Object.keys(AGENT_SECRET_KEYS).map(key => `${key.toLowerCase()}=$(field ${key})`).join("\n")}
${Object.entries(AGENT_SECRET_KEYS).map(([key, file]) => `printf '%s' "$${key.toLowerCase()}" > ${file}.tmp && mv ${file}.tmp ${file}`).join("\n")}
`;
    const retention = `#!/bin/bash
# RDS keeps no binlogs unless told to; without them a paused agent could not resume without a gap.
set -euo pipefail
set -a; . ${BACKUP_PATHS.config}; set +a
MYSQL_PWD="$(cat ${BACKUP_PATHS.mysqlPassword})" exec mysql --ssl-mode=VERIFY_IDENTITY --ssl-ca=${BACKUP_PATHS.rdsCaBundle} -h "$DR_MYSQL_HOST" -P "\${DR_MYSQL_PORT:-3306}" -u "$DR_MYSQL_USER" \\
  -e "CALL mysql.rds_set_configuration('binlog retention hours', ${config.binlogRetentionHours})"
`;
    const secretUnit = `[Unit]
Description=Copy mysql-dr secret settings from Secrets Manager into credential files
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${BACKUP_PATHS.fetchSecret}
Restart=on-failure
RestartSec=30
`;
    const retentionUnit = `[Unit]
Description=Keep RDS binlogs for ${config.binlogRetentionHours} hours so the agent can resume without a gap
Requires=${secret}
After=${secret}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${BACKUP_PATHS.binlogRetention}
Restart=on-failure
RestartSec=60
`;
    const dropIn = `[Unit]
Requires=${secret}
Wants=${binlogRetention}
After=${secret} ${binlogRetention}
# The SSM association installs the tool and restarts the agent; until then the agent is skipped.
ConditionPathExists=${BACKUP_PATHS.tool}
`;
    const systemd = "/etc/systemd/system";
    return [
        { path: BACKUP_PATHS.config, mode: "0640", owner: "root:mysql-dr", content: settings, unit: false, restarts: [binlogRetention, agent] },
        { path: BACKUP_PATHS.rdsCaBundle, mode: "0644", owner: "root:root", content: rdsCaBundle(config.region), unit: false, restarts: [binlogRetention, agent] },
        // The agent loads its credentials only when it starts: restart it with the secret unit, in one transaction.
        { path: BACKUP_PATHS.fetchSecret, mode: "0700", owner: "root:root", content: fetchSecret, unit: false, restarts: [secret, agent] },
        { path: BACKUP_PATHS.secretVersion, mode: "0644", owner: "root:root", content: `${config.secretVersionId ?? ""}\n`, unit: false, restarts: [secret, agent] },
        { path: BACKUP_PATHS.binlogRetention, mode: "0700", owner: "root:root", content: retention, unit: false, restarts: [binlogRetention] },
        { path: `${systemd}/${secret}`, mode: "0644", owner: "root:root", content: secretUnit, unit: true, restarts: [secret, agent] },
        { path: `${systemd}/${binlogRetention}`, mode: "0644", owner: "root:root", content: retentionUnit, unit: true, restarts: [binlogRetention] },
        { path: `${systemd}/${agent}`, mode: "0644", owner: "root:root", content: agentUnit, unit: true, restarts: [agent] },
        { path: `${systemd}/${agent}.d/secrets.conf`, mode: "0644", owner: "root:root", content: dropIn, unit: true, restarts: [agent] },
    ];
}

/** Hex sha256 of the configuration: the association parameter that changes whenever any file does. */
export function backupAgentConfigSha256(files: readonly AgentFile[]): string {
    return createHash("sha256").update(JSON.stringify(files.map(f => [f.path, f.mode, f.owner, f.content, f.unit, f.restarts]))).digest("hex");
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

/** The association's parameters: the tool release, and the digest of the configuration the document embeds. */
export interface BackupAgentRelease extends BackupToolRelease {
    /** {@link backupAgentConfigSha256} of the document's files: a configuration change changes it, so the association re-runs. */
    readonly configSha256: string;
}

/** How often State Manager re-applies the install, so a failed first run heals without anyone. */
export const TOOL_INSTALL_SCHEDULE = "rate(30 minutes)";

function base64(text: string): string {
    return Buffer.from(text, "utf8").toString("base64");
}

/**
 * The one script that configures the instance and installs the backup tool, run as root by SSM
 * (the association of {@link backupAgentDocument}) when the instance registers, whenever the
 * configuration or a build changes the association, and every {@link TOOL_INSTALL_SCHEDULE}. It
 * waits for the first boot and refuses to run after a failed one; writes each file of
 * {@link backupAgentFiles} (embedded as base64, so no value reaches the shell) only when its
 * bytes differ, through a temporary file and a rename; downloads the exact build, refuses it
 * unless its sha256 matches and renames it into place; then reloads systemd if a unit changed and
 * restarts exactly the units whose files (or tool) changed. Nothing changed: nothing restarts.
 * `{{ name }}` are SSM parameters, each restricted by an allowedPattern; `root` is empty on the
 * instance (tests point it at a temporary directory).
 */
export function backupAgentScript(config: BackupAgentConfig, agentUnit?: string): string {
    const files = backupAgentFiles(config, agentUnit);
    const writes = files.map(file => {
        const reload = file.unit ? "reload=1; " : "";
        return `if put ${file.path} ${file.mode} ${file.owner} '${base64(file.content)}'; then ${reload}owe ${file.restarts.join(" ")}; fi`;
    });
    return `#!/bin/bash
set -euo pipefail
umask 022
root=''
boot=0
cloud-init status --wait >/dev/null || boot=$?
# 1 is a failed first boot; 2 ("degraded") finished with warnings only.
if [ "$boot" -eq 1 ]; then
  echo "mysql-dr install: the first boot (user data) failed; not installing" >&2
  exit 1
fi
echo "mysql-dr install: configuration {{ configSha256 }}"
# zstd compresses the chunked full backups; installed here, not in user data, so instances booted before it get it too.
# Without it the agent falls back to gzip (and says so), so a missing package must not fail the install.
if [ -z "$root" ] && ! command -v zstd >/dev/null 2>&1; then
  dnf install -y zstd || echo "mysql-dr install: could not install zstd; full backups use gzip" >&2
fi
pending="$root${BACKUP_PATHS.restartPending}"
mkdir -p "$(dirname "$pending")"
owe() { printf '%s\\n' "$@" >> "$pending"; }
reload=0
# put FILE MODE OWNER BASE64: replaces FILE through a rename when its bytes differ; status 1 when they are the same.
# Called as an if condition, where set -e does not apply: every step checks its own failure.
put() {
  local file="$root$1" tmp
  mkdir -p "$(dirname "$file")" && tmp=$(mktemp "$(dirname "$file")/.mysql-dr.XXXXXX") && base64 -d <<<"$4" > "$tmp" \\
    || { echo "mysql-dr install: cannot stage $1" >&2; exit 1; }
  if [ -f "$file" ] && [ "$(sha256sum < "$tmp")" = "$(sha256sum < "$file")" ]; then
    rm -f "$tmp"
    chown "$3" "$file" && chmod "$2" "$file" || { echo "mysql-dr install: cannot set the owner or mode of $1" >&2; exit 1; }
    return 1
  fi
  chown "$3" "$tmp" && chmod "$2" "$tmp" && mv -f "$tmp" "$file" \\
    || { rm -f "$tmp"; echo "mysql-dr install: cannot write $1" >&2; exit 1; }
  echo "mysql-dr install: wrote $1"
}
${writes.join("\n")}
failed=0
tool="$root${BACKUP_PATHS.tool}"
expected='{{ sha256 }}'
current=$(sha256sum "$tool" 2>/dev/null | cut -d' ' -f1 || true)
if [ "$current" = "$expected" ]; then
  echo "mysql-dr install: $expected already installed"
else
  tmp=$(mktemp "$(dirname "$tool")/.mysql-dr.js.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  version='{{ version }}'
  if ! aws s3api get-object --region '{{ region }}' --bucket '{{ bucket }}' --key '{{ key }}' \${version:+--version-id "$version"} "$tmp" >/dev/null; then
    echo "mysql-dr install: download failed; keeping the installed tool" >&2
    failed=1
  elif actual=$(sha256sum "$tmp" | cut -d' ' -f1) && [ "$actual" != "$expected" ]; then
    echo "mysql-dr install: downloaded sha256 $actual, expected $expected; keeping the installed tool" >&2
    failed=1
  else
    chmod 0644 "$tmp"
    mv -f "$tmp" "$tool"
    owe ${BACKUP_UNITS.agent}
    echo "mysql-dr install: installed $expected (was \${current:-none})"
  fi
fi
[ "$reload" -eq 0 ] || systemctl daemon-reload
systemctl enable ${BACKUP_UNITS.agent} >/dev/null
if [ -s "$pending" ]; then
  mapfile -t units < <(sort -u "$pending")
  echo "mysql-dr install: restarting \${units[*]}"
  systemctl restart "\${units[@]}"
  rm -f "$pending"
else
  systemctl is-active --quiet ${BACKUP_UNITS.agent} || systemctl start ${BACKUP_UNITS.agent}
fi
exit "$failed"
`;
}

/** Patterns SSM enforces on each parameter before the script sees it (no quote can reach the shell). */
export const TOOL_INSTALL_PARAMETER_PATTERNS: Readonly<Record<keyof BackupAgentRelease, string>> = {
    region: "^[a-z]{2}(-[a-z]+)+-\\d$",
    bucket: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    key: "^[A-Za-z0-9/._-]{1,1024}$",
    version: "^[A-Za-z0-9._-]{0,1024}$",
    sha256: "^[0-9a-f]{64}$",
    configSha256: "^[0-9a-f]{64}$",
};

/**
 * The SSM Command document (schema 2.2) that runs {@link backupAgentScript}. The configuration is
 * embedded in the content (a new document version on every change, at most 64 KB in all); the
 * association passes its digest as `configSha256`, so the change shows in, and re-runs, the
 * association. The secret's value is never in it.
 */
export function backupAgentDocument(config: BackupAgentConfig, agentUnit?: string): string {
    const parameters = Object.fromEntries(Object.entries(TOOL_INSTALL_PARAMETER_PATTERNS).map(([name, allowedPattern]) => [name, {
        type: "String",
        description: name === "configSha256" ? "sha256 of the agent configuration this document embeds" : `Backup tool release: ${name}`,
        allowedPattern,
        ...(name === "version" ? { default: "" } : {}),
    }]));
    return JSON.stringify({
        schemaVersion: "2.2",
        description: "Configure the mysql-dr agent and install its build: files and tool replaced atomically, units restarted only on change",
        parameters,
        mainSteps: [{
            action: "aws:runShellScript",
            name: "installBackupTool",
            precondition: { StringEquals: ["platformType", "Linux"] },
            inputs: { timeoutSeconds: "3600", runCommand: backupAgentScript(config, agentUnit).trimEnd().split("\n") },
        }],
    }, null, 2);
}
