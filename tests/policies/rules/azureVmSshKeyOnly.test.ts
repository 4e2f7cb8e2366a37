import * as assert from "assert";
import { azureVmSshKeyOnly } from "../../../policies/rules";
import { changed, evaluate, findings, resource } from "../harness";

const ssh = { publicKeys: [{ keyData: "ssh-ed25519 AAAA ops@example.com", path: "/home/drops/.ssh/authorized_keys" }] };
const osProfile = { adminUsername: "drops", computerName: "web", linuxConfiguration: { disablePasswordAuthentication: true, ssh } };
const vm = resource("azure-native:compute:VirtualMachine", "emergency-web", { osProfile });
const scaleSet = resource("azure-native:compute:VirtualMachineScaleSet", "web-scale", { virtualMachineProfile: { osProfile } });

describe("policy azure-vm-ssh-key-only", () => {
    it("accepts Linux VMs and scale sets with keys only", async () => {
        assert.deepStrictEqual(await findings(azureVmSshKeyOnly, [vm, scaleSet]), []);
    });

    it("reports password authentication left on", async () => {
        assert.deepStrictEqual(await findings(azureVmSshKeyOnly, [changed(vm, { osProfile: { ...osProfile, linuxConfiguration: { ssh } } })]), [
            "emergency-web: allows password logins: set osProfile.linuxConfiguration.disablePasswordAuthentication to true",
        ]);
    });

    it("reports an admin password", async () => {
        assert.deepStrictEqual(await findings(azureVmSshKeyOnly, [changed(scaleSet, { virtualMachineProfile: { osProfile: { ...osProfile, adminPassword: "hunter2!" } } })]), [
            "web-scale: sets osProfile.adminPassword: remove it and sign in with SSH keys",
        ]);
    });

    it("reports a VM without SSH keys", async () => {
        assert.deepStrictEqual(await findings(azureVmSshKeyOnly, [changed(vm, { osProfile: { ...osProfile, linuxConfiguration: { disablePasswordAuthentication: true } } })]), [
            "emergency-web: has no SSH public key (osProfile.linuxConfiguration.ssh.publicKeys), so nobody could sign in without a password",
        ]);
    });

    it("is not applicable to Windows VMs", async () => {
        const evaluation = await evaluate(azureVmSshKeyOnly, [changed(vm, { osProfile: { adminUsername: "admin", windowsConfiguration: {} } })]);
        assert.deepStrictEqual(evaluation.violations, []);
        assert.ok(evaluation.notApplicable.some(n => n.reason === "Windows VMs sign in with passwords; the policy covers Linux VMs" && n.resource?.name === "emergency-web"));
    });
});
