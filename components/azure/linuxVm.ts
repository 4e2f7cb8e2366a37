import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../tags";
import { assertValidArgs } from "../validation";

/** Ubuntu 24.04 LTS, Gen2: current LTS with cloud-init and Trusted Launch support. */
export const UBUNTU_IMAGE = { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" };

export interface LinuxVmArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly subnetId: pulumi.Input<string>;
    readonly size: string;
    readonly adminUsername: string;
    /** OpenSSH public key; password login is always disabled. */
    readonly sshPublicKey: pulumi.Input<string>;
    /** cloud-init document run at first boot. Must hold no secret: it is readable from the VM's metadata. */
    readonly cloudInit: pulumi.Input<string>;
    /**
     * The user-assigned identity the VM runs as, and the resources (its role assignments) that must
     * exist before the VM boots. Default: no identity.
     */
    readonly identity?: { readonly id: pulumi.Input<string>; readonly grantedBy: pulumi.Resource[] };
    readonly tags?: Record<string, string>;
}

/** Problems with VM args, one string each. */
export function validateLinuxVmArgs(args: LinuxVmArgs): string[] {
    const problems: string[] = [];
    // A key still being generated cannot be checked here; the generator only makes valid ones.
    if (typeof args.sshPublicKey === "string" && !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-\S+) \S+/.test(args.sshPublicKey)) {
        problems.push("sshPublicKey: not an OpenSSH public key");
    }
    if (["root", "admin", "administrator"].includes(args.adminUsername)) {
        problems.push(`adminUsername: ${args.adminUsername} is reserved`);
    }
    return problems;
}

/**
 * A Linux VM with no public IP, SSH keys only, optionally a user-assigned identity whose grants
 * exist before first boot, Trusted Launch (secure boot, vTPM), an encrypted managed OS disk and
 * boot diagnostics. Network access is governed by its subnet's NSG.
 */
export class LinuxVm extends pulumi.ComponentResource {
    readonly privateIp: pulumi.Output<string>;
    readonly vmName: pulumi.Output<string>;

    constructor(name: string, args: LinuxVmArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValidArgs("LinuxVm", name, validateLinuxVmArgs(args));
        super("dr:azure:LinuxVm", name, {}, opts);
        const rg = args.resourceGroupName;
        const nic = new network.NetworkInterface(`${name}-nic`, {
            resourceGroupName: rg,
            location: args.location,
            ipConfigurations: [{ name: "primary", subnet: { id: args.subnetId }, privateIPAllocationMethod: "Dynamic", primary: true }],
            tags: childTags(`${name}-nic`, args.tags),
        }, { parent: this });
        // User-assigned, not system-assigned: a system-assigned identity exists only with the VM, so
        // its grant would land after first boot and the first secret read would be refused.
        const vm = new compute.VirtualMachine(name, {
            resourceGroupName: rg,
            location: args.location,
            hardwareProfile: { vmSize: args.size },
            identity: args.identity ? { type: "UserAssigned", userAssignedIdentities: [args.identity.id] } : undefined,
            osProfile: {
                computerName: name,
                adminUsername: args.adminUsername,
                customData: pulumi.output(args.cloudInit).apply(text => Buffer.from(text).toString("base64")),
                linuxConfiguration: {
                    disablePasswordAuthentication: true,
                    ssh: { publicKeys: [{ path: `/home/${args.adminUsername}/.ssh/authorized_keys`, keyData: args.sshPublicKey }] },
                    provisionVMAgent: true,
                    patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
                },
            },
            securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
            storageProfile: {
                imageReference: UBUNTU_IMAGE,
                osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "StandardSSD_LRS" }, deleteOption: "Delete" },
            },
            networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
            tags: childTags(name, args.tags),
        }, { parent: this, dependsOn: args.identity?.grantedBy });
        this.privateIp = nic.ipConfigurations.apply(configs => configs?.[0]?.privateIPAddress ?? "");
        this.vmName = vm.name;
        this.registerOutputs({ privateIp: this.privateIp, vmName: this.vmName });
    }
}
