import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    AGENT_SECRET_KEYS, agentSettingsProblems, AL2023_AMI_PARAMETER, backupAgentConfigSha256, backupAgentDocument, backupAgentFiles,
    BackupAgentConfig, backupAgentScript, BackupInstance, BackupInstanceArgs, backupInstanceUserData, BACKUP_PATHS, BACKUP_UNITS,
    PACKAGED_AGENT_UNIT, TOOL_INSTALL_PARAMETER_PATTERNS, TOOL_INSTALL_SCHEDULE, validateBackupInstanceArgs,
} from "../../components/aws";
import { constructionError, declare } from "../support/components";
import { named, statementsOf } from "../support/query";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mockCloud = require("../../plan/mockCloud") as {
    mockCall: (token: string, inputs: Record<string, unknown>) => Record<string, unknown>;
    mockState: (type: string, name: string, inputs: Record<string, unknown>) => { id: string; state: Record<string, unknown> };
};

const GET_PARAMETER = "aws:ssm/getParameter:getParameter";
const LOOKED_UP_AMI = "ami-0a1b2c3d4e5f60718";

const args = (overrides: Partial<BackupInstanceArgs> = {}): BackupInstanceArgs => ({
    region: "ap-northeast-2",
    vpcId: "vpc-1",
    subnetId: "subnet-private",
    instanceType: "t3.small",
    kmsKeyArn: "arn:aws:kms:ap-northeast-2:123456789012:key/k",
    artifact: new pulumi.asset.StringAsset("console.log('tool v1')"),
    secretSettings: { DR_MYSQL_PASSWORD: "TopSecretPassword!", DR_BLOB_SAS: "sv=x&sig=SecretSignature" },
    settings: { DR_MYSQL_HOST: "db.internal", DR_DATABASES: "app" },
    databaseCidrs: ["10.10.224.0/21"],
    binlogRetentionHours: 48,
    ...overrides,
});

interface Declared {
    resources: Awaited<ReturnType<typeof declare>>["resources"];
    /** Resource options the engine received, by `type::name`. */
    options: Map<string, pulumi.CustomResourceOptions>;
    /** SSM parameter lookups the program made. */
    lookups: Record<string, unknown>[];
}

