import { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { readKnown, UNKNOWN, Unknown } from "../../lib/known";
import { stackResourcesOfType } from "../../lib/typed";
import { accountOf, AccountScoped, AZ, LifecycleRule, prefixesReach, sameAccount, versionLevelDays, versionLevelWormEnabled } from "./azureStorageAccounts";

/** Whether blob versioning is on for `policy`'s account: version-level WORM or a blob service that enables it. */
function versioningOn(policy: PolicyResource, accounts: PolicyResource[], blobServices: PolicyResource[]): boolean | Unknown {
    const account = accountOf(policy, accounts);
    if (account === UNKNOWN) {
        return UNKNOWN;
    }
    if (account !== undefined) {
        const worm = versionLevelWormEnabled(account);
        if (worm === UNKNOWN || worm) {
            return worm;
        }
    }
    for (const service of blobServices) {
        const same = sameAccount(policy, service, accounts);
        const enabled = readKnown(() => service.props.isVersioningEnabled as boolean | undefined);
        if (same === UNKNOWN || (same && enabled === UNKNOWN)) {
            return UNKNOWN;
        }
        if (same && enabled === true) {
            return true;
        }
    }
    return false;
}

/** What a lifecycle policy's rules are judged against: its account's versioning and retention. */
interface RuleContext {
    accounts: PolicyResource[];
    containerPolicies: PolicyResource[];
    versioning: boolean | Unknown;
    retentionDays: number | undefined | Unknown;
}

/** Checks one enabled rule that deletes something. */
function checkRule(policy: PolicyResource, rule: LifecycleRule, context: RuleContext, reportViolation: ReportViolation): void {
    const actions = rule.definition?.actions ?? {};
    const prefixes = rule.definition?.filters?.prefixMatch;
    const types = (rule.definition?.filters?.blobTypes ?? []).join(", ") || "blobs";
    const where = `ManagementPolicy ${policy.name} rule ${rule.name ?? "(unnamed)"}`;
    for (const containerPolicy of context.containerPolicies) {
        const container = readKnown(() => (containerPolicy.props as AccountScoped).containerName);
        const same = sameAccount(policy, containerPolicy, context.accounts);
        if (same !== true || typeof container !== "string" || !prefixesReach(prefixes, container)) {
            continue;
        }
        reportViolation(`${where} deletes ${types} in container ${container}, which has a container-level immutability policy (BlobContainerImmutabilityPolicy ${containerPolicy.name}): Azure's lifecycle delete does not run on blobs in an immutable container, so nothing would ever be deleted. Make the account's version-level default policy (immutableStorageWithVersioning) the retention instead`, policy.urn);
    }
    if (actions.baseBlob?.delete !== undefined && actions.version?.delete === undefined && context.versioning === true) {
        reportViolation(`${where} deletes current versions of ${types} but not previous versions, on an account with blob versioning: a deleted current version becomes a previous version that is kept (and billed) forever, and lifecycle deletes no current version while previous ones exist. Add actions.version.delete`, policy.urn);
    }
    const retention = context.retentionDays;
    if (typeof retention !== "number") {
        return;
    }
    const early = [
        ["baseBlob", actions.baseBlob?.delete?.daysAfterModificationGreaterThan ?? actions.baseBlob?.delete?.daysAfterCreationGreaterThan],
        ["version", actions.version?.delete?.daysAfterCreationGreaterThan],
    ].filter((entry): entry is [string, number] => typeof entry[1] === "number" && entry[1] < retention);
    for (const [element, days] of early) {
        reportViolation(`${where} deletes ${element} ${types} after ${days} day(s), before the account's ${retention}-day version-level retention ends: Azure refuses the delete until each version's retention expires, so the rule promises a deletion that cannot happen. Delete after at least ${retention} days`, policy.urn);
    }
}

/**
 * Every lifecycle rule of the stack that deletes blobs can do so: it does not reach a container
 * with a container-level immutability policy (Azure's lifecycle delete does not work on blobs in
 * an immutable container), it deletes previous versions too wherever blob versioning is on (a
 * deleted current version stays as a previous version, and lifecycle keeps a current version
 * while previous ones exist), and it waits at least the account's version-level retention. None
 * of this fails a deploy; storage just grows. Values unknown at preview are judged at update.
 */
export const azureStorageLifecycleReachable: StackValidationPolicy = {
    name: "azure-storage-lifecycle-reachable",
    description: "Azure lifecycle delete rules can delete what they target: no container-level immutability policy on a targeted container, previous versions deleted too when versioning is on, and no delete before the version-level retention ends (https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview#known-issues-and-limitations ; https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure#delete-action-on-blobs-that-have-versions-and-snapshots).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Protect backups with the account's version-level immutability (StorageAccount immutableStorageWithVersioning with a default immutabilityPolicy) instead of a BlobContainerImmutabilityPolicy; give every rule that deletes base blobs a version.delete action for the same blob types; set every delete's days to at least the account's immutabilityPeriodSinceCreationInDays (components/azure/backupStorage.ts does all three).",
    validateStack: (args, reportViolation) => {
        const policies = stackResourcesOfType(args.resources, AZ.managementPolicy);
        if (policies.length === 0) {
            args.notApplicable("The stack declares no Azure lifecycle management policy");
        }
        const accounts = stackResourcesOfType(args.resources, AZ.storageAccount);
        const blobServices = stackResourcesOfType(args.resources, AZ.blobService);
        const containerPolicies = stackResourcesOfType(args.resources, AZ.containerImmutabilityPolicy);
        for (const policy of policies) {
            // A plain copy: reading a value unknown at preview anywhere in the rules skips the policy.
            const rules = readKnown(() => JSON.parse(JSON.stringify((policy.props.policy as { rules?: LifecycleRule[] } | undefined)?.rules ?? [])) as LifecycleRule[]);
            if (rules === UNKNOWN) {
                continue;
            }
            const account = accountOf(policy, accounts);
            const context: RuleContext = {
                accounts,
                containerPolicies,
                versioning: versioningOn(policy, accounts, blobServices),
                retentionDays: account === UNKNOWN ? UNKNOWN : account === undefined ? undefined : versionLevelDays(account),
            };
            for (const rule of rules) {
                const actions = rule.definition?.actions ?? {};
                if (rule.enabled !== false && [actions.baseBlob?.delete, actions.version?.delete, actions.snapshot?.delete].some(action => action !== undefined)) {
                    checkRule(policy, rule, context, reportViolation);
                }
            }
        }
    },
};
