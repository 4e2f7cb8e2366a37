import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { EmergencyIdentity } from "../../components/azure/emergencyIdentity";
import { KEY_VAULT_SECRETS_USER_ROLE, roleAssignmentGuid, SecretVault } from "../../components/azure/secretVault";
import { mockState } from "../../plan/mockCloud";
import { runProgram } from "../../plan/runOffline";
import { APP_BOOT } from "../support/azureFixtures";
import { named, ofType } from "../support/query";
import {
    appCloudInit, NODE_PREFIX, NODE_RUNTIME, nodeInstallScript, RESTORE_REFUSED_EXIT, RESTORED_MARKER, restoreOnceScript, VAULT_SECRETS,
} from "../../components/azure/emergencyBoot";

const boot = APP_BOOT;

interface CloudConfig {
    packages: string[];
    write_files: { path: string; permissions: string; content: string }[];
    runcmd: string[];
}

function cloudConfig(text: string): CloudConfig {
    assert.match(text, /^#cloud-config\n/);
    return parse(text) as CloudConfig;
}

function file(config: CloudConfig, filePath: string): string {
    const found = config.write_files.find(f => f.path === filePath);
    assert.ok(found, `cloud-init writes ${filePath}`);
    return found.content;
}

/** A unit file as section -> key -> values (a key may repeat). */
function unit(text: string): Record<string, Record<string, string[]>> {
    const sections: Record<string, Record<string, string[]>> = {};
    let current: Record<string, string[]> | undefined;
    for (const line of text.split("\n").map(l => l.trim()).filter(l => l && !l.startsWith("#"))) {
        const header = /^\[(\w+)\]$/.exec(line);
        if (header) {
            current = sections[header[1]] = {};
            continue;
        }
        const eq = line.indexOf("=");
        assert.ok(current && eq > 0, `unit line outside a section or without =: ${line}`);
        (current[line.slice(0, eq)] ??= []).push(line.slice(eq + 1));
    }
    return sections;
}

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "emergency-boot-"));
}

/** Runs bash on a script file with extra environment, without blocking the event loop (the fakes answer from it). */
function runBash(script: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", [script], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", chunk => (stderr += chunk));
        child.on("error", reject);
        child.on("close", code => resolve({ code: code ?? -1, stderr }));
    });
}

function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>(done => server.close(() => done())),
    })));
}

function writeScript(dir: string, name: string, content: string): string {
    const target = path.join(dir, name);
    fs.writeFileSync(target, content, { mode: 0o700 });
    return target;
}

