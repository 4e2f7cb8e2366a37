import * as assert from "assert";
import {
    appCloudInit, AzureNetwork, BackupStorage, LinuxVm, MaintenanceFront, maintenancePage, MaintenanceSite, validateAzureNetworkArgs,
    validateBackupStorageArgs, validateLinuxVmArgs, webCloudInit,
} from "../../components/azure";
import { layoutAzureSubnets } from "../../lib/subnetLayout";
import { APP_BOOT, BACKUP_STORAGE_ARGS } from "../support/azureFixtures";
import { declare } from "../support/components";
import { named, ofType } from "../support/query";

const storageArgs = BACKUP_STORAGE_ARGS;

/** A Front Door profile id (`X-Azure-FDID`), lower case as Azure reports it. */
const FRONT_DOOR_ID = "4d5a6b7c-1234-4abc-8def-0123456789ab";

describe("component: AzureNetwork", () => {
    it("cuts the VNet into gateway, web, app and MySQL sixteenths", () => {
        assert.deepStrictEqual(layoutAzureSubnets("10.30.0.0/16"), { gateway: "10.30.0.0/20", web: "10.30.16.0/20", app: "10.30.32.0/20", mysql: "10.30.48.0/20" });
        assert.deepStrictEqual(layoutAzureSubnets("10.30.0.0/22").gateway, "10.30.0.0/26");
        assert.deepStrictEqual(validateAzureNetworkArgs({ resourceGroupName: "rg", location: "x", cidr: "10.30.0.0/24" }), ["cidr: 10.30.0.0/24 must be a /16 to /22"]);
    });

    it("adds a NAT gateway to web and app subnets only when outbound internet is asked for", async () => {
        const closed = await declare(() => new AzureNetwork("n", { resourceGroupName: "rg", location: "koreacentral", cidr: "10.30.0.0/16" }));
        assert.strictEqual(ofType(closed.resources, "azure-native:network:NatGateway").length, 0);
        const open = await declare(() => new AzureNetwork("n", { resourceGroupName: "rg", location: "koreacentral", cidr: "10.30.0.0/16", outboundInternet: true }));
        const withNat = ofType(open.resources, "azure-native:network:Subnet").filter(s => s.inputs.natGateway).map(s => s.name).sort();
        assert.deepStrictEqual(withNat, ["n-app", "n-web"]);
        assert.deepStrictEqual(named(open.resources, "azure-native:network:Subnet", "n-app").inputs.serviceEndpoints.map((e: any) => e.service),
            ["Microsoft.Storage", "Microsoft.KeyVault"]);
    });
});

describe("component: BackupStorage", () => {
    it("issues a write-only SAS to the agent and a read-only one to the restorer, both HTTPS-only and secret", async () => {
        const { result } = await declare(() => new BackupStorage("drbackups", storageArgs));
        const pulumi = await import("@pulumi/pulumi");
        assert.strictEqual(await pulumi.isSecret(result.writerSas), true);
        const writer = await new Promise<string>(resolve => result.writerSas.apply(v => { resolve(v); return v; }));
        const reader = await new Promise<string>(resolve => result.readerSas.apply(v => { resolve(v); return v; }));
        assert.match(writer, /sp=acw&se=2030-01-01T00:00:00Z&spr=https/);
        assert.match(reader, /sp=rl&/);
    });

    it("refuses retention that deletes before immutability ends or before cooling, and a bad expiry", () => {
        assert.deepStrictEqual(validateBackupStorageArgs({ ...storageArgs, deleteAfterDays: 5, sasExpiry: "soon" }), [
            "deleteAfterDays 5 is shorter than immutabilityDays 7",
            "deleteAfterDays 5 must come after coolAfterDays 7",
            'sasExpiry "soon" is not a date',
        ]);
        assert.throws(() => new BackupStorage("x", { ...storageArgs, deleteAfterDays: 1 }), /BackupStorage x: deleteAfterDays 1/);
    });
});

