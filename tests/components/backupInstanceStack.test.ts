import * as assert from "assert";
import { parseConfig } from "../../config";
import { AMI_ID_PATTERN, BACKUP_PATHS } from "../../components/aws";
import { valueOf } from "../../plan/mockCloud";
import { ProgramFailure } from "../../plan/runOffline";
import { stackFileConfig } from "../../plan/stackFiles";
import { PilotLightOutputs } from "../../strategies";
import { named } from "../support/query";
import { runStack } from "../support/stacks";

const PINNED = "ami-0fedcba9876543210";

/** The pilot-light stack file's config, namespace removed, as parseConfig takes it. */
function pilotLightConfig(extra: Record<string, string> = {}): Record<string, string> {
    const raw = Object.fromEntries(Object.entries(stackFileConfig("pilot-light"))
        .filter(([key]) => key.startsWith("multicloud-dr:"))
        .map(([key, value]) => [key.replace(/^multicloud-dr:/, ""), typeof value === "string" ? value : JSON.stringify(value)]));
    return { ...raw, ...extra };
}

/** The agent settings file a backup document's script writes, decoded from its `put` line. */
function settingsIn(content: string): string {
    const lines: string[] = JSON.parse(content).mainSteps[0].inputs.runCommand;
    const line = lines.find(l => l.startsWith(`if put ${BACKUP_PATHS.config} `));
    assert.ok(line, "the document writes the settings file");
    return Buffer.from(/'([A-Za-z0-9+/=]*)'/.exec(line)![1], "base64").toString("utf8");
}

describe("stack: pilot-light backup instance image", () => {
    it("boots the pinned backupInstanceAmi and reports the running image as the backupInstanceAmi output", async () => {
        const run = await runStack<PilotLightOutputs>("pilot-light", { "multicloud-dr:backupInstanceAmi": PINNED });
        const instance = named(run.resources, "aws:ec2/instance:Instance", "backup-agent");
        assert.strictEqual(instance.inputs.ami, PINNED);
        assert.strictEqual(await valueOf(run.outputs.backupInstanceAmi), PINNED, "the runbook pins from this output");
    });

    it("changes fullBackupIntervalHours and binlogRetentionHours in place: only the association's document and digest differ", async () => {
        const before = await runStack<PilotLightOutputs>("pilot-light", { "multicloud-dr:backupInstanceAmi": PINNED, "multicloud-dr:fullBackupIntervalHours": "24", "multicloud-dr:binlogRetentionHours": "24" });
        const after = await runStack<PilotLightOutputs>("pilot-light", { "multicloud-dr:backupInstanceAmi": PINNED, "multicloud-dr:fullBackupIntervalHours": "6", "multicloud-dr:binlogRetentionHours": "72" });
        const instance = (run: typeof before) => named(run.resources, "aws:ec2/instance:Instance", "backup-agent").inputs;
        const association = (run: typeof before) => named(run.resources, "aws:ssm/association:Association", "backup-agent-tool-release").inputs;
        const document = (run: typeof before) => named(run.resources, "aws:ssm/document:Document", "backup-agent-tool-install").inputs;
        assert.deepStrictEqual(instance(after), instance(before), "no instance input changes, so nothing replaces it");
        assert.ok(!String(instance(after).userData).includes("DR_FULL_BACKUP_INTERVAL"), "settings are not in user data");
        assert.notStrictEqual(association(after).parameters.configSha256, association(before).parameters.configSha256);
        assert.deepStrictEqual({ ...association(after).parameters, configSha256: undefined }, { ...association(before).parameters, configSha256: undefined });
        assert.match(settingsIn(document(before).content), /^DR_FULL_BACKUP_INTERVAL=24h$/m);
        assert.match(settingsIn(document(after).content), /^DR_FULL_BACKUP_INTERVAL=6h$/m);
        assert.notStrictEqual(document(after).content, document(before).content);
    });

    it("accepts exactly the ids the component accepts", () => {
        for (const ami of ["ami-01234567", "ami-0123456789abcdef0", "ami-0123", "AMI-01234567", "ami-0123456789ABCDEF0", "resolve:ssm:/aws/x"]) {
            const accepted = (() => {
                try {
                    return parseConfig(pilotLightConfig({ backupInstanceAmi: ami })).backup?.instanceAmi === ami;
                } catch (error) {
                    assert.match(String(error), /backupInstanceAmi ".*" is not an EC2 image id like ami-0123456789abcdef0/);
                    return false;
                }
            })();
            assert.strictEqual(accepted, AMI_ID_PATTERN.test(ami), ami);
        }
        assert.strictEqual(parseConfig(pilotLightConfig()).backup?.instanceAmi, undefined, "unset by default: looked up once");
    });

    it("refuses a malformed image id before anything is declared", async () => {
        await assert.rejects(runStack("pilot-light", { "multicloud-dr:backupInstanceAmi": "al2023-latest" }), (error: ProgramFailure) => {
            assert.match(error.message, /backupInstanceAmi "al2023-latest" is not an EC2 image id/);
            assert.deepStrictEqual(error.declared, []);
            return true;
        });
    });
});
