import { azureMysqlCaBundle } from "./mysqlCaBundle";
import { APP_PORT, WEB_PORT } from "./network";

/** Where the app VM keeps the CAs it verifies Azure MySQL's certificate with. */
export const AZURE_MYSQL_CA_FILE = "/etc/mysql-dr/azure-mysql-ca.pem";

/** Key Vault secret names the app VM reads at boot. */
export const VAULT_SECRETS = {
    restoreSas: "restore-sas",
    toolsSas: "tools-sas",
    mysqlPassword: "mysql-admin-password",
} as const;

/** A Node.js release the app VM installs from nodejs.org, with the SHA-256 of each Linux build it may need. */
export interface NodeRuntime {
    readonly version: string;
    /** SHA-256 of `node-v<version>-linux-<arch>.tar.xz`, by Node's arch name. */
    readonly sha256: { readonly x64: string; readonly arm64: string };
}

/**
 * The runtime of the restore bundle on the app VM: Node 22 LTS, because Ubuntu 24.04's `nodejs`
 * package is Node 18 and the bundle targets Node 20 (backup/packaging/bundle.ts). Checksums from
 * https://nodejs.org/dist/v22.23.2/SHASUMS256.txt.
 */
export const NODE_RUNTIME: NodeRuntime = {
    version: "22.23.2",
    sha256: {
        x64: "d60acfe00a2932254bb0ad20e01b0d74397a0875595de719654b214f4b03f307",
        arm64: "fff4078c5def658577f92c88db7db3bc0072924bfb93fe52c1e744a54e94abb8",
    },
};

/** Where the app VM installs Node; the restore runs `<prefix>/bin/node`, never a `node` from PATH. */
export const NODE_PREFIX = "/opt/node";
/** Written by the restore when it has succeeded; the application starts only once it exists. */
export const RESTORED_MARKER = "/var/lib/mysql-dr/restored";
/** Exit status of the restore when the target already holds the databases and this VM never started a restore. */
export const RESTORE_REFUSED_EXIT = 2;

/** What the app VM needs to restore and serve; none of it is secret. */
export interface AppBoot {
    readonly vaultName: string;
    /** Client id of the user-assigned identity the VM reads the vault with (an identifier, not a credential). */
    readonly identityClientId: string;
    /** `https://<account>.blob.core.windows.net/dr-tools`; the bundle is `mysql-dr.js` in it. */
    readonly toolsUrl: string;
    /** The backup container. */
    readonly backupContainerUrl: string;
    readonly mysqlHost: string;
    readonly mysqlUser: string;
    readonly databaseName: string;
    /** Shown by /health and in a response header, so users and drills can see who serves them. */
    readonly servedFrom: string;
    readonly appArtifactUrl?: string;
}

/** Health endpoint of the app tier; the gateway probes it through the web tier. */
export const HEALTH_PATH = "/health";

function indent(text: string, spaces: number): string {
    return text.split("\n").map(line => (line ? " ".repeat(spaces) + line : line)).join("\n");
}

/**
 * The web VM: nginx in front of the app VM, adding the serving site to every response. Only
 * requests that came through this stack's Front Door profile (its `X-Azure-FDID`) reach the
 * application: Front Door's backend addresses, which the gateway subnet admits, are shared by
 * every Front Door customer. `/health` is exempt because the gateway's own probe asks for it.
 */
export function webCloudInit(appAddress: string, servedFrom: string, frontDoorId: string): string {
    if (!/^[0-9a-f-]{36}$/i.test(frontDoorId)) {
        throw new Error(`webCloudInit: frontDoorId "${frontDoorId}" is not a Front Door id (a GUID)`);
    }
    const proxy = `proxy_pass http://${appAddress}:${APP_PORT};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 60s;`;
    const site = `server {
    listen ${WEB_PORT} default_server;
    server_tokens off;
    add_header X-Served-From "${servedFrom}" always;
    location = ${HEALTH_PATH} {
        ${proxy}
    }
    location / {
        if ($http_x_azure_fdid != "${frontDoorId.toLowerCase()}") {
            return 403;
        }
        ${proxy}
    }
}`;
    return `#cloud-config
package_update: true
packages: [nginx]
write_files:
  - path: /etc/nginx/sites-available/default
    permissions: "0644"
    content: |
${indent(site, 6)}
runcmd:
  - systemctl reload-or-restart nginx
`;
}