describe("component: LinuxVm", () => {
    it("refuses a password-like key and reserved admin names", () => {
        assert.deepStrictEqual(validateLinuxVmArgs({
            resourceGroupName: "rg", location: "koreacentral", subnetId: "s", size: "Standard_B1s", adminUsername: "root", sshPublicKey: "hunter2", cloudInit: "",
        }), ["sshPublicKey: not an OpenSSH public key", "adminUsername: root is reserved"]);
    });

    it("has no public IP and boots with the cloud-init it is given", async () => {
        const { resources } = await declare(() => new LinuxVm("vm", {
            resourceGroupName: "rg", location: "koreacentral", subnetId: "s", size: "Standard_B1s", adminUsername: "drops",
            sshPublicKey: "ssh-ed25519 AAAAC3Nza ops", cloudInit: "#cloud-config\n",
        }));
        const vm = named(resources, "azure-native:compute:VirtualMachine", "vm");
        assert.strictEqual(Buffer.from(vm.inputs.osProfile.customData, "base64").toString(), "#cloud-config\n");
        assert.strictEqual(vm.inputs.securityProfile.securityType, "TrustedLaunch");
        assert.strictEqual(named(resources, "azure-native:network:NetworkInterface", "vm-nic").inputs.ipConfigurations[0].publicIPAddress, undefined);
        assert.strictEqual(vm.inputs.identity, undefined, "no identity unless one is given");
    });

    it("runs as the user-assigned identity it is given, created only after that identity's grants", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const dependsOn: unknown[] = [];
        let grant: unknown;
        const { resources } = await declare(() => {
            pulumi.runtime.registerStackTransformation(args => {
                if (args.type === "azure-native:compute:VirtualMachine") {
                    dependsOn.push(...([] as unknown[]).concat(args.opts.dependsOn ?? []));
                }
                return undefined;
            });
            class Grant extends pulumi.CustomResource {}
            grant = new Grant("test:index:Grant", "grant", {});
            return new LinuxVm("vm", {
                resourceGroupName: "rg", location: "koreacentral", subnetId: "s", size: "Standard_B1s", adminUsername: "drops",
                sshPublicKey: "ssh-ed25519 AAAAC3Nza ops", cloudInit: "#cloud-config\n",
                identity: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app", grantedBy: [grant as any] },
            });
        });
        const vm = named(resources, "azure-native:compute:VirtualMachine", "vm");
        assert.deepStrictEqual(vm.inputs.identity, {
            type: "UserAssigned",
            userAssignedIdentities: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app"],
        });
        assert.deepStrictEqual(dependsOn, [grant], "the VM boots only once its identity may read the vault");
    });
});

