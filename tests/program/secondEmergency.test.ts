import * as assert from "assert";
import { DeclaredResource, ProgramRun } from "../../plan/runOffline";
import { PilotLightOutputs } from "../../strategies";
import { cloudResources } from "../support/query";
import { runStack } from "../support/stacks";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0dGVzdGtleWZvcm11bHRpY2xvdWRkcnRlc3RzMDAwMDAw ops@example.com";
const EMERGENCY = { "multicloud-dr:emergency": true, "multicloud-dr:azureSshPublicKey": SSH_KEY };

/**
 * Types whose deleted names Azure keeps reserved for a while: Key Vault vaults, secrets, keys and
 * certificates (soft delete, 90 days here, purge protection on) and blob containers (container
 * soft delete). Creating one under a reserved name fails with a conflict.
 */
const NAME_RESERVED_AFTER_DELETE = [
    "azure-native:keyvault:Vault", "azure-native:keyvault:Secret", "azure-native:keyvault:Key",
    "azure-native:storage:BlobContainer",
];

/** URNs in `from` that are not in `to`: what `pulumi up` would delete between the two. */
function deletedBetween(from: ProgramRun<PilotLightOutputs>, to: ProgramRun<PilotLightOutputs>): DeclaredResource[] {
    const kept = new Set(to.resources.map(r => r.urn));
    return cloudResources(from.resources).filter(r => !kept.has(r.urn));
}

describe("program: the second emergency (emergency on, off, on again)", () => {
    let flips: ProgramRun<PilotLightOutputs>[];
    before(async () => {
        flips = [await runStack<PilotLightOutputs>("pilot-light", {})];
        for (const overrides of [EMERGENCY, {}, EMERGENCY]) {
            flips.push(await runStack<PilotLightOutputs>("pilot-light", overrides));
        }
    });

    it("never deletes a resource whose name Azure keeps reserved, so no later flip collides with a soft-deleted one", () => {
        for (let i = 1; i < flips.length; i++) {
            const reserved = deletedBetween(flips[i - 1], flips[i]).filter(r => NAME_RESERVED_AFTER_DELETE.includes(r.type));
            assert.deepStrictEqual(reserved.map(r => `${r.type} ${r.name}`), [], `flip ${i}`);
        }
    });

    it("gives the emergency MySQL server a name generated with it, so a deleted server's global name is never needed again", () => {
        const [, first, off] = flips;
        const server = cloudResources(first.resources).find(r => r.inputs.resourceType === "flexibleServers");
        assert.ok(server, "the emergency declares the server");
        const deleted = deletedBetween(first, off).map(r => r.urn);
        const suffix = first.resources.find(r => r.type === "random:index/randomString:RandomString" && r.name === "emergency-mysql-suffix");
        assert.ok(suffix, "the server's name suffix is a generated value");
        assert.ok(deleted.includes(server.urn) && deleted.includes(suffix.urn), "turning the emergency off deletes the suffix with the server, so the next emergency generates a new one");
    });

    it("keeps everything of normal times across the flips: the second emergency creates only what the first created", () => {
        const [normal, first, off, second] = flips;
        assert.deepStrictEqual(deletedBetween(normal, first), [], "the first emergency deletes nothing");
        assert.deepStrictEqual(deletedBetween(first, off).filter(r => normal.resources.some(n => n.urn === r.urn)), [], "turning it off deletes nothing of normal times");
        const urns = (run: ProgramRun<PilotLightOutputs>) => cloudResources(run.resources).map(r => r.urn).sort();
        assert.deepStrictEqual(urns(second), urns(first));
        assert.deepStrictEqual(urns(off), urns(normal));
    });
});