/**
 * Installs `runtime` under {@link NODE_PREFIX} from nodejs.org unless that exact version is there,
 * refusing a download whose SHA-256 differs from the pinned one. `MYSQL_DR_NODE_DIST` and
 * `MYSQL_DR_NODE_PREFIX` exist for tests; nothing on the VM sets them.
 */
export function nodeInstallScript(runtime: NodeRuntime = NODE_RUNTIME): string {
    return `#!/bin/bash
# Ubuntu 24.04's nodejs is 18; the restore bundle needs 20 or later. Installs Node ${runtime.version} from nodejs.org.
set -euo pipefail
trap 'exit 1' ERR
version=${runtime.version}
dist="\${MYSQL_DR_NODE_DIST:-https://nodejs.org/dist}"
prefix="\${MYSQL_DR_NODE_PREFIX:-${NODE_PREFIX}}"
[ "$("$prefix/bin/node" --version 2>/dev/null || true)" = "v$version" ] && exit 0
case "$(uname -m)" in
  x86_64) arch=x64; sha256=${runtime.sha256.x64} ;;
  aarch64) arch=arm64; sha256=${runtime.sha256.arm64} ;;
  *) echo "mysql-dr-install-node: no pinned Node.js build for $(uname -m)" >&2; exit 1 ;;
esac
tarball="node-v$version-linux-$arch.tar.xz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sfL --retry 5 --retry-all-errors -o "$work/$tarball" "$dist/v$version/$tarball"
if ! echo "$sha256  $work/$tarball" | sha256sum -c --quiet - >/dev/null 2>&1; then
  echo "mysql-dr-install-node: $tarball does not match its pinned SHA-256; not installed" >&2
  exit 1
fi
rm -rf "$prefix.new"
mkdir -p "$prefix.new"
tar -xJf "$work/$tarball" -C "$prefix.new" --strip-components=1 --no-same-owner
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
`;
}

/**
 * Reads the app VM's secrets from Key Vault into root-only files with its user-assigned identity.
 * A new role assignment can take minutes to reach Key Vault, so every request is retried with
 * backoff (5 s doubling to 60 s) for up to 30 minutes; after that it fails and systemd starts it
 * again. The `MYSQL_DR_*` variables exist for tests; nothing on the VM sets them.
 */
export function fetchSecretsScript(vaultName: string, identityClientId: string): string {
    return `#!/bin/bash
set -euo pipefail
trap 'exit 1' ERR
umask 077
imds="\${MYSQL_DR_IMDS_URL:-http://169.254.169.254}"
vault="\${MYSQL_DR_VAULT_URL:-https://${vaultName}.vault.azure.net}"
dir="\${MYSQL_DR_SECRETS_DIR:-/run/mysql-dr}"
deadline=$(( $(date +%s) + \${MYSQL_DR_FETCH_SECONDS:-1800} ))
first_delay="\${MYSQL_DR_FETCH_FIRST_DELAY:-5}"
install -d -m 0700 "$dir"
# The VM has only this user-assigned identity, but naming it keeps the token right if another is attached.
token_url="$imds/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=${identityClientId}"
with_retries() {
  local delay=$first_delay
  until "$@"; do
    if (( $(date +%s) + delay > deadline )); then
      echo "mysql-dr-fetch-secrets: $* still failing at the deadline" >&2
      return 1
    fi
    echo "mysql-dr-fetch-secrets: $* failed; retrying in \${delay}s" >&2
    sleep "$delay"
    delay=$(( delay * 2 > 60 ? 60 : delay * 2 ))
  done
}
# The bearer token goes in a header file, not on a command line other processes can read.
get_token() {
  local token
  token=$(curl -sf --max-time 20 -H Metadata:true "$token_url" | jq -er .access_token) || return 1
  printf 'Authorization: Bearer %s\\n' "$token" > "$dir/.authorization"
}
get_secret() {
  if ! curl -sf --max-time 20 -H @"$dir/.authorization" "$vault/secrets/$1?api-version=7.4" | jq -er .value > "$dir/$2.new"; then
    rm -f "$dir/$2.new"
    return 1
  fi
  mv "$dir/$2.new" "$dir/$2"
}
with_retries get_token
with_retries get_secret ${VAULT_SECRETS.restoreSas} blob.sas
with_retries get_secret ${VAULT_SECRETS.toolsSas} tools.sas
with_retries get_secret ${VAULT_SECRETS.mysqlPassword} mysql.password
rm -f "$dir/.authorization"
`;
}