describe("emergency boot: the app VM's unit chain", () => {
    const config = cloudConfig(appCloudInit(boot));
    const restore = unit(file(config, "/etc/systemd/system/mysql-dr-restore.service"));
    const app = unit(file(config, "/etc/systemd/system/app.service"));
    const appPath = unit(file(config, "/etc/systemd/system/app.path"));

    it("retries the restore (with its secret fetch) without a start limit, except when it refused to overwrite", () => {
        assert.deepStrictEqual(restore.Service.Type, ["oneshot"]);
        assert.deepStrictEqual(restore.Service.Restart, ["on-failure"]);
        assert.deepStrictEqual(restore.Unit.StartLimitIntervalSec, ["0"], "retries never hit the start rate limit");
        assert.deepStrictEqual(restore.Service.RestartPreventExitStatus, [String(RESTORE_REFUSED_EXIT)]);
        assert.deepStrictEqual(restore.Service.ExecStartPre, ["/usr/local/sbin/mysql-dr-install-node", "/usr/local/sbin/mysql-dr-fetch-secrets"]);
        assert.deepStrictEqual(restore.Service.ExecStart, ["/usr/local/sbin/mysql-dr-restore-once"]);
        assert.deepStrictEqual(restore.Install.WantedBy, ["multi-user.target"], "runs at every boot: secrets live on tmpfs");
    });

    it("starts the app when the restore's marker appears, never failing it for good because a restore attempt failed", () => {
        for (const hard of ["Requires", "BindsTo", "Requisite", "PartOf"]) {
            assert.strictEqual(app.Unit[hard], undefined, `app.service must not ${hard}= the restore: its failure would fail the app as a dependency`);
        }
        assert.deepStrictEqual(app.Unit.Wants, ["mysql-dr-restore.service"]);
        assert.deepStrictEqual(app.Unit.After, ["mysql-dr-restore.service"], "the app reads the secrets the restore unit fetches");
        assert.deepStrictEqual(app.Unit.ConditionPathExists, [RESTORED_MARKER]);
        assert.deepStrictEqual(app.Unit.StartLimitIntervalSec, ["0"]);
        assert.deepStrictEqual(app.Service.Restart, ["always"]);
        assert.deepStrictEqual(appPath.Path, { PathExists: [RESTORED_MARKER], Unit: ["app.service"] });
        assert.deepStrictEqual(appPath.Install.WantedBy, ["multi-user.target"]);
        assert.deepStrictEqual(config.runcmd, [
            "systemctl daemon-reload",
            "systemctl enable mysql-dr-restore.service app.path",
            // --no-block: a oneshot start waits for the whole restore, which would hold up cloud-init.
            "systemctl start --no-block mysql-dr-restore.service app.path",
        ]);
        assert.match(file(config, "/usr/local/sbin/mysql-dr-restore-once").trimEnd(), new RegExp(`touch "\\$root${RESTORED_MARKER}"$`), "the marker is the restore's last step");
    });

    it("writes unit files that systemd-analyze verify accepts, each line a key in a section", function () {
        this.timeout(60000);
        const units = config.write_files.filter(f => f.path.startsWith("/etc/systemd/system/"));
        assert.deepStrictEqual(units.map(u => path.basename(u.path)).sort(), ["app.path", "app.service", "mysql-dr-restore.service"]);
        units.forEach(u => unit(u.content));
        let analyze = "";
        try {
            analyze = execFileSync("which", ["systemd-analyze"], { encoding: "utf8" }).trim();
        } catch {
            analyze = "";
        }
        assert.ok(analyze, "systemd-analyze is not installed: `apt-get install -y systemd` (.ci/run does it)");
        // A root holding the system's own units and every file cloud-init writes, at its path.
        const root = tempDir();
        fs.mkdirSync(path.join(root, "usr/lib/systemd"), { recursive: true });
        execFileSync("cp", ["-a", "/usr/lib/systemd/system", path.join(root, "usr/lib/systemd/system")]);
        for (const f of config.write_files) {
            fs.mkdirSync(path.join(root, path.dirname(f.path)), { recursive: true });
            fs.writeFileSync(path.join(root, f.path), f.content, { mode: parseInt(f.permissions, 8) });
        }
        fs.mkdirSync(path.join(root, "usr/bin"), { recursive: true });
        writeScript(path.join(root, "usr/bin"), "python3", "#!/bin/sh\n");
        for (const u of units) {
            try {
                execFileSync(analyze, ["verify", `--root=${root}`, u.path], { encoding: "utf8", stdio: "pipe" });
            } catch (error) {
                assert.fail(`systemd-analyze verify ${u.path}: ${(error as { stderr?: string }).stderr}`);
            }
        }
        fs.rmSync(root, { recursive: true, force: true });
    });
});

