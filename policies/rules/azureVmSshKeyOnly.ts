import { ResourceValidationArgs, ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOfType } from "../lib/typed";
import { T } from "../lib/types";

interface OsProfile {
    adminPassword?: string;
    linuxConfiguration?: { disablePasswordAuthentication?: boolean; ssh?: { publicKeys?: { keyData?: string }[] } };
    windowsConfiguration?: unknown;
}

/** Linux VMs and scale sets sign in with SSH keys only. */
export const azureVmSshKeyOnly: ResourceValidationPolicy = {
    name: "azure-vm-ssh-key-only",
    description: "Azure Linux VMs and scale sets disable password authentication, set no admin password and have at least one SSH public key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set osProfile.linuxConfiguration.disablePasswordAuthentication: true with ssh.publicKeys, and remove osProfile.adminPassword.",
    validateResource: [
        resourceOfType<{ osProfile?: OsProfile }>(T.virtualMachine, (props, args, report) => checkOsProfile(props.osProfile, args, report)),
        resourceOfType<{ virtualMachineProfile?: { osProfile?: OsProfile } }>(T.scaleSet, (props, args, report) => checkOsProfile(props.virtualMachineProfile?.osProfile, args, report)),
    ],
};

function checkOsProfile(profile: OsProfile | undefined, args: ResourceValidationArgs, report: ReportViolation): void {
    if (profile === undefined) {
        args.notApplicable("The VM boots an existing OS disk (no osProfile), so it sets no credentials");
    }
    if (profile.windowsConfiguration !== undefined) {
        args.notApplicable("Windows VMs sign in with passwords; the policy covers Linux VMs");
    }
    if (profile.linuxConfiguration?.disablePasswordAuthentication !== true) {
        report("allows password logins: set osProfile.linuxConfiguration.disablePasswordAuthentication to true");
    }
    if (profile.adminPassword !== undefined) {
        report("sets osProfile.adminPassword: remove it and sign in with SSH keys");
    }
    if ((profile.linuxConfiguration?.ssh?.publicKeys ?? []).length === 0) {
        report("has no SSH public key (osProfile.linuxConfiguration.ssh.publicKeys), so nobody could sign in without a password");
    }
}