describe("emergency boot documents", () => {
    const boot = APP_BOOT;

    it("restores once, before the app starts, with secrets read from Key Vault at boot", () => {
        const text = appCloudInit(boot);
        assert.match(text, /^#cloud-config\n/);
        assert.match(text, /\[ -e "\$root\/var\/lib\/mysql-dr\/restored" \] && exit 0/);
        assert.match(text, /vault="\$\{MYSQL_DR_VAULT_URL:-https:\/\/drvault1234\.vault\.azure\.net\}"/);
        assert.match(text, /"\$vault\/secrets\/\$1\?api-version=7\.4"/);
        assert.match(text, /DR_TARGET_PASSWORD_FILE=\/run\/mysql-dr\/mysql\.password/);
        assert.match(text, /Wants=mysql-dr-restore\.service\n\s*After=mysql-dr-restore\.service/);
        assert.match(text, /client_id=11111111-2222-4333-8444-555555555555/, "the token request names the VM's identity");
        assert.match(text, /python3 \/opt\/app\/placeholder\.py/, "without an artifact the placeholder serves /health");
        assert.match(appCloudInit({ ...boot, appArtifactUrl: "https://artifacts.example.com/app.jar" }), /java -jar \/opt\/app\/app\.jar/);
    });

    it("proxies the web tier to the app tier and says where it serves from", () => {
        const text = webCloudInit("10.30.32.4", "azure-koreacentral", FRONT_DOOR_ID);
        assert.match(text, /proxy_pass http:\/\/10\.30\.32\.4:8080;/);
        assert.match(text, /add_header X-Served-From "azure-koreacentral" always;/);
    });

    it("serves the application only to requests from this stack's Front Door profile, and /health to the gateway's probe", () => {
        const text = webCloudInit("10.30.32.4", "azure-koreacentral", FRONT_DOOR_ID.toUpperCase());
        const block = (location: string) => {
            const start = text.indexOf(`location ${location} {`);
            assert.ok(start >= 0, `no location ${location}`);
            const next = text.indexOf("location ", start + 1);
            return text.slice(start, next < 0 ? undefined : next);
        };
        assert.match(block("/"), new RegExp(`if \\(\\$http_x_azure_fdid != "${FRONT_DOOR_ID}"\\) \\{\\s*return 403;`), "any other Front Door tenant is refused");
        assert.ok(block("/").indexOf("return 403") < block("/").indexOf("proxy_pass"));
        assert.doesNotMatch(block("= /health"), /x_azure_fdid|return 403/, "the gateway's probe carries no Front Door header");
        assert.match(block("= /health"), /proxy_pass http:\/\/10\.30\.32\.4:8080;/);
        assert.throws(() => webCloudInit("10.30.32.4", "azure-koreacentral", "\"; return 200; #"), /not a Front Door id/);
    });

    it("renders an honest maintenance page with the service's name escaped", () => {
        const page = maintenancePage("Pet<Clinic>");
        assert.match(page, /<title>Pet&lt;Clinic&gt; is temporarily unavailable<\/title>/);
        assert.ok(!page.includes("<script"));
    });
});

describe("component: MaintenanceSite", () => {
    it("serves the static website over HTTPS only, with no custom domain and no DNS record of its own", async () => {
        const { resources } = await declare(() => new MaintenanceSite("m", {
            resourceGroupName: "rg", location: "koreacentral", serviceName: "PetClinic", sasExpiry: "2030-01-01T00:00:00Z",
        }));
        const account = named(resources, "azure-native:storage:StorageAccount", "m-account");
        assert.deepStrictEqual([account.inputs.enableHttpsTrafficOnly, account.inputs.customDomain, account.inputs.minimumTlsVersion], [true, undefined, "TLS1_2"]);
        assert.deepStrictEqual(resources.filter(r => r.type.startsWith("aws:")).map(r => r.type), [], "no asverify record: nothing waits on public DNS");
    });
});

describe("component: MaintenanceFront", () => {
    const args = { resourceGroupName: "rg", hostname: "app.example.com", zoneId: "Z0EXAMPLE", pageHost: "drsite1.z12.web.core.windows.net" };

    it("declares no gateway origin without a gateway, and routes over HTTPS to the page", async () => {
        const { resources } = await declare(() => {
            const front = new MaintenanceFront("f", args);
            front.route();
            return front;
        });
        assert.deepStrictEqual(ofType(resources, "azure-native:cdn:AFDOrigin").map(o => o.inputs.hostName), [args.pageHost]);
        assert.strictEqual(named(resources, "azure-native:cdn:Route", "f-route").inputs.forwardingProtocol, "HttpsOnly");
    });

    it("sends the route to the gateway over HTTP when one is given, keeping the page's origin ready for the way back", async () => {
        const { resources, result } = await declare(() => {
            const front = new MaintenanceFront("f", args);
            front.route("dr-x.koreacentral.cloudapp.azure.com");
            return front;
        });
        const route = named(resources, "azure-native:cdn:Route", "f-route");
        assert.strictEqual(route.inputs.originGroup.id, named(resources, "azure-native:cdn:AFDOriginGroup", "f-gateway").id);
        assert.strictEqual(route.inputs.forwardingProtocol, "HttpOnly");
        assert.deepStrictEqual(ofType(resources, "azure-native:cdn:AFDOrigin").map(o => o.inputs.hostName).sort(), ["dr-x.koreacentral.cloudapp.azure.com", args.pageHost]);
        assert.strictEqual(result.serving, "gateway");
    });
});