/**
 * Restores once, then leaves the marker the app waits for. A retry after a failed attempt on this
 * VM passes `--replace`; a first attempt never does. `MYSQL_DR_ROOT` exists for tests.
 */
export function restoreOnceScript(boot: AppBoot): string {
    return `#!/bin/bash
# Runs once: a second restore over data written during the emergency would lose it.
set -euo pipefail
trap 'exit 1' ERR
root="\${MYSQL_DR_ROOT:-}"
state="$root/var/lib/mysql-dr"
[ -e "$root${RESTORED_MARKER}" ] && exit 0
install -d -m 0755 "$state" "$root/opt/mysql-dr" "$root/opt/app"
install -d -m 0700 "$state/work"
curl -sf --retry 5 -o "$root/opt/mysql-dr/mysql-dr.js" "${boot.toolsUrl}/mysql-dr.js?$(cat "$root/run/mysql-dr/tools.sas")"
${boot.appArtifactUrl ? `curl -sf --retry 5 -o "$root/opt/app/app.jar" ${boot.appArtifactUrl}` : "# no application artifact configured: the placeholder serves /health only"}
# A failed attempt on this VM may have loaded part of the data; nothing else writes to the target
# before the marker exists (the app starts after it), so a retry replaces what that attempt left.
replace=""
[ -e "$state/attempted" ] && replace=--replace
touch "$state/attempted"
status=0
DR_BLOB_SAS="$(cat "$root/run/mysql-dr/blob.sas")" "$root${NODE_PREFIX}/bin/node" "$root/opt/mysql-dr/mysql-dr.js" restore --config "$root/etc/mysql-dr/restore.env" --json $replace > "$state/restore-report.json.tmp" || status=$?
if [ "$status" -eq ${RESTORE_REFUSED_EXIT} ] && [ -z "$replace" ]; then
  # The databases existed before this VM touched the target: an operator decides (runbook), no retry.
  rm -f "$state/attempted"
  echo "mysql-dr-restore-once: the target already holds the databases; not replacing data this VM did not write" >&2
  exit ${RESTORE_REFUSED_EXIT}
fi
[ "$status" -eq 0 ] || exit 1
install -m 0644 "$state/restore-report.json.tmp" "$state/restore-report.json"
touch "$root${RESTORED_MARKER}"
`;
}

/**
 * The app VM: installs a Node the restore bundle supports, reads its credentials from Key Vault
 * with its user-assigned identity, downloads the restore tool, restores the newest verified
 * backup into Azure MySQL exactly once, and only then starts serving. Every step is retried until
 * it succeeds: the restore unit restarts on failure without a start limit, and a path unit starts
 * the app when the restore's marker appears. Nothing secret is written here; secrets land in
 * root-only files on tmpfs.
 */
