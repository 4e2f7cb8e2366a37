import * as assert from "assert";
import { runStack } from "../support/stacks";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PilotLightOutputs } from "../../strategies";
import { backupToolAsset } from "../../strategies/artifacts";
import { valueOf } from "../../plan/mockCloud";
import { cloudResources, named, ofType, regionOf, statementsOf } from "../support/query";
import { DeclaredResource, ProgramFailure, ProgramRun } from "../../plan/runOffline";

const SEOUL = "ap-northeast-2";
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0dGVzdGtleWZvcm11bHRpY2xvdWRkcnRlc3RzMDAwMDAw ops@example.com";
const A = {
    account: "azure-native:storage:StorageAccount",
    container: "azure-native:storage:BlobContainer",
    worm: "azure-native:storage:BlobContainerImmutabilityPolicy",
    lifecycle: "azure-native:storage:ManagementPolicy",
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    mysql: "azure-native:resources:Resource",
    vm: "azure-native:compute:VirtualMachine",
    gateway: "azure-native:network:ApplicationGateway",
    secret: "azure-native:keyvault:Secret",
};

function runPilotLight(overrides: Record<string, unknown> = {}): Promise<ProgramRun<PilotLightOutputs>> {
    return runStack<PilotLightOutputs>("pilot-light", overrides);
}

const emergencyOn = { "multicloud-dr:emergency": true, "multicloud-dr:azureSshPublicKey": SSH_KEY };

/** Secret strings the mocks hand out: generated passwords and SAS signatures. */
function leakedSecrets(text: string): string[] {
    return ["MockPassword", "sig=MockSig", "MockPrivateKey"].filter(marker => text.includes(marker));
}

