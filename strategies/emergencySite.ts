import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    appCloudInit, ApplicationGateway, AzureMysqlServer, AzureNetwork, BackupStorage, HEALTH_PATH,
    LinuxVm, MaintenanceSite, SecretVault, webCloudInit,
} from "../components/azure";
import { EmergencyIdentity } from "../components/azure/emergencyIdentity";
import { AzureConfig } from "../config/types";

/** What the emergency flag builds in Azure. */
export interface EmergencySite {
    readonly mysql: AzureMysqlServer;
    readonly appVm: LinuxVm;
    readonly webVm: LinuxVm;
    readonly gateway: ApplicationGateway;
    /** The VMs' admin private key, when the program generated it (no `azureSshPublicKey` given). Secret. */
    readonly generatedAdminKey?: pulumi.Output<string>;
}

/** Azure pieces the emergency site plugs into, built in normal mode. */
export interface PilotLightBase {
    readonly resourceGroupName: pulumi.Output<string>;
    /** The maintenance front's `X-Azure-FDID`: the web VM serves only requests that carry it. */
    readonly frontDoorId: pulumi.Output<string>;
    readonly subscriptionId: pulumi.Output<string>;
    readonly network: AzureNetwork;
    readonly backups: BackupStorage;
    readonly site: MaintenanceSite;
    readonly vault: SecretVault;
    /** What the app VM runs as; declared with its vault grant in normal times. */
    readonly appIdentity: EmergencyIdentity;
    readonly gatewayLabel: pulumi.Output<string>;
}

/**
 * The emergency site (seed 001, T+30 to T+120): Azure MySQL, an app VM that restores the newest
 * verified backup into it before serving, a web VM in front, and an Application Gateway that shows
 * the maintenance page until `serveApp` routes it to the application.
 */
export function buildEmergencySite(azure: AzureConfig, base: PilotLightBase, mysql: AzureMysqlServer, tags: Record<string, string>): EmergencySite {
    // In a disaster nobody should have to hunt for a key first: without one, generate it.
    const generated = azure.sshPublicKey ? undefined : new tls.PrivateKey("emergency-admin-key", { algorithm: "ED25519" });
    const sshPublicKey: pulumi.Input<string> = azure.sshPublicKey ?? generated!.publicKeyOpenssh;
    const common = {
        resourceGroupName: base.resourceGroupName,
        location: azure.location,
        size: azure.vmSize,
        adminUsername: azure.adminUsername,
        sshPublicKey,
        tags,
    };
    const servedFrom = `azure-${azure.location}`;
    const appVm = new LinuxVm("emergency-app", {
        ...common,
        subnetId: base.network.subnetIds.app,
        identity: { id: base.appIdentity.id, grantedBy: [base.appIdentity.vaultReader] },
        cloudInit: pulumi.all([base.vault.vaultName, base.appIdentity.clientId, base.site.toolsUrl, base.backups.containerUrl, mysql.fqdn]).apply(
            ([vaultName, identityClientId, toolsUrl, backupContainerUrl, mysqlHost]) => appCloudInit({
                vaultName,
                identityClientId,
                toolsUrl,
                backupContainerUrl,
                mysqlHost,
                mysqlUser: mysql.administratorLogin,
                databaseName: mysql.databaseName,
                servedFrom,
                appArtifactUrl: azure.appArtifactUrl,
            })),
    });
    const webVm = new LinuxVm("emergency-web", {
        ...common,
        subnetId: base.network.subnetIds.web,
        cloudInit: pulumi.all([appVm.privateIp, base.frontDoorId]).apply(([appAddress, frontDoorId]) => webCloudInit(appAddress, servedFrom, frontDoorId)),
    });
    const gateway = new ApplicationGateway("emergency-gateway", {
        resourceGroupName: base.resourceGroupName,
        location: azure.location,
        subscriptionId: base.subscriptionId,
        subnetId: base.network.subnetIds.gateway,
        dnsLabel: base.gatewayLabel,
        maintenanceHost: base.site.webHost,
        appAddress: webVm.privateIp,
        healthPath: HEALTH_PATH,
        serve: azure.serveApp ? "app" : "maintenance",
        tags,
    });
    return { mysql, appVm, webVm, gateway, generatedAdminKey: generated ? pulumi.secret(generated.privateKeyOpenssh) : undefined };
}