describe("emergency boot: the restore, run again by systemd after a failure", () => {
    /** A VM root with secrets on tmpfs, a fake `curl` on PATH and a fake Node whose exit status each test sets. */
    function fakeVm() {
        const root = tempDir();
        fs.mkdirSync(path.join(root, "run/mysql-dr"), { recursive: true });
        fs.writeFileSync(path.join(root, "run/mysql-dr/tools.sas"), "sv=2024&sp=r&sig=tools");
        fs.writeFileSync(path.join(root, "run/mysql-dr/blob.sas"), "sv=2024&sp=rl&sig=restore");
        fs.mkdirSync(path.join(root, "bin"));
        writeScript(path.join(root, "bin"), "curl", '#!/bin/bash\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && { echo bundle > "$2"; shift; }; shift; done\n');
        fs.mkdirSync(path.join(root, NODE_PREFIX, "bin"), { recursive: true });
        writeScript(path.join(root, NODE_PREFIX, "bin"), "node",
            `#!/bin/bash\necho "$* sas=$DR_BLOB_SAS" >> "${root}/node-calls"\necho '{"recoveryPoint":"2026-12-02T13:00:00Z"}'\nexit "$(cat "${root}/node-exit")"\n`);
        const script = writeScript(root, "restore-once", restoreOnceScript(boot));
        const run = async (nodeExit: number) => {
            fs.writeFileSync(path.join(root, "node-exit"), String(nodeExit));
            return (await runBash(script, { MYSQL_DR_ROOT: root, PATH: `${path.join(root, "bin")}:${process.env.PATH}` })).code;
        };
        const calls = () => fs.existsSync(path.join(root, "node-calls")) ? fs.readFileSync(path.join(root, "node-calls"), "utf8").trim().split("\n") : [];
        return { root, run, calls, restored: () => fs.existsSync(path.join(root, RESTORED_MARKER)) };
    }

    it("replaces what its own failed attempt loaded, then restores nothing more once it has succeeded", async function () {
        this.timeout(60000);
        const vm = fakeVm();
        assert.strictEqual(await vm.run(1), 1, "a failed restore fails the unit, which systemd restarts");
        assert.strictEqual(vm.restored(), false);
        assert.strictEqual(await vm.run(0), 0);
        assert.strictEqual(vm.restored(), true);
        assert.strictEqual(await vm.run(1), 0, "once restored, never again");
        const config = `${vm.root}/etc/mysql-dr/restore.env`;
        assert.deepStrictEqual(vm.calls(), [
            `${vm.root}/opt/mysql-dr/mysql-dr.js restore --config ${config} --json sas=sv=2024&sp=rl&sig=restore`,
            `${vm.root}/opt/mysql-dr/mysql-dr.js restore --config ${config} --json --replace sas=sv=2024&sp=rl&sig=restore`,
        ]);
        assert.match(fs.readFileSync(path.join(vm.root, "var/lib/mysql-dr/restore-report.json"), "utf8"), /recoveryPoint/);
        fs.rmSync(vm.root, { recursive: true, force: true });
    });

    it("never replaces databases it did not write: a first attempt that finds them stops with the status systemd does not retry", async function () {
        this.timeout(60000);
        const vm = fakeVm();
        assert.strictEqual(await vm.run(RESTORE_REFUSED_EXIT), RESTORE_REFUSED_EXIT);
        assert.strictEqual(await vm.run(RESTORE_REFUSED_EXIT), RESTORE_REFUSED_EXIT, "a reboot or a manual start does not turn into --replace");
        assert.ok(vm.calls().every(call => !call.includes("--replace")));
        assert.strictEqual(vm.restored(), false);
        fs.rmSync(vm.root, { recursive: true, force: true });
    });
});

