import { BackupStorageArgs } from "../../components/azure";
import { AppBoot } from "../../components/azure/emergencyBoot";

/** Backup storage as the pilot light's defaults declare it. */
export const BACKUP_STORAGE_ARGS: BackupStorageArgs = {
    resourceGroupName: "rg",
    location: "koreacentral",
    skuName: "Standard_ZRS",
    containerName: "mysql-backups",
    immutabilityDays: 7,
    coolAfterDays: 7,
    deleteAfterDays: 37,
    allowedIps: ["203.0.113.10"],
    allowedSubnetIds: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app"],
    sasExpiry: "2030-01-01T00:00:00Z",
};

/** What the emergency app VM's boot document is rendered from. */
export const APP_BOOT: AppBoot = {
    vaultName: "drvault1234",
    identityClientId: "11111111-2222-4333-8444-555555555555",
    toolsUrl: "https://drsite.blob.core.windows.net/dr-tools",
    backupContainerUrl: "https://drbackups.blob.core.windows.net/mysql-backups",
    mysqlHost: "emergency-mysql.mysql.database.azure.com",
    mysqlUser: "petclinic_admin",
    databaseName: "petclinic",
    servedFrom: "azure-koreacentral",
};
