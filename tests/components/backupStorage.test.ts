import * as assert from "assert";
import { BackupStorage, BackupStorageArgs, MAX_IMMUTABILITY_DAYS, validateBackupStorageArgs } from "../../components/azure/backupStorage";
import { DeclaredResource } from "../../plan/runOffline";
import { evaluatePolicies } from "../../policies/evaluate";
import { azureStorageAccountLevelWorm, azureStorageLifecycleReachable, drBackupsImmutable } from "../../policies/rules";
import { BACKUP_STORAGE_ARGS } from "../support/azureFixtures";
import { declare } from "../support/components";
import { named, ofType } from "../support/query";

const ACCOUNT = "azure-native:storage:StorageAccount";

const LIFECYCLE = "azure-native:storage:ManagementPolicy";

const args = BACKUP_STORAGE_ARGS;

async function storage(overrides: Partial<BackupStorageArgs> = {}): Promise<DeclaredResource[]> {
    return (await declare(() => new BackupStorage("drbackups", { ...args, ...overrides }))).resources;
}

describe("component: BackupStorage write-once and retention (issue 10 items 1 and 7)", () => {
    it("makes every blob version write-once at the account level: version-level WORM, the days, unlocked, protected appends", async () => {
        const account = named(await storage(), ACCOUNT, "drbackups");
        assert.deepStrictEqual(account.inputs.immutableStorageWithVersioning, {
            enabled: true,
            immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 7, state: "Unlocked", allowProtectedAppendWrites: true },
        });
        assert.strictEqual(account.protect, true);
    });

    it("locks the default policy only when asked", async () => {
        const locked = named(await storage({ immutabilityLocked: true, immutabilityDays: 14 }), ACCOUNT, "drbackups");
        assert.deepStrictEqual(locked.inputs.immutableStorageWithVersioning.immutabilityPolicy, {
            immutabilityPeriodSinceCreationInDays: 14, state: "Locked", allowProtectedAppendWrites: true,
        });
    });

    it("declares no container-level immutability policy, which would stop lifecycle deletes and need an ETag to change", async () => {
        const resources = await storage();
        assert.deepStrictEqual(ofType(resources, "azure-native:storage:BlobContainerImmutabilityPolicy"), []);
        assert.strictEqual(named(resources, "azure-native:storage:BlobServiceProperties", "drbackups-blob-service").inputs.isVersioningEnabled, true);
    });

    it("deletes current and previous versions of dumps and binlogs after deleteAfterDays, and cools only dumps", async () => {
        const rules = named(await storage(), LIFECYCLE, "drbackups-lifecycle").inputs.policy.rules as any[];
        const byType = (type: string) => rules.filter(rule => rule.enabled && rule.definition.filters.blobTypes.includes(type));
        for (const type of ["blockBlob", "appendBlob"]) {
            const [rule, ...others] = byType(type);
            assert.deepStrictEqual(others, [], `one rule for ${type}`);
            assert.deepStrictEqual(rule.definition.filters.prefixMatch, ["mysql-backups/"]);
            assert.deepStrictEqual(rule.definition.actions.baseBlob.delete, { daysAfterModificationGreaterThan: 37 });
            assert.deepStrictEqual(rule.definition.actions.version, { delete: { daysAfterCreationGreaterThan: 37 } });
        }
        assert.deepStrictEqual(byType("blockBlob")[0].definition.actions.baseBlob.tierToCool, { daysAfterModificationGreaterThan: 7 });
        assert.strictEqual(byType("appendBlob")[0].definition.actions.baseBlob.tierToCool, undefined, "append blobs cannot be re-tiered");
    });

    it("changes the retention days as an in-place update of the account's inputs, no other resource touched", async () => {
        const [before, after] = [await storage(), await storage({ immutabilityDays: 30, deleteAfterDays: 60 })];
        const key = (r: DeclaredResource) => `${r.type}::${r.name}`;
        assert.deepStrictEqual(after.map(key).sort(), before.map(key).sort(), "the same resources: nothing created or deleted");
        const changed = after.flatMap(r => {
            const old = before.find(b => key(b) === key(r))!;
            const keys = Object.keys({ ...old.inputs, ...r.inputs }).filter(k => JSON.stringify(old.inputs[k]) !== JSON.stringify(r.inputs[k]));
            return keys.length > 0 ? [`${r.name}: ${keys.sort().join(", ")}`] : [];
        });
        assert.deepStrictEqual(changed, ["drbackups: immutableStorageWithVersioning", "drbackups-lifecycle: policy"]);
        assert.strictEqual(named(after, ACCOUNT, "drbackups").inputs.immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays, 30);
    });

    it("passes the pack's write-once and lifecycle policies as declared", async () => {
        const resources = await storage();
        const evaluation = await evaluatePolicies(resources, { policies: [drBackupsImmutable, azureStorageLifecycleReachable, azureStorageAccountLevelWorm] });
        assert.deepStrictEqual(evaluation.violations.map(v => `${v.policy} ${v.resource?.name}: ${v.message}`), []);
        assert.deepStrictEqual(evaluation.notApplicable.filter(n => n.resource === undefined).map(n => n.policy), [], "both stack policies judged the component");
    });

    it("refuses retention days Azure does not accept, naming the arg", () => {
        assert.deepStrictEqual(validateBackupStorageArgs({ ...args, immutabilityDays: 0 }), [`immutabilityDays 0 must be a whole number of days from 1 to ${MAX_IMMUTABILITY_DAYS}`]);
        assert.deepStrictEqual(validateBackupStorageArgs({ ...args, immutabilityDays: 1.5 }), [`immutabilityDays 1.5 must be a whole number of days from 1 to ${MAX_IMMUTABILITY_DAYS}`]);
    });
});
