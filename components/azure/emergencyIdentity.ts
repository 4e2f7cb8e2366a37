import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";
import { grantSecretRead, SecretVault } from "./secretVault";

export interface EmergencyIdentityArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    /** The vault whose secret values the identity may read. */
    readonly vault: SecretVault;
    readonly subscriptionId: pulumi.Input<string>;
    readonly tags?: Record<string, string>;
}

/**
 * The identity the emergency app VM runs as, with read access to the vault's secrets. Declared in
 * normal times, not with `emergency`: creating the role assignment needs
 * `Microsoft.Authorization/roleAssignments/write`, which Contributor lacks, and a deployer missing
 * it must find out on day one rather than at T+30. The grant also exists (and has propagated) long
 * before the VM first boots. No VM runs as it until `emergency`.
 */
export class EmergencyIdentity extends pulumi.ComponentResource {
    /** ARM id, for the VM's `userAssignedIdentities`. */
    readonly id: pulumi.Output<string>;
    /** Client (application) id: what the VM names in its IMDS token request. Not a credential. */
    readonly clientId: pulumi.Output<string>;
    /** Object id of the identity's service principal. */
    readonly principalId: pulumi.Output<string>;
    /** Key Vault Secrets User on the vault; a VM running as this identity waits for it. */
    readonly vaultReader: authorization.RoleAssignment;

    constructor(name: string, args: EmergencyIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dr:azure:EmergencyIdentity", name, {}, opts);
        const identity = new managedidentity.UserAssignedIdentity(name, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: childTags(name, args.tags),
        }, { parent: this });
        this.vaultReader = grantSecretRead(`${name}-reads-vault`, args.vault, identity.principalId, args.subscriptionId, { parent: this });
        this.id = identity.id;
        this.clientId = identity.clientId;
        this.principalId = identity.principalId;
        this.registerOutputs({ id: this.id, clientId: this.clientId, principalId: this.principalId });
    }
}
