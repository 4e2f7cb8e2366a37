import * as assert from "assert";
import { parseConfig } from "../../config";
import { AMI_ID_PATTERN } from "../../components/aws";
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

describe("stack: pilot-light backup instance image", () => {
    it("boots the pinned backupInstanceAmi and reports the running image as the backupInstanceAmi output", async () => {
        const run = await runStack<PilotLightOutputs>("pilot-light", { "multicloud-dr:backupInstanceAmi": PINNED });
        const instance = named(run.resources, "aws:ec2/instance:Instance", "backup-agent");
        assert.strictEqual(instance.inputs.ami, PINNED);
        assert.strictEqual(await valueOf(run.outputs.backupInstanceAmi), PINNED, "the runbook pins from this output");
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
