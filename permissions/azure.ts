/**
 * The Azure RBAC operations the azure-native provider calls to create, read, update and delete
 * each resource type this program can declare, and behind each invoke. Action names come from
 * the resource provider operations reference
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/resource-provider-operations).
 * Never a wildcard: every operation is listed.
 */

/** What one azure-native resource type or invoke needs from the deployer. */
export interface AzurePermission {
    /** Control-plane operations (`Actions` of a role definition). */
    readonly actions: readonly string[];
    /** Data-plane operations (`DataActions`), when the provider reaches the data plane with Azure AD. */
    readonly dataActions?: readonly string[];
}

const crud = (type: string) => [`${type}/read`, `${type}/write`, `${type}/delete`];
const STORAGE_KEYS = "Microsoft.Storage/storageAccounts/listkeys/action";

/** Resource types: Pulumi type token → what the deployer needs. */
export const AZURE_RESOURCE_PERMISSIONS: Readonly<Record<string, AzurePermission>> = {
    "azure-native:resources:ResourceGroup": {
        actions: [...crud("Microsoft.Resources/subscriptions/resourceGroups"), "Microsoft.Resources/subscriptions/operationresults/read"],
    },
    "azure-native:network:VirtualNetwork": {
        actions: [...crud("Microsoft.Network/virtualNetworks"), "Microsoft.Network/virtualNetworks/subnets/read"],
    },
    "azure-native:network:Subnet": {
        actions: [...crud("Microsoft.Network/virtualNetworks/subnets"), "Microsoft.Network/networkSecurityGroups/join/action",
            "Microsoft.Network/natGateways/join/action"],
    },
    "azure-native:network:NetworkSecurityGroup": {
        actions: [...crud("Microsoft.Network/networkSecurityGroups"), ...crud("Microsoft.Network/networkSecurityGroups/securityRules")],
    },
    "azure-native:network:NatGateway": {
        actions: [...crud("Microsoft.Network/natGateways"), "Microsoft.Network/publicIPAddresses/join/action"],
    },
    "azure-native:network:PublicIPAddress": { actions: crud("Microsoft.Network/publicIPAddresses") },
    "azure-native:network:NetworkInterface": {
        actions: [...crud("Microsoft.Network/networkInterfaces"), "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Network/networkSecurityGroups/join/action", "Microsoft.Network/publicIPAddresses/join/action",
            "Microsoft.Network/applicationGateways/backendAddressPools/join/action"],
    },
    "azure-native:network:ApplicationGateway": {
        actions: [...crud("Microsoft.Network/applicationGateways"), "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Network/publicIPAddresses/join/action"],
    },
    "azure-native:privatedns:PrivateZone": { actions: crud("Microsoft.Network/privateDnsZones") },
    "azure-native:privatedns:VirtualNetworkLink": {
        actions: [...crud("Microsoft.Network/privateDnsZones/virtualNetworkLinks"), "Microsoft.Network/virtualNetworks/join/action"],
    },
    "azure-native:privatedns:PrivateRecordSet": {
        actions: [...crud("Microsoft.Network/privateDnsZones/A"), ...crud("Microsoft.Network/privateDnsZones/CNAME")],
    },
    "azure-native:compute:VirtualMachine": {
        actions: [...crud("Microsoft.Compute/virtualMachines"), ...crud("Microsoft.Compute/disks"),
            "Microsoft.Network/networkInterfaces/join/action"],
    },
    "azure-native:dbformysql:Server": {
        actions: [...crud("Microsoft.DBforMySQL/flexibleServers"), "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Network/privateDnsZones/join/action"],
    },
    "azure-native:dbformysql:Configuration": {
        actions: ["Microsoft.DBforMySQL/flexibleServers/configurations/read", "Microsoft.DBforMySQL/flexibleServers/configurations/write"],
    },
    "azure-native:dbformysql:Database": { actions: crud("Microsoft.DBforMySQL/flexibleServers/databases") },
    "azure-native:dbformysql:FirewallRule": { actions: crud("Microsoft.DBforMySQL/flexibleServers/firewallRules") },
    "azure-native:keyvault:Vault": {
        actions: [...crud("Microsoft.KeyVault/vaults"), "Microsoft.KeyVault/locations/deletedVaults/read"],
    },
    "azure-native:keyvault:Secret": {
        actions: ["Microsoft.KeyVault/vaults/secrets/read", "Microsoft.KeyVault/vaults/secrets/write"],
    },
    // Create and delete are limited by the assignment condition (permissions/azureRole.ts).
    "azure-native:authorization:RoleAssignment": { actions: crud("Microsoft.Authorization/roleAssignments") },
    // Attaching a user-assigned identity to a VM (or any resource) needs `assign/action` on the identity.
    "azure-native:managedidentity:UserAssignedIdentity": {
        actions: [...crud("Microsoft.ManagedIdentity/userAssignedIdentities"), "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
    },
    // Used only as a MySQL flexible server at a newer API version than dbformysql.Server's.
    "azure-native:resources:Resource": {
        actions: [...crud("Microsoft.DBforMySQL/flexibleServers"), "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Network/privateDnsZones/join/action", "Microsoft.Resources/subscriptions/resourceGroups/read"],
    },
    "azure-native:cdn:Profile": {
        actions: [...crud("Microsoft.Cdn/profiles"), "Microsoft.Cdn/operationresults/read", "Microsoft.Cdn/operationresults/profileresults/read"],
    },
    "azure-native:cdn:AFDEndpoint": {
        actions: [...crud("Microsoft.Cdn/profiles/afdendpoints"), "Microsoft.Cdn/operationresults/profileresults/afdendpointresults/read"],
    },
    "azure-native:cdn:AFDOriginGroup": {
        actions: [...crud("Microsoft.Cdn/profiles/origingroups"), "Microsoft.Cdn/operationresults/profileresults/origingroupresults/read"],
    },
    "azure-native:cdn:AFDOrigin": {
        actions: [...crud("Microsoft.Cdn/profiles/origingroups/origins"),
            "Microsoft.Cdn/operationresults/profileresults/origingroupresults/originresults/read"],
    },
    // The validation token is read back from the domain (validationProperties) for the `_dnsauth` TXT record;
    // RefreshValidationToken is the renewal step when the domain does not CNAME to the endpoint.
    "azure-native:cdn:AFDCustomDomain": {
        actions: [...crud("Microsoft.Cdn/profiles/customdomains"), "Microsoft.Cdn/profiles/customdomains/RefreshValidationToken/action",
            "Microsoft.Cdn/operationresults/profileresults/customdomainresults/read"],
    },
    "azure-native:cdn:Route": {
        actions: [...crud("Microsoft.Cdn/profiles/afdendpoints/routes"), "Microsoft.Cdn/profiles/customdomains/read",
            "Microsoft.Cdn/profiles/origingroups/read", "Microsoft.Cdn/operationresults/profileresults/afdendpointresults/routeresults/read"],
    },
    "azure-native:cdn:RuleSet": {
        actions: [...crud("Microsoft.Cdn/profiles/rulesets"), "Microsoft.Cdn/operationresults/profileresults/rulesetresults/read"],
    },
    "azure-native:cdn:Rule": {
        actions: [...crud("Microsoft.Cdn/profiles/rulesets/rules"), "Microsoft.Cdn/operationresults/profileresults/rulesetresults/ruleresults/read"],
    },
    "azure-native:storage:StorageAccount": { actions: crud("Microsoft.Storage/storageAccounts") },
    "azure-native:storage:BlobServiceProperties": {
        actions: ["Microsoft.Storage/storageAccounts/blobServices/read", "Microsoft.Storage/storageAccounts/blobServices/write"],
    },
    "azure-native:storage:BlobContainer": { actions: crud("Microsoft.Storage/storageAccounts/blobServices/containers") },
    "azure-native:storage:BlobContainerImmutabilityPolicy": {
        actions: [...crud("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"),
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/extend/action",
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/lock/action"],
    },
    "azure-native:storage:ManagementPolicy": { actions: crud("Microsoft.Storage/storageAccounts/managementPolicies") },
    // The provider implements these two on the blob data plane: with an Azure AD token (v3's
    // default, authorized as the operations below) or, with legacy auth, with the account key.
    "azure-native:storage:StorageAccountStaticWebsite": {
        actions: ["Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/blobServices/read",
            "Microsoft.Storage/storageAccounts/blobServices/write", STORAGE_KEYS],
    },
    "azure-native:storage:Blob": {
        actions: ["Microsoft.Storage/storageAccounts/read", STORAGE_KEYS],
        dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"],
    },
};

/** Invokes: full token → what the deployer needs. */
export const AZURE_INVOKE_PERMISSIONS: Readonly<Record<string, AzurePermission>> = {
    "azure-native:storage:listStorageAccountServiceSAS": { actions: ["Microsoft.Storage/storageAccounts/listServiceSas/action"] },
    "azure-native:storage:listStorageAccountSAS": { actions: ["Microsoft.Storage/storageAccounts/listAccountSas/action"] },
    "azure-native:storage:listStorageAccountKeys": { actions: [STORAGE_KEYS] },
};

/**
 * Operations every deployment needs once its types use a namespace: registering the resource
 * provider in a fresh subscription and polling the provider's long-running operations.
 */
export const AZURE_NAMESPACE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
    "Microsoft.Resources": [],
    "Microsoft.Network": ["Microsoft.Network/register/action", "Microsoft.Network/locations/operations/read",
        "Microsoft.Network/locations/operationResults/read"],
    "Microsoft.Compute": ["Microsoft.Compute/register/action", "Microsoft.Compute/locations/operations/read"],
    "Microsoft.DBforMySQL": ["Microsoft.DBforMySQL/register/action", "Microsoft.DBforMySQL/locations/operationResults/read",
        "Microsoft.DBforMySQL/locations/azureAsyncOperation/read"],
    "Microsoft.KeyVault": ["Microsoft.KeyVault/register/action", "Microsoft.KeyVault/locations/operationResults/read"],
    "Microsoft.Storage": ["Microsoft.Storage/register/action", "Microsoft.Storage/operations/read"],
    "Microsoft.Authorization": [],
    "Microsoft.Cdn": ["Microsoft.Cdn/register/action", "Microsoft.Cdn/operations/read"],
    "Microsoft.ManagedIdentity": ["Microsoft.ManagedIdentity/register/action"],
};
