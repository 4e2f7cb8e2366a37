import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    AGENT_SECRET_KEYS, AL2023_AMI_PARAMETER, BackupInstance, BackupInstanceArgs, backupInstanceUserData, BACKUP_PATHS,
    backupToolInstallDocument, backupToolInstallScript, PACKAGED_AGENT_UNIT, TOOL_INSTALL_PARAMETER_PATTERNS,
    TOOL_INSTALL_SCHEDULE, validateBackupInstanceArgs,
} from "../../components/aws";
import { constructionError, declare } from "../support/components";
import { named, statementsOf } from "../support/query";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mockCloud = require("../../plan/mockCloud") as { mockCall: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> };

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

describe("component: BackupInstance", () => {
    it("boots from user data that names the secret but never holds its value", async () => {
        const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
        const instance = named(resources, "aws:ec2/instance:Instance", "agent");
        const userData: string = instance.inputs.userData;
        assert.ok(!userData.includes("TopSecretPassword") && !userData.includes("SecretSignature"));
        assert.match(userData, /DR_MYSQL_HOST=db\.internal/);
        assert.match(userData, /--secret-id 'arn:aws:secretsmanager:ap-northeast-2:\d{12}:secret:agent-settings-[0-9a-f]+'/);
        assert.match(userData, /binlog retention hours', 48/);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "agent-sg");
        assert.deepStrictEqual(sg.inputs.egress.find((r: any) => r.fromPort === 3306).cidrBlocks, ["10.10.224.0/21"]);
    });

    describe("AMI", () => {
        it("resolves AL2023 once through the region's SSM parameter and ignores later images", async () => {
            const { resources, options, lookups } = await declareInstance(args());
            const instance = named(resources, "aws:ec2/instance:Instance", "agent");
            assert.strictEqual(instance.inputs.ami, LOOKED_UP_AMI, "an image id, never a resolve:ssm: string EC2 re-resolves on every update");
            assert.deepStrictEqual(lookups.map(l => [l.name, l.region]), [[AL2023_AMI_PARAMETER, "ap-northeast-2"]]);
            assert.deepStrictEqual(options.get("aws:ec2/instance:Instance::agent")?.ignoreChanges, ["ami"]);
        });

        it("boots a pinned image without any lookup, and lets a changed pin show as a replacement", async () => {
            const { resources, options, lookups } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            assert.strictEqual(named(resources, "aws:ec2/instance:Instance", "agent").inputs.ami, "ami-0123456789abcdef0");
            assert.deepStrictEqual(lookups, [], "a pinned image needs no call to the region's SSM (which may be down)");
            // ignoreChanges would keep the state's old image even through `pulumi up --replace`.
            assert.deepStrictEqual(options.get("aws:ec2/instance:Instance::agent")?.ignoreChanges, []);
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
            assert.strictEqual(association(first).parameters.sha256, sha256(v1));
            assert.strictEqual(association(second).parameters.sha256, sha256(v2));
            assert.deepStrictEqual(
                { ...association(first).parameters, sha256: undefined },
                { ...association(second).parameters, sha256: undefined },
                "only the digest (and at deploy the S3 version) changes",
            );
            const instance = (run: Declared) => named(run.resources, "aws:ec2/instance:Instance", "agent").inputs;
            assert.deepStrictEqual(instance(second), instance(first), "user data, image and every other instance input stay the same");
            assert.ok(!instance(first).userData.includes(sha256(v1)));
        });

        it("targets the instance with the install document, re-applied on a schedule", async () => {
            const { resources } = await declareInstance(args({ ami: "ami-0123456789abcdef0" }));
            const association = named(resources, "aws:ssm/association:Association", "agent-tool-release").inputs;
            const document = named(resources, "aws:ssm/document:Document", "agent-tool-install");
            const instance = named(resources, "aws:ec2/instance:Instance", "agent");
            assert.deepStrictEqual(association.targets, [{ key: "InstanceIds", values: [instance.id] }]);
            assert.strictEqual(association.scheduleExpression, TOOL_INSTALL_SCHEDULE);
            assert.deepStrictEqual(Object.keys(association.parameters).sort(), Object.keys(TOOL_INSTALL_PARAMETER_PATTERNS).sort());
            assert.strictEqual(association.parameters.key, "mysql-dr/mysql-dr.js");
            assert.strictEqual(association.parameters.region, "ap-northeast-2");
            assert.strictEqual(document.inputs.documentType, "Command");
            assert.strictEqual(document.inputs.content, backupToolInstallDocument());
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

        it("installs from one script: the document runs it, user data only leaves the agent waiting for it", () => {
            const document = JSON.parse(backupToolInstallDocument());
            assert.deepStrictEqual(document.mainSteps[0].inputs.runCommand, backupToolInstallScript().trimEnd().split("\n"));
            const userData = backupInstanceUserData({ region: "ap-northeast-2", secretArn: "arn:s", settings: {}, binlogRetentionHours: 24 });
            assert.ok(!userData.includes("s3 cp") && !userData.includes("get-object"), "user data downloads nothing");
            assert.ok(userData.includes(`ConditionPathExists=${BACKUP_PATHS.tool}`), "the agent is skipped until the tool is installed");
        });
    });

    describe("install script (run with bash)", () => {
        let dir: string;
        let tool: string;
        let env: NodeJS.ProcessEnv;
        const release = (bytes: string) => path.join(dir, `release-${sha256(bytes)}`);
        const run = (expected: string) => {
            const script = backupToolInstallScript()
                .split(BACKUP_PATHS.tool).join(tool)
                .replace(/\{\{ sha256 \}\}/g, expected).replace(/\{\{ version \}\}/g, "v-1")
                .replace(/\{\{ region \}\}/g, "ap-northeast-2").replace(/\{\{ bucket \}\}/g, "artifacts").replace(/\{\{ key \}\}/g, "mysql-dr/mysql-dr.js");
            return spawnSync("bash", ["-c", script], { env, encoding: "utf8" });
        };
        const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8") : "");

        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-install-"));
            tool = path.join(dir, "opt", "mysql-dr.js");
            fs.mkdirSync(path.dirname(tool));
            env = {
                ...process.env,
                PATH: stubs(dir, {
                    "cloud-init": "exit 0",
                    systemctl: "[ \"$1\" = is-active ] && exit 0; exit 0",
                    // get-object ... <outfile>: copies the file DOWNLOAD names.
                    aws: "cp \"$DOWNLOAD\" \"${@: -1}\"",
                }),
            };
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("installs a verified build and restarts the agent, then does nothing for the same build", () => {
            fs.writeFileSync(release("v2"), "v2");
            env.DOWNLOAD = release("v2");
            const first = run(sha256("v2"));
            assert.strictEqual(first.status, 0, first.stderr);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v2");
            assert.match(calls(), /aws s3api get-object --region ap-northeast-2 --bucket artifacts --key mysql-dr\/mysql-dr\.js --version-id v-1 /);
            assert.match(calls(), /systemctl restart mysql-dr-agent\.service/);

            fs.writeFileSync(path.join(dir, "calls"), "");
            const again = run(sha256("v2"));
            assert.strictEqual(again.status, 0, again.stderr);
            assert.match(again.stdout, /already installed/);
            assert.doesNotMatch(calls(), /restart|get-object/, "the same build neither downloads nor restarts");
            assert.deepStrictEqual(fs.readdirSync(path.dirname(tool)), ["mysql-dr.js"], "no temporary file left behind");
        });

        it("waits for the first boot: refuses to install after a failed one, goes ahead after warnings", () => {
            fs.writeFileSync(release("v2"), "v2");
            env.DOWNLOAD = release("v2");
            env.PATH = stubs(dir, { "cloud-init": "exit 1" });
            const failed = run(sha256("v2"));
            assert.notStrictEqual(failed.status, 0);
            assert.match(failed.stderr, /the first boot \(user data\) failed; not installing/);
            assert.ok(!fs.existsSync(tool));
            env.PATH = stubs(dir, { "cloud-init": "exit 2" });
            const degraded = run(sha256("v2"));
            assert.strictEqual(degraded.status, 0, degraded.stderr);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v2");
        });

        it("refuses a download whose sha256 differs and keeps the installed tool running", () => {
            fs.writeFileSync(tool, "v1");
            fs.writeFileSync(release("tampered"), "tampered");
            env.DOWNLOAD = release("tampered");
            const result = run(sha256("v2"));
            assert.notStrictEqual(result.status, 0);
            assert.match(result.stderr, /expected [0-9a-f]{64}; keeping the installed tool/);
            assert.strictEqual(fs.readFileSync(tool, "utf8"), "v1");
            assert.doesNotMatch(calls(), /restart/);
            assert.deepStrictEqual(fs.readdirSync(path.dirname(tool)), ["mysql-dr.js"]);
        });
    });

    describe("secret settings", () => {
        let dir: string;
        const fetchScript = (userData: string) => {
            const match = /<<'FETCH'\n([\s\S]*?)\nFETCH\n/.exec(userData);
            assert.ok(match, "user data writes the fetch script");
            let script = match[1];
            for (const file of Object.values(AGENT_SECRET_KEYS)) {
                script = script.split(file).join(path.join(dir, path.basename(file)));
            }
            return script;
        };
        const fetch = (secret: unknown) => {
            const userData = backupInstanceUserData({ region: "ap-northeast-2", secretArn: "arn:s", settings: {}, binlogRetentionHours: 24 });
            const PATH = stubs(dir, { aws: "printf '%s' \"$SECRET\"" });
            return spawnSync("bash", ["-c", fetchScript(userData)], { env: { ...process.env, PATH, SECRET: JSON.stringify(secret) }, encoding: "utf8" });
        };
        const written = () => fs.readdirSync(dir).filter(f => f.startsWith("agent."));
        const userData = () => backupInstanceUserData({ region: "ap-northeast-2", secretArn: "arn:s", settings: {}, binlogRetentionHours: 24 });

        it("reads each key with jq -e, so jq's own exit status decides", () => {
            assert.ok(userData().includes(`jq -er --arg key "$1" '.[$key] | strings | select(length > 0)' <<<"$secret"`));
            assert.doesNotMatch(userData(), /jq -r /);
            assert.match(userData(), /dr_mysql_password=\$\(field DR_MYSQL_PASSWORD\)\ndr_blob_sas|dr_blob_sas=\$\(field DR_BLOB_SAS\)\ndr_mysql_password=\$\(field DR_MYSQL_PASSWORD\)/);
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

        it("installs the packaged agent unit unchanged, requiring the secret unit", () => {
            const unit = fs.readFileSync(PACKAGED_AGENT_UNIT, "utf8");
            const text = backupInstanceUserData({ region: "ap-northeast-2", secretArn: "arn:s", settings: {}, binlogRetentionHours: 24 });
            assert.ok(text.includes(unit.trimEnd()), "the unit from backup/packaging, as shipped");
            for (const credential of Object.values(AGENT_SECRET_KEYS)) {
                assert.ok(unit.includes(`:${credential}`), `the packaged unit loads ${credential}`);
                assert.ok(text.includes(`> ${credential}.tmp && mv ${credential}.tmp ${credential}`), `user data writes ${credential}`);
            }
            assert.match(text, /umask 077/);
            assert.match(text, /mysql-dr-agent\.service\.d\/secrets\.conf <<'UNIT'\n\[Unit\]\nRequires=mysql-dr-secret\.service\n/);
            assert.match(unit, /ProtectSystem=strict/);
        });
    });
});
