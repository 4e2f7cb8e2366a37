import { createHash } from "crypto";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";

/** Built-in role that reads secret values and nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE = "4633458b-17de-408a-b874-0445c86b69e6";
/** Days a deleted vault or secret can be recovered (the maximum). */
export const VAULT_SOFT_DELETE_DAYS = 90;

export interface SecretVaultArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly tenantId: pulumi.Input<string>;
    /** Subnets whose VMs may read secrets (service endpoint); everything else is refused at the network. */
    readonly allowedSubnetIds: pulumi.Input<string>[];
    /** Secret values by name; all are Pulumi secrets and never appear in outputs. */
    readonly secrets: Record<string, pulumi.Input<string>>;
    readonly tags?: Record<string, string>;
}

/**
 * A Key Vault for the emergency site's credentials: RBAC authorization (no access policies),
 * soft delete with purge protection, and a network rule that admits only the listed subnets.
 * Secrets are written through Azure Resource Manager, so the deployer needs no data-plane access.
 */
export class SecretVault extends pulumi.ComponentResource {
    readonly vaultId: pulumi.Output<string>;
    readonly vaultName: pulumi.Output<string>;
    /** Secret names as created, by the key they were given under. */
    readonly secretNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: SecretVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:SecretVault", name, {}, opts);
        const vault = new keyvault.Vault(`${name}`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            properties: {
                tenantId: args.tenantId,
                sku: { family: "A", name: "standard" },
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: VAULT_SOFT_DELETE_DAYS,
                enablePurgeProtection: true,
                networkAcls: {
                    defaultAction: "Deny",
                    bypass: "AzureServices",
                    virtualNetworkRules: args.allowedSubnetIds.map(id => ({ id })),
                },
            },
            tags: childTags(name, args.tags),
        }, { parent: this });
        this.secretNames = {};
        for (const [secretName, value] of Object.entries(args.secrets)) {
            const secret = new keyvault.Secret(`${name}-${secretName}`, {
                resourceGroupName: args.resourceGroupName,
                vaultName: vault.name,
                secretName,
                properties: { value: pulumi.secret(value), contentType: "text/plain" },
            }, { parent: this });
            this.secretNames[secretName] = secret.name;
        }
        this.vaultId = vault.id;
        this.vaultName = vault.name;
        this.registerOutputs({ vaultId: this.vaultId, vaultName: this.vaultName });
    }
}

/**
 * A role assignment's name: a GUID derived from scope, principal and role (what Bicep's `guid()`
 * does), so the same grant always has the same name and a grant to a new principal gets a new one
 * (a replacement creates the new assignment before deleting the old, so they must not share a name).
 */
export function roleAssignmentGuid(scope: string, principalId: string, roleDefinitionId: string): string {
    const hex = createHash("sha1").update(`${scope}|${principalId}|${roleDefinitionId}`.toLowerCase()).digest("hex");
    // RFC 4122 name-based layout: version 5, variant 10xx.
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Lets one managed identity read the vault's secret values (Key Vault Secrets User on the vault).
 * `principalType` is set so Azure does not look the principal up in Entra ID, which fails with
 * PrincipalNotFound while a new identity is still replicating.
 */
export function grantSecretRead(
    name: string,
    vault: SecretVault,
    principalId: pulumi.Input<string>,
    subscriptionId: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
    const roleDefinitionId = pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`;
    return new authorization.RoleAssignment(name, {
        roleAssignmentName: pulumi.all([vault.vaultId, principalId]).apply(([scope, principal]) =>
            roleAssignmentGuid(scope, principal, KEY_VAULT_SECRETS_USER_ROLE)),
        scope: vault.vaultId,
        principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId,
    }, opts);
}
