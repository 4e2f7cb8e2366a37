import { APP_PORT, WEB_PORT } from "./network";

/** Key Vault secret names the app VM reads at boot. */
export const VAULT_SECRETS = {
    restoreSas: "restore-sas",
    toolsSas: "tools-sas",
    mysqlPassword: "mysql-admin-password",
} as const;

/** What the app VM needs to restore and serve; none of it is secret. */
export interface AppBoot {
    readonly vaultName: string;
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

/** The web VM: nginx in front of the app VM, adding the serving site to every response. */
export function webCloudInit(appAddress: string, servedFrom: string): string {
    const site = `server {
    listen ${WEB_PORT} default_server;
    server_tokens off;
    add_header X-Served-From "${servedFrom}" always;
    location / {
        proxy_pass http://${appAddress}:${APP_PORT};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 60s;
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
 * The app VM: reads its credentials from Key Vault with its managed identity, downloads the
 * restore tool, restores the newest verified backup into Azure MySQL exactly once, and only then
 * starts serving. Nothing secret is written here; secrets land in root-only files on tmpfs.
 */
export function appCloudInit(boot: AppBoot): string {
    const restoreEnv = [
        `DR_BLOB_CONTAINER_URL=${boot.backupContainerUrl}`,
        `DR_TARGET_HOST=${boot.mysqlHost}`,
        "DR_TARGET_PORT=3306",
        `DR_TARGET_USER=${boot.mysqlUser}`,
        "DR_TARGET_PASSWORD_FILE=/run/mysql-dr/mysql.password",
        `DR_DATABASES=${boot.databaseName}`,
        "DR_MYSQL_FLAVOR=mysql",
        "DR_WORK_DIR=/var/lib/mysql-dr/work",
    ].join("\n");
    const fetchSecrets = `#!/bin/bash
set -euo pipefail
umask 077
install -d -m 0700 /run/mysql-dr
token=$(curl -sf -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" | jq -r .access_token)
secret() { curl -sf -H "Authorization: Bearer $token" "https://${boot.vaultName}.vault.azure.net/secrets/$1?api-version=7.4" | jq -r .value; }
secret ${VAULT_SECRETS.restoreSas} > /run/mysql-dr/blob.sas
secret ${VAULT_SECRETS.toolsSas} > /run/mysql-dr/tools.sas
secret ${VAULT_SECRETS.mysqlPassword} > /run/mysql-dr/mysql.password`;
    const restore = `#!/bin/bash
# Runs once: a second restore over data written during the emergency would lose it.
set -euo pipefail
[ -e /var/lib/mysql-dr/restored ] && exit 0
install -d -m 0755 /var/lib/mysql-dr /opt/mysql-dr /opt/app
install -d -m 0700 /var/lib/mysql-dr/work
curl -sf -o /opt/mysql-dr/mysql-dr.js "${boot.toolsUrl}/mysql-dr.js?$(cat /run/mysql-dr/tools.sas)"
${boot.appArtifactUrl ? `curl -sf -o /opt/app/app.jar ${boot.appArtifactUrl}` : "# no application artifact configured: the placeholder serves /health only"}
DR_BLOB_SAS="$(cat /run/mysql-dr/blob.sas)" node /opt/mysql-dr/mysql-dr.js restore --config /etc/mysql-dr/restore.env --json > /var/lib/mysql-dr/restore-report.json.tmp
install -m 0644 /var/lib/mysql-dr/restore-report.json.tmp /var/lib/mysql-dr/restore-report.json
touch /var/lib/mysql-dr/restored`;
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
packages: [mysql-client, nodejs, jq, curl${boot.appArtifactUrl ? ", openjdk-17-jre-headless" : ""}]
write_files:
  - path: /etc/mysql-dr/restore.env
    permissions: "0644"
    content: |
${indent(restoreEnv, 6)}
  - path: /usr/local/sbin/mysql-dr-fetch-secrets
    permissions: "0700"
    content: |
${indent(fetchSecrets, 6)}
  - path: /usr/local/sbin/mysql-dr-restore-once
    permissions: "0700"
    content: |
${indent(restore, 6)}
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
      [Service]
      Type=oneshot
      RemainAfterExit=yes
      ExecStartPre=/usr/local/sbin/mysql-dr-fetch-secrets
      ExecStart=/usr/local/sbin/mysql-dr-restore-once
      Restart=on-failure
      RestartSec=60
      [Install]
      WantedBy=multi-user.target
  - path: /etc/systemd/system/app.service
    permissions: "0644"
    content: |
      [Unit]
      Description=The application, started only after its data is restored
      Requires=mysql-dr-restore.service
      After=mysql-dr-restore.service
      [Service]
      Environment=SPRING_DATASOURCE_URL=jdbc:mysql://${boot.mysqlHost}:3306/${boot.databaseName}?sslMode=REQUIRED
      Environment=SPRING_DATASOURCE_USERNAME=${boot.mysqlUser}
      LoadCredential=db-password:/run/mysql-dr/mysql.password
      ExecStart=${appStart}
      Restart=always
      RestartSec=5
      DynamicUser=yes
      [Install]
      WantedBy=multi-user.target
runcmd:
  - systemctl daemon-reload
  - systemctl enable --now mysql-dr-restore.service app.service
`;
}