/** Declares a BackupInstance with the SSM parameter answering LOOKED_UP_AMI, recording options and lookups. */
async function declareInstance(instanceArgs: BackupInstanceArgs): Promise<Declared> {
    const lookups: Record<string, unknown>[] = [];
    const original = mockCloud.mockCall;
    mockCloud.mockCall = (token, inputs) => {
        if (token === GET_PARAMETER) {
            lookups.push(inputs);
            return { ...inputs, value: LOOKED_UP_AMI, type: "String", version: 1 };
        }
        return original(token, inputs);
    };
    const options = new Map<string, pulumi.CustomResourceOptions>();
    try {
        const { resources } = await declare(() => {
            pulumi.runtime.registerStackTransformation(t => {
                options.set(`${t.type}::${t.name}`, t.opts as pulumi.CustomResourceOptions);
                return undefined;
            });
            return new BackupInstance("agent", instanceArgs);
        });
        return { resources, options, lookups };
    } finally {
        mockCloud.mockCall = original;
    }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Whether real jq is here to run the fetch script; without it the exact jq command is asserted instead. */
const HAS_JQ = spawnSync("jq", ["--version"]).status === 0;

/** A directory of stub commands put first on PATH; each logs its arguments to `calls`. */
function stubs(dir: string, scripts: Record<string, string>): string {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    for (const [command, body] of Object.entries(scripts)) {
        fs.writeFileSync(path.join(bin, command), `#!/bin/bash\necho "${command} $*" >> "${dir}/calls"\n${body}\n`, { mode: 0o755 });
    }
    return `${bin}:${process.env.PATH}`;
}

const CONFIG: BackupAgentConfig = {
    region: "ap-northeast-2",
    secretArn: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:agent-settings-abc",
    settings: { DR_MYSQL_HOST: "db.internal", DR_DATABASES: "app", DR_FULL_BACKUP_INTERVAL: "24h" },
    binlogRetentionHours: 24,
};

/** The files a document's script writes, decoded from its `put` lines: path to content. */
function filesInDocument(content: string): Map<string, string> {
    const lines: string[] = JSON.parse(content).mainSteps[0].inputs.runCommand;
    const files = new Map<string, string>();
    for (const line of lines) {
        const match = /^if put (\S+) \S+ \S+ '([A-Za-z0-9+/=]*)'; then/.exec(line);
        if (match) {
            files.set(match[1], Buffer.from(match[2], "base64").toString("utf8"));
        }
    }
    return files;
}

describe("component: BackupInstance", () => {
    it("boots from a fixed bootstrap: no setting, secret, script or unit in user data", async () => {
        const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
        const userData: string = named(resources, "aws:ec2/instance:Instance", "agent").inputs.userData;
        assert.strictEqual(userData, backupInstanceUserData());
        for (const absent of ["DR_MYSQL_HOST", "db.internal", "secretsmanager", "[Unit]", "[Service]", "binlog retention", "systemctl", "TopSecretPassword", "SecretSignature"]) {
            assert.ok(!userData.includes(absent), `user data has no ${absent}`);
        }
        assert.match(userData, /dnf install -y mysql-community-client nodejs20 jq awscli-2/);
        assert.match(userData, /useradd --system/);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "agent-sg");
        assert.deepStrictEqual(sg.inputs.egress.find((r: any) => r.fromPort === 3306).cidrBlocks, ["10.10.224.0/21"]);
    });

    it("carries the configuration in the association's document: settings and secret ARN, never the secret's value", async () => {
        const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
        const content: string = named(resources, "aws:ssm/document:Document", "agent-tool-install").inputs.content;
        const files = filesInDocument(content);
        assert.deepStrictEqual([...files.keys()], backupAgentFiles(CONFIG).map(f => f.path));
        assert.strictEqual(files.get(BACKUP_PATHS.config), "DR_MYSQL_HOST=db.internal\nDR_DATABASES=app\n");
        const secretArn = /--secret-id '(arn:aws:secretsmanager:ap-northeast-2:\d{12}:secret:agent-settings-[0-9a-f]+)'/.exec(files.get(BACKUP_PATHS.fetchSecret)!)?.[1];
        assert.ok(secretArn, "the fetch script names this instance's secret");
        assert.match(files.get(BACKUP_PATHS.binlogRetention)!, /binlog retention hours', 48\)/);
        for (const text of [content, ...files.values()]) {
            assert.ok(!text.includes("TopSecretPassword") && !text.includes("SecretSignature"));
        }
        const config: BackupAgentConfig = { region: "ap-northeast-2", secretArn, settings: { DR_MYSQL_HOST: "db.internal", DR_DATABASES: "app" }, binlogRetentionHours: 48 };
        assert.strictEqual(content, backupAgentDocument(config));
        const association = named(resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
        assert.strictEqual(association.parameters.configSha256, backupAgentConfigSha256(backupAgentFiles(config)));
        assert.ok(Buffer.byteLength(content) < 64 * 1024, `${Buffer.byteLength(content)} bytes: SSM refuses documents over 64 KB`);
    });

    describe("configuration changes", () => {
        const cases: [string, Partial<BackupInstanceArgs>, Partial<BackupInstanceArgs>][] = [
            ["binlogRetentionHours", { binlogRetentionHours: 48 }, { binlogRetentionHours: 72 }],
            ["a setting (the full-backup interval)", { settings: { DR_MYSQL_HOST: "db.internal", DR_FULL_BACKUP_INTERVAL: "24h" } }, { settings: { DR_MYSQL_HOST: "db.internal", DR_FULL_BACKUP_INTERVAL: "12h" } }],
        ];
        for (const [label, before, after] of cases) {
            it(`changing ${label} updates the association's document and digest, never the instance`, async () => {
                const first = await declareInstance(args({ ami: "ami-0123456789abcdef0", ...before }));
                const second = await declareInstance(args({ ami: "ami-0123456789abcdef0", ...after }));
                const instance = (run: Declared) => named(run.resources, "aws:ec2/instance:Instance", "agent").inputs;
                const association = (run: Declared) => named(run.resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
                const document = (run: Declared) => named(run.resources, "aws:ssm/document:Document", "agent-tool-install").inputs;
                assert.deepStrictEqual(instance(second), instance(first), "user data, image and every other instance input stay the same");
                assert.notStrictEqual(association(second).parameters.configSha256, association(first).parameters.configSha256);
                assert.deepStrictEqual({ ...association(second).parameters, configSha256: undefined }, { ...association(first).parameters, configSha256: undefined });
                assert.notStrictEqual(document(second).content, document(first).content);
            });
        }

        it("a new secret value (a renewed SAS) reaches the instance through the secret's version id, never its value", async () => {
            const original = mockCloud.mockState;
            // Secrets Manager gives every new value a new version id.
            mockCloud.mockState = (type, name, inputs) => {
                const result = original(type, name, inputs);
                return type === "aws:secretsmanager/secretVersion:SecretVersion"
                    ? { ...result, state: { ...result.state, versionId: sha256(String(inputs.secretString)).slice(0, 32) } }
                    : result;
            };
            try {
                const first = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
                const second = await declareInstance(args({ ami: "ami-0123456789abcdef0", secretSettings: { DR_MYSQL_PASSWORD: "TopSecretPassword!", DR_BLOB_SAS: "sv=y&sig=RenewedSignature" } }));
                const instance = (run: Declared) => named(run.resources, "aws:ec2/instance:Instance", "agent").inputs;
                const content = (run: Declared): string => named(run.resources, "aws:ssm/document:Document", "agent-tool-install").inputs.content;
                const version = (run: Declared) => filesInDocument(content(run)).get(BACKUP_PATHS.secretVersion);
                assert.deepStrictEqual(instance(second), instance(first));
                assert.match(version(first)!, /^[0-9a-f]{32}\n$/);
                assert.notStrictEqual(version(second), version(first));
                assert.ok(!content(second).includes("RenewedSignature") && !content(second).includes(Buffer.from("RenewedSignature").toString("base64")));
                const association = (run: Declared) => named(run.resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
                assert.notStrictEqual(association(second).parameters.configSha256, association(first).parameters.configSha256);
            } finally {
                mockCloud.mockState = original;
            }
        });

        it("refuses settings that would break the env file, before anything is written", () => {
            assert.deepStrictEqual(agentSettingsProblems({ DR_MYSQL_HOST: "db\nDR_EVIL=1", "BAD=KEY": "x", DR_OK: "a b 'c' $d" }), [
                "agent setting DR_MYSQL_HOST contains a line break or NUL",
                'agent setting "BAD=KEY" is not an environment variable name',
            ]);
            assert.throws(() => backupAgentFiles({ ...CONFIG, settings: { DR_MYSQL_HOST: "db\nDR_EVIL=1" } }), /backup agent settings: agent setting DR_MYSQL_HOST contains a line break/);
        });
    });

    describe("AMI and user data", () => {
        it("resolves AL2023 once through the region's SSM parameter and ignores later images and user data", async () => {
            const { resources, options, lookups } = await declareInstance(args());
            const instance = named(resources, "aws:ec2/instance:Instance", "agent");
            assert.strictEqual(instance.inputs.ami, LOOKED_UP_AMI, "an image id, never a resolve:ssm: string EC2 re-resolves on every update");
            assert.deepStrictEqual(lookups.map(l => [l.name, l.region]), [[AL2023_AMI_PARAMETER, "ap-northeast-2"]]);
            assert.deepStrictEqual(options.get("aws:ec2/instance:Instance::agent")?.ignoreChanges, ["ami", "userData"]);
        });

        it("boots a pinned image without any lookup, and lets a changed pin show as a replacement", async () => {
            const { resources, options, lookups } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            assert.strictEqual(named(resources, "aws:ec2/instance:Instance", "agent").inputs.ami, "ami-0123456789abcdef0");
            assert.deepStrictEqual(lookups, [], "a pinned image needs no call to the region's SSM (which may be down)");
            // ignoreChanges would keep the state's old image even through `pulumi up --replace`.
            assert.deepStrictEqual(options.get("aws:ec2/instance:Instance::agent")?.ignoreChanges, ["userData"]);
        });

        it("never compares user data, so an instance deployed with the older, longer user data is kept", async () => {
            // The engine diffs an ignored property against the state's own value: the provider sees no user-data change.
            const { resources, options } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            const instance = named(resources, "aws:ec2/instance:Instance", "agent").inputs;
            assert.ok(options.get("aws:ec2/instance:Instance::agent")?.ignoreChanges?.includes("userData"));
            assert.strictEqual(instance.userDataReplaceOnChange, true, "unchanged from earlier releases: no in-place diff on the flag either");
        });

        it("refuses an image id that is not one", () => {
            assert.deepStrictEqual(validateBackupInstanceArgs(args({ ami: "al2023" })), ['ami: "al2023" is not an EC2 image id like ami-0123456789abcdef0']);
            assert.deepStrictEqual(validateBackupInstanceArgs(args({ ami: "ami-0123456789abcdef0" })), []);
            assert.deepStrictEqual(validateBackupInstanceArgs(args({ ami: "ami-01234567" })), []);
            assert.match(constructionError(() => new BackupInstance("bad", args({ ami: "ami-XYZ" }))).message, /BackupInstance bad: ami: "ami-XYZ" is not an EC2 image id/);
        });
    });

    describe("tool updates", () => {
        it("ships a new build through the SSM association's parameters, never through the instance", async () => {
            const v1 = "console.log('tool v1')";
            const v2 = "console.log('tool v2')";
            const first = await declareInstance(args({ ami: "ami-0123456789abcdef0", artifact: new pulumi.asset.StringAsset(v1) }));
            const second = await declareInstance(args({ ami: "ami-0123456789abcdef0", artifact: new pulumi.asset.StringAsset(v2) }));
            const association = (run: Declared) => named(run.resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
            const document = (run: Declared) => named(run.resources, "aws:ssm/document:Document", "agent-tool-install").inputs;
            assert.strictEqual(association(first).parameters.sha256, sha256(v1));
            assert.strictEqual(association(second).parameters.sha256, sha256(v2));
            assert.deepStrictEqual(
                { ...association(first).parameters, sha256: undefined },
                { ...association(second).parameters, sha256: undefined },
                "only the digest (and at deploy the S3 version) changes",
            );
            assert.strictEqual(document(second).content, document(first).content, "a build is a parameter, not a new document version");
            const instance = (run: Declared) => named(run.resources, "aws:ec2/instance:Instance", "agent").inputs;
            assert.deepStrictEqual(instance(second), instance(first), "user data, image and every other instance input stay the same");
            assert.ok(!instance(first).userData.includes(sha256(v1)));
        });

        it("targets the instance with the document, re-applied on a schedule, every parameter within its pattern", async () => {
            const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            const association = named(resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
            const document = named(resources, "aws:ssm/document:Document", "agent-tool-install");
            const instance = named(resources, "aws:ec2/instance:Instance", "agent");
            assert.deepStrictEqual(association.targets, [{ key: "InstanceIds", values: [instance.id] }]);
            assert.strictEqual(association.scheduleExpression, TOOL_INSTALL_SCHEDULE);
            assert.deepStrictEqual(Object.keys(association.parameters).sort(), Object.keys(TOOL_INSTALL_PARAMETER_PATTERNS).sort());
            assert.deepStrictEqual(Object.keys(JSON.parse(document.inputs.content).parameters).sort(), Object.keys(TOOL_INSTALL_PARAMETER_PATTERNS).sort());
            assert.strictEqual(association.parameters.key, "mysql-dr/mysql-dr.js");
            assert.strictEqual(association.parameters.region, "ap-northeast-2");
            assert.strictEqual(document.inputs.documentType, "Command");
            for (const [parameter, pattern] of Object.entries(TOOL_INSTALL_PARAMETER_PATTERNS)) {
                const value = String(association.parameters[parameter] ?? "");
                assert.match(value, new RegExp(pattern), `${parameter} ${value} passes the document's allowedPattern`);
            }
        });

        it("lets the instance role fetch exactly the artifact's versions and register with SSM", async () => {
            const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            const statements = statementsOf(named(resources, "aws:iam/rolePolicy:RolePolicy", "agent-least-privilege").inputs.policy);
            const artifact = statements.find(s => (s as { Sid?: string }).Sid === "ReadOwnArtifact")!;
            assert.deepStrictEqual(artifact.Action, ["s3:GetObject", "s3:GetObjectVersion"]);
            assert.match(String(artifact.Resource), /^arn:aws:s3:::agent-artifacts-[0-9a-f]+\/mysql-dr\/mysql-dr\.js$/);
            assert.match(named(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "agent-ssm").inputs.policyArn, /AmazonSSMManagedInstanceCore$/);
        });

        it("runs one script: the document runs it, and the agent waits for the tool", () => {
            const document = JSON.parse(backupAgentDocument(CONFIG));
            assert.deepStrictEqual(document.mainSteps[0].inputs.runCommand, backupAgentScript(CONFIG).trimEnd().split("\n"));
            assert.ok(!backupInstanceUserData().includes("s3 cp") && !backupInstanceUserData().includes("get-object"), "user data downloads nothing");
            const dropIn = backupAgentFiles(CONFIG).find(f => f.path.endsWith("mysql-dr-agent.service.d/secrets.conf"))!;
            assert.ok(dropIn.content.includes(`ConditionPathExists=${BACKUP_PATHS.tool}`), "the agent is skipped until the tool is installed");
            assert.match(backupAgentScript(CONFIG), /if \[ -z "\$root" \] && ! command -v zstd >\/dev\/null 2>&1; then\n  dnf install -y zstd \|\| echo .*gzip/,
                "zstd for chunked backups comes with the association (instances booted before it get it too), and its absence never fails the install");
        });
    });

    describe("install script (run with bash in a temporary root)", () => {
        let dir: string;
        let root: string;
        let tool: string;
        let env: NodeJS.ProcessEnv;
        const release = (bytes: string) => path.join(dir, `release-${sha256(bytes)}`);
        const run = (expected: string, config: BackupAgentConfig = CONFIG) => {
            const script = backupAgentScript(config, "[Unit]\nDescription=agent\n")
                .replace("root=''", `root='${root}'`)
                .replace(/\{\{ sha256 \}\}/g, expected).replace(/\{\{ version \}\}/g, "v-1")
                .replace(/\{\{ configSha256 \}\}/g, backupAgentConfigSha256(backupAgentFiles(config, "[Unit]\nDescription=agent\n")))
                .replace(/\{\{ region \}\}/g, "ap-northeast-2").replace(/\{\{ bucket \}\}/g, "artifacts").replace(/\{\{ key \}\}/g, "mysql-dr/mysql-dr.js");
            fs.writeFileSync(path.join(dir, "calls"), "");
            return spawnSync("bash", ["-c", script], { env, encoding: "utf8" });
        };
        const calls = () => fs.readFileSync(path.join(dir, "calls"), "utf8");
        const restarts = () => calls().split("\n").filter(line => line.startsWith("systemctl restart"));
        const inRoot = (file: string) => path.join(root, file);
        const strays = () => fs.readdirSync(root, { recursive: true }).map(String).filter(f => path.basename(f).startsWith(".mysql-dr"));
        const { secret, binlogRetention, agent } = BACKUP_UNITS;

        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-install-"));
            root = path.join(dir, "root");
            tool = inRoot(BACKUP_PATHS.tool);
            fs.mkdirSync(path.dirname(tool), { recursive: true });
            fs.writeFileSync(release("v2"), "v2");
            env = {
                ...process.env,
                DOWNLOAD: release("v2"),
                PATH: stubs(dir, {
                    "cloud-init": "exit 0",
                    systemctl: "exit 0",
                    // Not root here: ownership is the instance's business.
                    chown: "exit 0",
                    // get-object ... <outfile>: copies the file DOWNLOAD names.
                    aws: "cp \"$DOWNLOAD\" \"${@: -1}\"",
                }),
            };
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("writes every file and the verified build on the first run, reloads systemd and restarts the units", () => {
            const first = run(sha256("v2"));
            assert.strictEqual(first.status, 0, first.stderr);
            for (const file of backupAgentFiles(CONFIG, "[Unit]\nDescription=agent\n")) {
                assert.strictEqual(fs.readFileSync(inRoot(file.path), "utf8"), file.content, file.path);
                assert.strictEqual((fs.statSync(inRoot(file.path)).mode & 0o777).toString(8), file.mode.replace(/^0/, ""), `${file.path} mode`);
                const temporary = `${path.dirname(inRoot(file.path))}/.mysql-dr.`;
                assert.ok(calls().includes(`chown ${file.owner} ${temporary}`), `${file.path} owned by ${file.owner} before it is renamed into place`);
            }
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v2");
            assert.match(calls(), /aws s3api get-object --region ap-northeast-2 --bucket artifacts --key mysql-dr\/mysql-dr\.js --version-id v-1 /);
            assert.match(calls(), /systemctl daemon-reload/);
            assert.match(calls(), new RegExp(`systemctl enable ${agent}`));
            assert.deepStrictEqual(restarts(), [`systemctl restart ${agent} ${binlogRetention} ${secret}`]);
            assert.ok(!fs.existsSync(inRoot(BACKUP_PATHS.restartPending)), "nothing owed after a successful restart");
            assert.deepStrictEqual(strays(), [], "no temporary file left behind");
        });

        it("restarts nothing and downloads nothing on an identical second run", () => {
            assert.strictEqual(run(sha256("v2")).status, 0);
            const written = fs.statSync(inRoot(BACKUP_PATHS.config)).mtimeMs;
            const again = run(sha256("v2"));
            assert.strictEqual(again.status, 0, again.stderr);
            assert.match(again.stdout, /already installed/);
            assert.doesNotMatch(again.stdout, /wrote/);
            assert.deepStrictEqual(restarts(), []);
            assert.doesNotMatch(calls(), /daemon-reload|get-object/);
            assert.match(calls(), new RegExp(`systemctl is-active --quiet ${agent}`), "only checks the agent is running");
            assert.strictEqual(fs.statSync(inRoot(BACKUP_PATHS.config)).mtimeMs, written);
            assert.deepStrictEqual(strays(), []);
        });

        it("restarts the agent and the retention unit when a setting changed, without a reload", () => {
            assert.strictEqual(run(sha256("v2")).status, 0);
            const changed = { ...CONFIG, settings: { ...CONFIG.settings, DR_FULL_BACKUP_INTERVAL: "12h" } };
            const result = run(sha256("v2"), changed);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(fs.readFileSync(inRoot(BACKUP_PATHS.config), "utf8"), /^DR_FULL_BACKUP_INTERVAL=12h$/m);
            assert.deepStrictEqual(restarts(), [`systemctl restart ${agent} ${binlogRetention}`]);
            assert.doesNotMatch(calls(), /daemon-reload|get-object/);
        });

        it("reloads systemd and re-runs only the retention unit when binlogRetentionHours changed", () => {
            assert.strictEqual(run(sha256("v2")).status, 0);
            const result = run(sha256("v2"), { ...CONFIG, binlogRetentionHours: 72 });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(fs.readFileSync(inRoot(BACKUP_PATHS.binlogRetention), "utf8"), /'binlog retention hours', 72\)/);
            assert.match(calls(), /systemctl daemon-reload/);
            assert.deepStrictEqual(restarts(), [`systemctl restart ${binlogRetention}`]);
        });

        it("re-fetches the secret and restarts the agent when the secret has a new version", () => {
            assert.strictEqual(run(sha256("v2"), { ...CONFIG, secretVersionId: "version-1" }).status, 0);
            const result = run(sha256("v2"), { ...CONFIG, secretVersionId: "version-2" });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(restarts(), [`systemctl restart ${agent} ${secret}`]);
        });

        it("restarts only the agent for a new build", () => {
            assert.strictEqual(run(sha256("v2")).status, 0);
            fs.writeFileSync(release("v3"), "v3");
            env.DOWNLOAD = release("v3");
            const result = run(sha256("v3"));
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v3");
            assert.deepStrictEqual(restarts(), [`systemctl restart ${agent}`]);
        });

        it("owes a failed restart to the next run, even when nothing changed by then", () => {
            env.PATH = stubs(dir, { systemctl: "[ \"$1\" = restart ] && exit 1; exit 0" });
            const failed = run(sha256("v2"));
            assert.notStrictEqual(failed.status, 0, "a unit that does not start fails the association");
            assert.ok(fs.existsSync(inRoot(BACKUP_PATHS.restartPending)));
            env.PATH = stubs(dir, { systemctl: "exit 0" });
            const retried = run(sha256("v2"));
            assert.strictEqual(retried.status, 0, retried.stderr);
            assert.doesNotMatch(retried.stdout, /wrote/);
            assert.deepStrictEqual(restarts(), [`systemctl restart ${agent} ${binlogRetention} ${secret}`]);
            assert.ok(!fs.existsSync(inRoot(BACKUP_PATHS.restartPending)));
        });

        it("stops, restarting nothing, when a file cannot be written", () => {
            env.PATH = stubs(dir, { chown: "exit 1" });
            const result = run(sha256("v2"));
            assert.notStrictEqual(result.status, 0);
            assert.match(result.stderr, /cannot write \/etc\/mysql-dr\/agent\.env/);
            assert.ok(!fs.existsSync(inRoot(BACKUP_PATHS.config)));
            assert.deepStrictEqual(restarts(), []);
            assert.deepStrictEqual(strays(), []);
        });

        it("waits for the first boot: refuses to run after a failed one, goes ahead after warnings", () => {
            env.PATH = stubs(dir, { "cloud-init": "exit 1" });
            const failed = run(sha256("v2"));
            assert.notStrictEqual(failed.status, 0);
            assert.match(failed.stderr, /the first boot \(user data\) failed; not installing/);
            assert.ok(!fs.existsSync(tool));
            assert.ok(!fs.existsSync(inRoot("/etc")), "no configuration written either");
            env.PATH = stubs(dir, { "cloud-init": "exit 2" });
            const degraded = run(sha256("v2"));
            assert.strictEqual(degraded.status, 0, degraded.stderr);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v2");
        });

        it("refuses a download whose sha256 differs and keeps the installed tool running", () => {
            assert.strictEqual(run(sha256("v2")).status, 0);
            fs.writeFileSync(release("tampered"), "tampered");
            env.DOWNLOAD = release("tampered");
            const result = run(sha256("v3"));
            assert.notStrictEqual(result.status, 0);
            assert.match(result.stderr, /expected [0-9a-f]{64}; keeping the installed tool/);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v2");
            assert.deepStrictEqual(restarts(), []);
            assert.deepStrictEqual(strays(), []);
        });

        it("writes a setting's quotes and shell syntax literally: nothing in the configuration reaches the shell", () => {
            const hostile = `x'; touch "${dir}/pwned"; echo '$(touch ${dir}/pwned2)\`id\``;
            const result = run(sha256("v2"), { ...CONFIG, settings: { DR_MYSQL_HOST: hostile } });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(fs.readFileSync(inRoot(BACKUP_PATHS.config), "utf8"), `DR_MYSQL_HOST=${hostile}\n`);
            assert.ok(!fs.existsSync(path.join(dir, "pwned")) && !fs.existsSync(path.join(dir, "pwned2")));
        });
    });

    describe("secret settings", () => {
        let dir: string;
        const fetchScript = () => {
            let script = backupAgentFiles(CONFIG).find(f => f.path === BACKUP_PATHS.fetchSecret)!.content;
            for (const file of Object.values(AGENT_SECRET_KEYS)) {
                script = script.split(file).join(path.join(dir, path.basename(file)));
            }
            return script;
        };
        const fetch = (secret: unknown) => {
            const PATH = stubs(dir, { aws: "printf '%s' \"$SECRET\"" });
            return spawnSync("bash", ["-c", fetchScript()], { env: { ...process.env, PATH, SECRET: JSON.stringify(secret) }, encoding: "utf8" });
        };
        const written = () => fs.readdirSync(dir).filter(f => f.startsWith("agent."));

        it("reads each key with jq -e, so jq's own exit status decides", () => {
            const script = fetchScript();
            assert.ok(script.includes(`jq -er --arg key "$1" '.[$key] | strings | select(length > 0)' <<<"$secret"`));
            assert.doesNotMatch(script, /jq -r /);
            assert.match(script, /dr_mysql_password=\$\(field DR_MYSQL_PASSWORD\)\ndr_blob_sas|dr_blob_sas=\$\(field DR_BLOB_SAS\)\ndr_mysql_password=\$\(field DR_MYSQL_PASSWORD\)/);
            assert.match(script, /--secret-id 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:agent-settings-abc'/);
        });
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "fetch-secret-"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("writes each credential file from a complete secret", () => {
            if (!HAS_JQ) {
                return;
            }
            const result = fetch({ DR_BLOB_SAS: "sv=1&sig=abc", DR_MYSQL_PASSWORD: "pw'with\"quotes" });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(fs.readFileSync(path.join(dir, "agent.sas"), "utf8"), "sv=1&sig=abc");
            assert.strictEqual(fs.readFileSync(path.join(dir, "agent.mysql-password"), "utf8"), "pw'with\"quotes");
        });

        for (const [label, secret] of [
            ["a missing key", { DR_BLOB_SAS: "sv=1&sig=abc" }],
            ["a null value", { DR_BLOB_SAS: "sv=1&sig=abc", DR_MYSQL_PASSWORD: null }],
            ["an empty value", { DR_BLOB_SAS: "sv=1&sig=abc", DR_MYSQL_PASSWORD: "" }],
        ] as const) {
            it(`fails, writing no credential file, on ${label} (never the word null)`, () => {
                if (!HAS_JQ) {
                    return;
                }
                const result = fetch(secret);
                assert.notStrictEqual(result.status, 0, "the secret unit fails, so the agent (Requires=) does not start");
                assert.match(result.stderr, /the secret has no non-empty string DR_MYSQL_PASSWORD/);
                assert.deepStrictEqual(written(), []);
            });
        }

        it("installs the packaged agent unit unchanged, with a drop-in requiring the secret unit", () => {
            const unit = fs.readFileSync(PACKAGED_AGENT_UNIT, "utf8");
            const files = backupAgentFiles(CONFIG);
            assert.strictEqual(files.find(f => f.path === `/etc/systemd/system/${BACKUP_UNITS.agent}`)!.content, unit, "the unit from backup/packaging, as shipped");
            const fetchSecret = files.find(f => f.path === BACKUP_PATHS.fetchSecret)!.content;
            for (const credential of Object.values(AGENT_SECRET_KEYS)) {
                assert.ok(unit.includes(`:${credential}`), `the packaged unit loads ${credential}`);
                assert.ok(fetchSecret.includes(`> ${credential}.tmp && mv ${credential}.tmp ${credential}`), `the fetch script writes ${credential}`);
            }
            assert.match(fetchSecret, /umask 077/);
            const dropIn = files.find(f => f.path === `/etc/systemd/system/${BACKUP_UNITS.agent}.d/secrets.conf`)!.content;
            assert.match(dropIn, /^\[Unit\]\nRequires=mysql-dr-secret\.service\n/);
            assert.match(unit, /ProtectSystem=strict/);
        });
    });
});