describe("emergency boot: the secret fetch against a fake IMDS and Key Vault", () => {
    const config = cloudConfig(appCloudInit(boot));
    const script = file(config, "/usr/local/sbin/mysql-dr-fetch-secrets");
    const secrets: Record<string, string> = { [VAULT_SECRETS.restoreSas]: "sv=2024&sp=rl&sig=restore", [VAULT_SECRETS.toolsSas]: "sv=2024&sp=r&sig=tools", [VAULT_SECRETS.mysqlPassword]: "pa$$ word" };

    /** Key Vault refusing the first `refusals` secret reads with 403 (the role still propagating), then answering. */
    async function fakeAzure(refusals: number) {
        const seen = { tokenQueries: [] as string[], metadataHeaders: [] as (string | undefined)[], vaultAuth: [] as (string | undefined)[], statuses: [] as number[] };
        const server = await listen((req, res) => {
            const url = new URL(req.url ?? "/", "http://fake");
            if (url.pathname === "/metadata/identity/oauth2/token") {
                seen.tokenQueries.push(url.search);
                seen.metadataHeaders.push(req.headers.metadata as string | undefined);
                res.end(JSON.stringify({ access_token: "token-for-vault", token_type: "Bearer" }));
                return;
            }
            const secret = /^\/secrets\/([\w-]+)$/.exec(url.pathname)?.[1];
            seen.vaultAuth.push(req.headers.authorization);
            const status = !secret || !(secret in secrets) ? 404 : seen.statuses.length < refusals ? 403 : 200;
            seen.statuses.push(status);
            res.statusCode = status;
            res.end(JSON.stringify(status === 200 ? { value: secrets[secret!] } : { error: { code: "Forbidden" } }));
        });
        return { server, seen };
    }

    it("retries 403s until the role assignment has propagated, then writes each secret to a root-only file", async function () {
        this.timeout(60000);
        const dir = tempDir();
        const { server, seen } = await fakeAzure(2);
        try {
            const result = await runBash(writeScript(dir, "fetch", script), {
                MYSQL_DR_IMDS_URL: server.url, MYSQL_DR_VAULT_URL: server.url, MYSQL_DR_SECRETS_DIR: path.join(dir, "run"), MYSQL_DR_FETCH_FIRST_DELAY: "1",
            });
            assert.strictEqual(result.code, 0, result.stderr);
            assert.deepStrictEqual(seen.statuses, [403, 403, 200, 200, 200]);
            assert.match(result.stderr, /get_secret restore-sas blob\.sas failed; retrying in 1s/);
            assert.match(result.stderr, /retrying in 2s/, "backs off");
        } finally {
            await server.close();
        }
        assert.deepStrictEqual(seen.tokenQueries, [`?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=${boot.identityClientId}`],
            "the token request names the user-assigned identity");
        assert.deepStrictEqual(seen.metadataHeaders, ["true"]);
        assert.ok(seen.vaultAuth.every(h => h === "Bearer token-for-vault"));
        const read = (name: string) => fs.readFileSync(path.join(dir, "run", name), "utf8").trim();
        assert.deepStrictEqual([read("blob.sas"), read("tools.sas"), read("mysql.password")],
            [secrets[VAULT_SECRETS.restoreSas], secrets[VAULT_SECRETS.toolsSas], secrets[VAULT_SECRETS.mysqlPassword]]);
        assert.strictEqual(fs.statSync(path.join(dir, "run", "mysql.password")).mode & 0o777, 0o600);
        assert.strictEqual(fs.statSync(path.join(dir, "run")).mode & 0o777, 0o700);
        assert.ok(!fs.existsSync(path.join(dir, "run", ".authorization")), "the bearer token does not outlive the fetch");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("fails at its deadline while the vault keeps refusing, leaving no secret behind, so systemd restarts the unit", async function () {
        this.timeout(60000);
        const dir = tempDir();
        const { server, seen } = await fakeAzure(Number.MAX_SAFE_INTEGER);
        try {
            const result = await runBash(writeScript(dir, "fetch", script), {
                MYSQL_DR_IMDS_URL: server.url, MYSQL_DR_VAULT_URL: server.url, MYSQL_DR_SECRETS_DIR: path.join(dir, "run"),
                MYSQL_DR_FETCH_FIRST_DELAY: "1", MYSQL_DR_FETCH_SECONDS: "2",
            });
            assert.strictEqual(result.code, 1, "a failure systemd's Restart=on-failure acts on");
            assert.match(result.stderr, /still failing at the deadline/);
        } finally {
            await server.close();
        }
        assert.ok(seen.statuses.length >= 2 && seen.statuses.every(s => s === 403));
        assert.deepStrictEqual(fs.readdirSync(path.join(dir, "run")).filter(f => !f.startsWith(".")), []);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("emergency boot: the Node runtime for the restore bundle", () => {
    const config = cloudConfig(appCloudInit(boot));
    const installer = file(config, "/usr/local/sbin/mysql-dr-install-node");

    it("installs a Node at least as new as the bundle's esbuild target, not Ubuntu 24.04's nodejs (18)", () => {
        const bundleSource = fs.readFileSync(path.join(__dirname, "../../backup/packaging/bundle.ts"), "utf8");
        const target = /target:\s*"node(\d+)"/.exec(bundleSource);
        assert.ok(target, "bundle.ts names a node target");
        const installed = /^version=(\d+)\.(\d+)\.(\d+)$/m.exec(installer);
        assert.ok(installed, "the installer pins a version");
        assert.ok(Number(installed[1]) >= Number(target[1]), `installs Node ${installed[0]}, the bundle targets node${target[1]}`);
        assert.strictEqual(installed.slice(1).join("."), NODE_RUNTIME.version);
        assert.ok(!config.packages.some(p => /^nodejs\b/.test(p)), "no apt nodejs: Ubuntu 24.04's is Node 18");
        assert.ok(config.packages.includes("xz-utils"), "the tarball is .tar.xz");
        assert.ok(config.packages.includes("zstd"), "chunked backups are zstd frames");
        assert.match(installer, new RegExp(`x86_64\\) arch=x64; sha256=${NODE_RUNTIME.sha256.x64} ;;`));
        assert.match(installer, new RegExp(`aarch64\\) arch=arm64; sha256=${NODE_RUNTIME.sha256.arm64} ;;`));
        assert.match(file(config, "/usr/local/sbin/mysql-dr-restore-once"), new RegExp(`"\\$root${NODE_PREFIX}/bin/node" "\\$root/opt/mysql-dr/mysql-dr\\.js" restore`),
            "the restore runs the installed Node, not whatever node is on PATH");
    });

    /** nodejs.org serving `tarball` for every Linux build of `version`. */
    async function fakeNodeDist(version: string, tarball: Buffer) {
        const requests: string[] = [];
        const server = await listen((req, res) => {
            requests.push(req.url ?? "");
            if (req.url?.startsWith(`/v${version}/node-v${version}-linux-`)) {
                res.end(tarball);
            } else {
                res.statusCode = 404;
                res.end();
            }
        });
        return { server, requests };
    }

    /** A `.tar.xz` shaped like Node's: node-v<version>-linux-<arch>/bin/node printing its version. */
    function fakeNodeTarball(dir: string, version: string): Buffer {
        const top = `node-v${version}-linux-${process.arch === "arm64" ? "arm64" : "x64"}`;
        fs.mkdirSync(path.join(dir, top, "bin"), { recursive: true });
        writeScript(path.join(dir, top, "bin"), "node", `#!/bin/sh\necho v${version}\n`);
        execFileSync("tar", ["-cJf", path.join(dir, "node.tar.xz"), "-C", dir, top]);
        return fs.readFileSync(path.join(dir, "node.tar.xz"));
    }

    it("refuses a download whose SHA-256 is not the pinned one and installs nothing", async function () {
        this.timeout(60000);
        const dir = tempDir();
        const { server, requests } = await fakeNodeDist(NODE_RUNTIME.version, fakeNodeTarball(dir, NODE_RUNTIME.version));
        const prefix = path.join(dir, "opt-node");
        try {
            const result = await runBash(writeScript(dir, "install-node", installer), { MYSQL_DR_NODE_DIST: server.url, MYSQL_DR_NODE_PREFIX: prefix });
            assert.strictEqual(result.code, 1);
            assert.match(result.stderr, /does not match its pinned SHA-256; not installed/);
        } finally {
            await server.close();
        }
        assert.strictEqual(requests.length, 1);
        assert.ok(!fs.existsSync(prefix) && !fs.existsSync(`${prefix}.new`));
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("installs a tarball matching its pin, and leaves an installed runtime alone on the next boot", async function () {
        this.timeout(60000);
        const dir = tempDir();
        const tarball = fakeNodeTarball(dir, "99.1.2");
        const sha256 = require("crypto").createHash("sha256").update(tarball).digest("hex") as string;
        const script = writeScript(dir, "install-node", nodeInstallScript({ version: "99.1.2", sha256: { x64: sha256, arm64: sha256 } }));
        const { server, requests } = await fakeNodeDist("99.1.2", tarball);
        const prefix = path.join(dir, "opt-node");
        try {
            for (let run = 0; run < 2; run++) {
                const result = await runBash(script, { MYSQL_DR_NODE_DIST: server.url, MYSQL_DR_NODE_PREFIX: prefix });
                assert.strictEqual(result.code, 0, result.stderr);
            }
        } finally {
            await server.close();
        }
        assert.strictEqual(execFileSync(path.join(prefix, "bin", "node"), { encoding: "utf8" }).trim(), "v99.1.2");
        assert.strictEqual(requests.length, 1, "the second run found the version installed and downloaded nothing");
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("emergency boot: nothing secret in the boot document", () => {
    it("carries identifiers and URLs only: no SAS, password or token", () => {
        const text = appCloudInit({ ...boot, appArtifactUrl: "https://artifacts.example.com/app.jar" });
        assert.ok(!/sig=/.test(text), "no SAS signature");
        assert.deepStrictEqual(text.match(/Bearer \S+/g), ["Bearer %s\\n'"], "the only bearer token is the one fetched at boot");
        assert.match(text, /LoadCredential=db-password:\/run\/mysql-dr\/mysql\.password/, "the app gets the password from tmpfs at run time");
    });
});

describe("component: EmergencyIdentity", () => {
    /** What Azure reports for a user-assigned identity: its service principal's object id and its client id. */
    const withIdentityIds = (type: string, name: string, inputs: Record<string, unknown>) => {
        const state = mockState(type, name, inputs);
        return type === "azure-native:managedidentity:UserAssignedIdentity"
            ? { id: state.id, state: { ...state.state, principalId: `principal-of-${name}`, clientId: `client-of-${name}` } }
            : state;
    };

    async function declareIdentity() {
        const run = await runProgram(() => {
            const vault = new SecretVault("drvault", { resourceGroupName: "rg", location: "koreacentral", tenantId: "tenant", allowedSubnetIds: [], secrets: {} });
            return new EmergencyIdentity("emergency-app-identity", { resourceGroupName: "rg", location: "koreacentral", vault, subscriptionId: "sub-1" });
        }, {}, "components", { mockState: withIdentityIds });
        return run.resources.filter(r => !r.type.startsWith("pulumi:"));
    }

    it("grants only Key Vault Secrets User on the vault, to a service principal, under a name derived from the grant", async () => {
        const resources = await declareIdentity();
        const identity = named(resources, "azure-native:managedidentity:UserAssignedIdentity", "emergency-app-identity");
        assert.strictEqual(identity.inputs.location, "koreacentral");
        const [assignment, ...others] = ofType(resources, "azure-native:authorization:RoleAssignment");
        assert.deepStrictEqual(others, []);
        const vaultId = named(resources, "azure-native:keyvault:Vault", "drvault").id;
        assert.strictEqual(assignment.inputs.scope, vaultId);
        assert.strictEqual(assignment.inputs.principalId, "principal-of-emergency-app-identity");
        assert.strictEqual(assignment.inputs.principalType, "ServicePrincipal", "no Entra lookup, which fails while a new identity replicates");
        assert.strictEqual(assignment.inputs.roleDefinitionId, `/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`);
        assert.strictEqual(assignment.inputs.roleAssignmentName, roleAssignmentGuid(vaultId!, "principal-of-emergency-app-identity", KEY_VAULT_SECRETS_USER_ROLE));
        assert.strictEqual(assignment.parentUrn?.includes("dr:azure:EmergencyIdentity"), true);
    });

    it("names an assignment with a version-5 GUID that is stable for one grant and differs for another principal", () => {
        const scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v";
        const name = roleAssignmentGuid(scope, "p1", KEY_VAULT_SECRETS_USER_ROLE);
        assert.match(name, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(roleAssignmentGuid(scope.toUpperCase(), "P1", KEY_VAULT_SECRETS_USER_ROLE), name, "ARM ids compare case-insensitively");
        assert.notStrictEqual(roleAssignmentGuid(scope, "p2", KEY_VAULT_SECRETS_USER_ROLE), name);
    });
});