export function appCloudInit(boot: AppBoot): string {
    const restoreEnv = [
        `DR_BLOB_CONTAINER_URL=${boot.backupContainerUrl}`,
        `DR_TARGET_HOST=${boot.mysqlHost}`,
        "DR_TARGET_PORT=3306",
        `DR_TARGET_USER=${boot.mysqlUser}`,
        "DR_TARGET_PASSWORD_FILE=/run/mysql-dr/mysql.password",
        `DR_TARGET_SSL_CA=${AZURE_MYSQL_CA_FILE}`,
        `DR_DATABASES=${boot.databaseName}`,
        "DR_MYSQL_FLAVOR=mysql",
        "DR_WORK_DIR=/var/lib/mysql-dr/work",
    ].join("\n");
    const placeholder = `import http.server, json, pathlib
report = pathlib.Path("/var/lib/mysql-dr/restore-report.json")
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "${HEALTH_PATH}":
            body = json.dumps({"status": "ok", "servedFrom": "${boot.servedFrom}", "restore": json.loads(report.read_text())}).encode()
            self.send_response(200)
        else:
            body = b"The data is restored; the application artifact (appArtifactUrl) is not configured."
            self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("0.0.0.0", ${APP_PORT}), Handler).serve_forever()`;
    // The password reaches the app through a systemd credential, never through the unit file.
    const appStart = boot.appArtifactUrl
        ? `/bin/bash -c 'SPRING_DATASOURCE_PASSWORD="$(cat "$CREDENTIALS_DIRECTORY/db-password")" exec java -jar /opt/app/app.jar --server.port=${APP_PORT}'`
        : "/usr/bin/python3 /opt/app/placeholder.py";
    return `#cloud-config
package_update: true
packages: [mysql-client, jq, curl, xz-utils, zstd${boot.appArtifactUrl ? ", openjdk-17-jre-headless" : ""}]
write_files:
  - path: /etc/mysql-dr/restore.env
    permissions: "0644"
    content: |
${indent(restoreEnv, 6)}
  - path: ${AZURE_MYSQL_CA_FILE}
    permissions: "0644"
    content: |
${indent(azureMysqlCaBundle().trimEnd(), 6)}
  - path: /usr/local/sbin/mysql-dr-install-node
    permissions: "0700"
    content: |
${indent(nodeInstallScript(), 6)}
  - path: /usr/local/sbin/mysql-dr-fetch-secrets
    permissions: "0700"
    content: |
${indent(fetchSecretsScript(boot.vaultName, boot.identityClientId), 6)}
  - path: /usr/local/sbin/mysql-dr-restore-once
    permissions: "0700"
    content: |
${indent(restoreOnceScript(boot), 6)}
  - path: /opt/app/placeholder.py
    permissions: "0644"
    content: |
${indent(placeholder, 6)}
  - path: /etc/systemd/system/mysql-dr-restore.service
    permissions: "0644"
    content: |
      [Unit]
      Description=Restore the newest verified backup into Azure MySQL (once)
      After=network-online.target
      Wants=network-online.target
      StartLimitIntervalSec=0
      [Service]
      Type=oneshot
      RemainAfterExit=yes
      ExecStartPre=/usr/local/sbin/mysql-dr-install-node
      ExecStartPre=/usr/local/sbin/mysql-dr-fetch-secrets
      ExecStart=/usr/local/sbin/mysql-dr-restore-once
      Restart=on-failure
      RestartSec=30
      RestartPreventExitStatus=${RESTORE_REFUSED_EXIT}
      TimeoutStartSec=infinity
      [Install]
      WantedBy=multi-user.target
  - path: /etc/systemd/system/app.path
    permissions: "0644"
    content: |
      [Unit]
      Description=Start the application once its data is restored
      [Path]
      PathExists=${RESTORED_MARKER}
      Unit=app.service
      [Install]
      WantedBy=multi-user.target
  - path: /etc/systemd/system/app.service
    permissions: "0644"
    content: |
      [Unit]
      Description=The application, started only after its data is restored
      Wants=mysql-dr-restore.service
      After=mysql-dr-restore.service
      ConditionPathExists=${RESTORED_MARKER}
      StartLimitIntervalSec=0
      [Service]
      Environment=SPRING_DATASOURCE_URL=jdbc:mysql://${boot.mysqlHost}:3306/${boot.databaseName}?sslMode=VERIFY_IDENTITY
      Environment=SPRING_DATASOURCE_USERNAME=${boot.mysqlUser}
      LoadCredential=db-password:/run/mysql-dr/mysql.password
      ExecStart=${appStart}
      Restart=always
      RestartSec=5
      DynamicUser=yes
runcmd:
  - systemctl daemon-reload
  - systemctl enable mysql-dr-restore.service app.path
  - systemctl start --no-block mysql-dr-restore.service app.path
`;
}