describe("program: pilot-light stack, normal mode", () => {
    let run: ProgramRun<PilotLightOutputs>;
    let resources: DeclaredResource[];
    before(async () => {
        run = await runPilotLight();
        resources = cloudResources(run.resources);
    });

    it("builds the same Seoul primary as warm standby and copies nothing to a second AWS region", () => {
        assert.deepStrictEqual(ofType(resources, "aws:ec2/vpc:Vpc").map(v => [regionOf(v), v.inputs.cidrBlock]), [[SEOUL, "10.10.0.0/16"]]);
        const [database] = ofType(resources, "aws:rds/instance:Instance");
        assert.deepStrictEqual([database.inputs.multiAz, database.inputs.storageEncrypted, database.inputs.replicateSourceDb], [true, true, undefined]);
        const awsRegions = new Set(resources.filter(r => r.type.startsWith("aws:")).map(regionOf).filter(Boolean));
        assert.deepStrictEqual([...awsRegions].sort(), [SEOUL, "us-east-1"], "Seoul, plus Route 53's metric region for alarms");
        assert.ok(ofType(resources, "aws:dynamodb/table:Table").every(t => t.inputs.replicas.length === 0));
        assert.strictEqual(ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
        assert.strictEqual(ofType(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length, 0);
    });

    it("keeps backups in a storage account with HTTPS only, TLS 1.2, no public blob access and a firewall", () => {
        const account = ofType(resources, A.account).find(a => a.name !== "maintenance-account");
        assert.ok(account, "a backup storage account");
        assert.strictEqual(account.inputs.enableHttpsTrafficOnly, true);
        assert.strictEqual(account.inputs.kind, "StorageV2");
        assert.strictEqual(account.inputs.minimumTlsVersion, "TLS1_2");
        assert.strictEqual(account.inputs.allowBlobPublicAccess, false);
        assert.strictEqual(account.inputs.networkRuleSet.defaultAction, "Deny");
        assert.strictEqual(account.inputs.networkRuleSet.ipRules.length, 3, "the three Seoul NAT addresses");
        assert.strictEqual(account.inputs.networkRuleSet.virtualNetworkRules.length, 1, "the app subnet");
        assert.strictEqual(account.protect, true);
        assert.strictEqual(account.inputs.location, "koreacentral");
    });

    it("makes the backup container private and write-once, with versioning, soft delete and lifecycle rules", () => {
        const container = ofType(resources, A.container).find(c => c.inputs.containerName === "mysql-backups");
        assert.ok(container);
        assert.strictEqual(container.inputs.publicAccess, "None");
        assert.strictEqual(container.protect, true);
        const account = named(resources, A.account, "drbackups");
        assert.deepStrictEqual(account.inputs.immutableStorageWithVersioning, {
            enabled: true,
            immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 7, state: "Unlocked", allowProtectedAppendWrites: true },
        });
        assert.deepStrictEqual(ofType(resources, A.worm), [], "no container-level policy: it would block lifecycle deletion");
        const [service] = ofType(resources, "azure-native:storage:BlobServiceProperties");
        assert.strictEqual(service.inputs.isVersioningEnabled, true);
        assert.strictEqual(service.inputs.deleteRetentionPolicy.enabled, true);
        const [lifecycle] = ofType(resources, A.lifecycle);
        const [dumps, binlogs] = lifecycle.inputs.policy.rules;
        assert.deepStrictEqual(dumps.definition.actions.baseBlob, {
            tierToCool: { daysAfterModificationGreaterThan: 7 },
            delete: { daysAfterModificationGreaterThan: 37 },
        });
        assert.deepStrictEqual(binlogs.definition.filters.blobTypes, ["appendBlob"]);
    });

    it("reserves a VNet with gateway, web, app and delegated MySQL subnets, and no internet path", () => {
        const [vnet] = ofType(resources, A.vnet);
        assert.deepStrictEqual(vnet.inputs.addressSpace.addressPrefixes, ["10.30.0.0/16"]);
        const subnets = ofType(resources, A.subnet);
        assert.deepStrictEqual(subnets.map(s => s.inputs.addressPrefix).sort(), ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20", "10.30.48.0/20"]);
        assert.ok(subnets.every(s => s.inputs.defaultOutboundAccess === false && s.inputs.natGateway === undefined));
        const mysqlSubnet = named(resources, A.subnet, "pilot-light-mysql");
        assert.strictEqual(mysqlSubnet.inputs.delegations[0].serviceName, "Microsoft.DBforMySQL/flexibleServers");
    });

    it("runs the backup agent on a private Seoul instance: IMDSv2, no SSH, encrypted disk, secrets only in Secrets Manager", () => {
        const instance = named(resources, "aws:ec2/instance:Instance", "backup-agent");
        assert.strictEqual(regionOf(instance), SEOUL);
        assert.strictEqual(instance.inputs.metadataOptions.httpTokens, "required");
        assert.strictEqual(instance.inputs.associatePublicIpAddress, false);
        assert.strictEqual(instance.inputs.keyName, undefined, "no SSH key pair");
        assert.strictEqual(instance.inputs.rootBlockDevice.encrypted, true);
        const sg = named(resources, "aws:ec2/securityGroup:SecurityGroup", "backup-agent-sg");
        assert.strictEqual(sg.inputs.ingress, undefined, "no inbound rule at all");
        assert.deepStrictEqual(leakedSecrets(instance.inputs.userData), []);
        // Settings, scripts and units arrive through the SSM association's document, changed in place.
        const document: string = named(resources, "aws:ssm/document:Document", "backup-agent-tool-install").inputs.content;
        assert.deepStrictEqual(leakedSecrets(document), []);
        assert.match(document, /systemctl enable mysql-dr-agent\.service/);
        const written = (JSON.parse(document).mainSteps[0].inputs.runCommand as string[])
            .map(line => /^if put \S+ \S+ \S+ '([A-Za-z0-9+/=]*)'/.exec(line)?.[1]).filter((b64): b64 is string => b64 !== undefined)
            .map(b64 => Buffer.from(b64, "base64").toString("utf8")).join("\n");
        assert.match(written, /binlog retention hours', 24/);
        assert.doesNotMatch(instance.inputs.userData, /binlog retention|DR_/, "user data is the fixed bootstrap");
        const settings = named(resources, "aws:secretsmanager/secretVersion:SecretVersion", "backup-agent-settings-value");
        assert.ok(settings.secretInputs.includes("secretString"));
        const values = JSON.parse(settings.inputs.secretString);
        assert.match(values.DR_BLOB_SAS, /sp=acw&/, "the agent's SAS can add, create and write only");
        assert.match(values.DR_MYSQL_PASSWORD, /^MockPassword-/);
    });

    it("lets the agent's role read exactly one secret and one object", () => {
        const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", "backup-agent-least-privilege");
        const bySid = Object.fromEntries(statementsOf(policy.inputs.policy).map((s: any) => [s.Sid, s]));
        const secret = named(resources, "aws:secretsmanager/secret:Secret", "backup-agent-settings");
        assert.ok(bySid.ReadOwnSecret.Resource.startsWith("arn:aws:secretsmanager:ap-northeast-2:"));
        assert.ok(bySid.ReadOwnSecret.Resource.includes(secret.name));
        assert.match(bySid.ReadOwnArtifact.Resource, /^arn:aws:s3:::backup-agent-artifacts-[0-9a-f]+\/mysql-dr\/mysql-dr\.js$/);
        assert.deepStrictEqual(bySid.PublishLagMetric.Condition, { StringEquals: { "cloudwatch:namespace": "MultiCloudDR/Backup" } });
    });

    it("gives the restore tool a read-only SAS, kept in Key Vault", () => {
        const sas = ofType(resources, A.secret).find(s => s.inputs.secretName === "restore-sas");
        assert.ok(sas);
        assert.match(sas.inputs.properties.value, /sp=rl&/);
        assert.ok(sas.secretInputs.includes("properties"));
        const [vault] = ofType(resources, "azure-native:keyvault:Vault");
        assert.strictEqual(vault.inputs.properties.enableRbacAuthorization, true);
        assert.strictEqual(vault.inputs.properties.enablePurgeProtection, true);
        assert.strictEqual(vault.inputs.properties.networkAcls.defaultAction, "Deny");
    });

    it("serves a maintenance page outside AWS over HTTPS through Front Door and points Route 53's SECONDARY at the front", async () => {
        const site = named(resources, A.account, "maintenance-account");
        assert.strictEqual(site.inputs.allowBlobPublicAccess, false);
        assert.deepStrictEqual([site.inputs.enableHttpsTrafficOnly, site.inputs.customDomain], [true, undefined]);
        const page = ofType(resources, "azure-native:storage:Blob").find(b => b.name === "maintenance-index");
        assert.ok(page);
        const records = ofType(resources, "aws:route53/record:Record");
        const secondary = records.find(r => r.inputs.failoverRoutingPolicies?.[0]?.type === "SECONDARY");
        assert.deepStrictEqual(secondary?.inputs.records, [await valueOf(run.outputs.maintenancePageHost)]);
        assert.match(secondary!.inputs.records[0], /\.z01\.azurefd\.net$/);
        assert.strictEqual(run.outputs.maintenanceUrl, "https://app.petclinic.example.com");
        const primary = records.find(r => r.inputs.failoverRoutingPolicies?.[0]?.type === "PRIMARY");
        assert.ok(primary?.inputs.healthCheckId);
        assert.ok(records.some(r => r.inputs.name === "_dnsauth.app.petclinic.example.com" && r.inputs.type === "TXT"));
        assert.ok(!records.some(r => /asverify/.test(r.inputs.name)));
    });

    it("gives Seoul a load balancer: PRIMARY is a CNAME to it (the Azure SECONDARY cannot be an alias), probed on its checked host", async () => {
        const records = ofType(resources, "aws:route53/record:Record").filter(r => r.inputs.failoverRoutingPolicies !== undefined);
        const primary = records.find(r => r.inputs.failoverRoutingPolicies[0].type === "PRIMARY")!;
        const secondary = records.find(r => r.inputs.failoverRoutingPolicies[0].type === "SECONDARY")!;
        const alb = named(resources, "aws:lb/loadBalancer:LoadBalancer", "primary-alb");
        assert.deepStrictEqual([primary.inputs.type, primary.inputs.records, primary.inputs.ttl], ["CNAME", [alb.outputs!.dnsName], 60]);
        assert.strictEqual(secondary.inputs.type, "CNAME", "a failover pair shares one type");
        const check = named(resources, "aws:route53/healthCheck:HealthCheck", "failover-primary-health");
        assert.deepStrictEqual([check.inputs.fqdn, check.inputs.enableSni, check.inputs.resourcePath], ["app-primary.petclinic.example.com", true, "/health"]);
        const certificate = named(resources, "aws:acm/certificate:Certificate", "primary-cert");
        assert.deepStrictEqual([certificate.inputs.domainName, certificate.inputs.subjectAlternativeNames, regionOf(certificate)],
            ["app.petclinic.example.com", ["app-primary.petclinic.example.com"], SEOUL]);
        assert.strictEqual(named(resources, "aws:lb/listener:Listener", "primary-https").inputs.certificateArn, certificate.outputs!.arn);
        assert.deepStrictEqual(ofType(resources, "aws:lb/targetGroup:TargetGroup").map(g => g.name).sort(), ["primary-tg-app", "primary-tg-web"]);
        assert.strictEqual(run.outputs.primaryEntryPoint.checkedHost, "app-primary.petclinic.example.com");
        assert.strictEqual(await valueOf(run.outputs.primaryEntryPoint.dnsName), alb.outputs!.dnsName);
    });

    it("exports only the Seoul site to the workloads project, reading Seoul's secret", async () => {
        assert.deepStrictEqual(Object.keys(run.outputs.workloadSites), ["primary"]);
        const site = await valueOf(run.outputs.workloadSites.primary!) as any;
        assert.deepStrictEqual([site.role, site.region, site.settings.AWS_REGION, site.settings.DB_READ_ONLY], ["primary", SEOUL, SEOUL, "false"]);
        assert.strictEqual(site.settings.DB_SECRET_ARN, named(resources, "aws:secretsmanager/secret:Secret", "database-secret").outputs!.arn);
        assert.deepStrictEqual(Object.keys(site.repositories), ["web", "app"]);
    });

    it("locks the backups' retention policy only when backupImmutabilityLocked is set, as an update of the same account", async () => {
        const locked = await runPilotLight({ "multicloud-dr:backupImmutabilityLocked": true });
        const account = named(cloudResources(locked.resources), A.account, "drbackups");
        assert.strictEqual(account.inputs.immutableStorageWithVersioning.immutabilityPolicy.state, "Locked");
        assert.strictEqual(account.urn, named(resources, A.account, "drbackups").urn);
    });

    it("declares the emergency app's identity and its vault grant now, so a deployer lacking roleAssignments/write finds out on day one", () => {
        const [identity, ...moreIdentities] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        assert.deepStrictEqual(moreIdentities, []);
        const [grant, ...moreGrants] = ofType(resources, "azure-native:authorization:RoleAssignment");
        assert.deepStrictEqual(moreGrants, []);
        assert.strictEqual(grant.inputs.principalId, identity.outputs?.principalId);
        assert.strictEqual(grant.inputs.principalType, "ServicePrincipal");
        assert.match(grant.inputs.roleDefinitionId, /\/roleDefinitions\/4633458b-17de-408a-b874-0445c86b69e6$/, "Key Vault Secrets User");
        assert.strictEqual(grant.inputs.scope, named(resources, "azure-native:keyvault:Vault", "drvault").id, "on the vault only");
    });

    it("declares no MySQL server, VM or Application Gateway", () => {
        for (const type of [A.mysql, A.vm, A.gateway]) {
            assert.strictEqual(ofType(resources, type).length, 0, type);
        }
        assert.strictEqual(run.outputs.emergencyGatewayHost, undefined);
    });

    it("reports its strategy and the seed's pilot-light objectives", () => {
        assert.strictEqual(run.outputs.strategy, "pilot-light");
        assert.strictEqual(run.outputs.activeRegion, SEOUL);
        assert.deepStrictEqual(run.outputs.recoveryObjectives.rtoMinutes, { min: 120, max: 240 });
    });
});

describe("program: pilot-light stack, emergency mode", () => {
    let normal: ProgramRun<PilotLightOutputs>;
    let emergency: ProgramRun<PilotLightOutputs>;
    let serving: ProgramRun<PilotLightOutputs>;
    let resources: DeclaredResource[];
    before(async () => {
        normal = await runPilotLight();
        emergency = await runPilotLight(emergencyOn);
        serving = await runPilotLight({ ...emergencyOn, "multicloud-dr:serveApp": true });
        resources = cloudResources(emergency.resources);
    });

    it("adds a private, TLS-only, protected MySQL flexible server with backups", () => {
        const [server] = ofType(resources, A.mysql).filter(r => r.inputs.resourceType === "flexibleServers");
        assert.strictEqual(server.protect, true);
        assert.deepStrictEqual([server.inputs.apiVersion, server.inputs.properties.version], ["2023-12-30", "8.4"]);
        assert.strictEqual(server.inputs.properties.network.publicNetworkAccess, "Disabled");
        assert.match(server.inputs.properties.network.delegatedSubnetResourceId, /\/Subnet\/pilotlightmysq[0-9a-f]+$/, "the delegated subnet");
        assert.strictEqual(server.inputs.properties.backup.backupRetentionDays, 7);
        assert.ok(server.secretInputs.includes("properties"));
        const tls = ofType(resources, "azure-native:dbformysql:Configuration").find(c => c.inputs.configurationName === "require_secure_transport");
        assert.strictEqual(tls?.inputs.value, "ON");
        assert.strictEqual(ofType(resources, "azure-native:dbformysql:FirewallRule").length, 0);
        assert.strictEqual(named(resources, "azure-native:dbformysql:Database", "emergency-mysql-database").protect, true);
    });

    it("keeps the MySQL admin password and its vault secret in normal times, so emergency off deletes neither", () => {
        for (const r of [normal, emergency]) {
            const all = cloudResources(r.resources);
            named(all, "random:index/randomPassword:RandomPassword", "emergency-mysql-password");
            assert.strictEqual(named(all, A.secret, "drvault-mysql-admin-password").inputs.secretName, "mysql-admin-password");
        }
        const [server] = ofType(resources, A.mysql).filter(r => r.inputs.resourceType === "flexibleServers");
        assert.strictEqual(server.inputs.properties.administratorLoginPassword,
            named(resources, A.secret, "drvault-mysql-admin-password").inputs.properties.value);
    });

    it("adds web and app VMs that take SSH keys only and carry no secret in their boot data", () => {
        const vms = ofType(resources, A.vm);
        assert.strictEqual(vms.length, 2);
        for (const vm of vms) {
            assert.strictEqual(vm.inputs.osProfile.linuxConfiguration.disablePasswordAuthentication, true);
            assert.strictEqual(vm.inputs.osProfile.adminPassword, undefined);
            assert.strictEqual(vm.inputs.osProfile.linuxConfiguration.ssh.publicKeys[0].keyData, SSH_KEY);
            const boot = Buffer.from(vm.inputs.osProfile.customData, "base64").toString("utf8");
            assert.deepStrictEqual(leakedSecrets(boot), [], vm.name);
        }
        const appBoot = Buffer.from(named(resources, A.vm, "emergency-app").inputs.osProfile.customData, "base64").toString("utf8");
        assert.match(appBoot, /mysql-dr\.js" restore --config "\$root\/etc\/mysql-dr\/restore\.env"/);
        assert.match(appBoot, /Wants=mysql-dr-restore\.service\n\s*After=mysql-dr-restore\.service/, "the app starts only after the restore, and a failed attempt does not fail it for good");
        const [identity] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
        const appVm = named(resources, A.vm, "emergency-app");
        assert.deepStrictEqual(appVm.inputs.identity, { type: "UserAssigned", userAssignedIdentities: [identity.id] });
        assert.ok(appBoot.includes(`client_id=${identity.outputs?.clientId}`), "the token request names that identity");
        assert.strictEqual(named(resources, A.vm, "emergency-web").inputs.identity, undefined, "the web VM reads nothing from Azure");
        assert.ok(ofType(resources, "azure-native:network:NetworkInterface").every(n => n.inputs.ipConfigurations[0].publicIPAddress === undefined));
        assert.strictEqual(ofType(resources, "azure-native:authorization:RoleAssignment").length, 1, "only the app identity reads the vault");
    });

    it("admits to each tier only the tier in front of it", () => {
        const rules = Object.fromEntries(ofType(resources, A.nsg).map(n => [n.name, n.inputs.securityRules]));
        assert.deepStrictEqual(rules["pilot-light-web-nsg"][0].destinationPortRange, "80");
        assert.deepStrictEqual(rules["pilot-light-app-nsg"][0].sourceAddressPrefix, "10.30.16.0/20");
        assert.deepStrictEqual(rules["pilot-light-mysql-nsg"][0].sourceAddressPrefix, "10.30.32.0/20");
        for (const list of Object.values(rules) as any[][]) {
            assert.ok(list.every(rule => rule.access === "Deny" || !["*", "Internet", "0.0.0.0/0"].includes(rule.sourceAddressPrefix)));
        }
    });

    it("adds an Application Gateway that shows the maintenance page until serveApp", async () => {
        const [gateway] = ofType(resources, A.gateway);
        assert.strictEqual(gateway.inputs.sku.name, "Standard_v2");
        assert.match(gateway.inputs.requestRoutingRules[0].backendAddressPool.id, /\/backendAddressPools\/maintenance$/);
        const [servingGateway] = ofType(serving.resources, A.gateway);
        assert.match(servingGateway.inputs.requestRoutingRules[0].backendAddressPool.id, /\/backendAddressPools\/app$/);
        assert.strictEqual(serving.outputs.emergencyServing, "app");
        assert.ok(gateway.inputs.probes.some((p: any) => p.path === "/health"));
    });

    it("keeps Route 53's SECONDARY record on the front, whose route now sends users to the gateway", async () => {
        const secondary = ofType(resources, "aws:route53/record:Record").find(r => r.inputs.failoverRoutingPolicies?.[0]?.type === "SECONDARY");
        assert.deepStrictEqual(secondary?.inputs.records, [await valueOf(normal.outputs.maintenancePageHost)]);
        const gatewayOrigin = named(resources, "azure-native:cdn:AFDOrigin", "maintenance-front-gateway-origin");
        assert.match(gatewayOrigin.inputs.hostName, /^dr-[a-z0-9]+\.koreacentral\.cloudapp\.azure\.com$/);
        assert.strictEqual(gatewayOrigin.inputs.hostName, await valueOf(emergency.outputs.emergencyGatewayHost!));
        assert.strictEqual(emergency.outputs.maintenanceFrontServing, "gateway");
    });

    it("adds resources without removing or replacing any of normal mode's", () => {
        const before = new Set(normal.resources.map(r => r.urn));
        const after = new Set(emergency.resources.map(r => r.urn));
        assert.ok(after.size > before.size);
        assert.deepStrictEqual([...before].filter(urn => !after.has(urn)), []);
        for (const stateful of [A.account, A.container, "aws:rds/instance:Instance"]) {
            for (const r of ofType(normal.resources, stateful)) {
                const twin = emergency.resources.find(e => e.urn === r.urn)!;
                assert.deepStrictEqual(twin.inputs, r.inputs, `${r.name} changes with emergency`);
            }
        }
    });
});

describe("program: pilot-light emergency without an SSH key", () => {
    it("generates the VMs' key pair and returns the private half only as a secret output", async () => {
        const run = await runPilotLight({ "multicloud-dr:emergency": true });
        const vms = ofType(cloudResources(run.resources), A.vm);
        assert.strictEqual(vms.length, 2);
        for (const vm of vms) {
            assert.match(vm.inputs.osProfile.linuxConfiguration.ssh.publicKeys[0].keyData, /^ssh-ed25519 AAAA/);
            assert.deepStrictEqual(leakedSecrets(Buffer.from(vm.inputs.osProfile.customData, "base64").toString()), []);
        }
        const key = run.outputs.emergencyAdminPrivateKey!;
        assert.strictEqual(await pulumi.isSecret(key), true);
        assert.match(await valueOf(key), /BEGIN OPENSSH PRIVATE KEY/);
        const withKey = await runPilotLight(emergencyOn);
        assert.strictEqual(withKey.outputs.emergencyAdminPrivateKey, undefined, "no key is generated when one is given");
    });
});

describe("program: pilot-light config and packaging errors", () => {
    for (const [overrides, pattern] of [
        [{ "multicloud-dr:azureSshPublicKey": "hunter2" }, /multicloud-dr:azureSshPublicKey is not an OpenSSH public key/],
        [{ "multicloud-dr:serveApp": true }, /multicloud-dr:serveApp is true, but emergency is false/],
        [{ "multicloud-dr:azureCidr": "10.10.0.0/16" }, /multicloud-dr:azureCidr 10\.10\.0\.0\/16 overlaps primaryCidr/],
        [{ "multicloud-dr:backupDeleteAfterDays": 3 }, /backupDeleteAfterDays 3 is shorter than backupImmutabilityDays 7/],
        [{ "multicloud-dr:failover": true }, /failover is true, but strategy pilot-light has no AWS standby/],
    ] as [Record<string, unknown>, RegExp][]) {
        it(`fails with ${pattern} and declares nothing`, async () => {
            await assert.rejects(runPilotLight(overrides), (error: Error) => {
                assert.ok(error instanceof ProgramFailure);
                assert.match(error.message, pattern);
                assert.deepStrictEqual(error.declared, []);
                return true;
            });
        });
    }

    it("bundles the backup tool from this repository's sources for the instance and the VMs", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-"));
        const asset = backupToolAsset(path.join(dir, "mysql-dr.js"));
        const text = fs.readFileSync(path.join(dir, "mysql-dr.js"), "utf8");
        assert.ok(text.length > 100_000, "every dependency is in the bundle");
        assert.match(text, /restore/);
        assert.ok(asset instanceof pulumi.asset.FileAsset);
    });
});
