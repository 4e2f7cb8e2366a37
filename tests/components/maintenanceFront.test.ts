import * as assert from "assert";
import { FRONT_DOOR_SKU, gatewayInboundRules } from "../../components/azure";
import { estimateCost } from "../../plan/cost/estimate";
import { FRONT_ALTERNATIVES, PRICES } from "../../plan/cost/prices";
import { valueOf } from "../../plan/mockCloud";
import { DeclaredResource, ProgramRun } from "../../plan/runOffline";
import { PilotLightOutputs } from "../../strategies";
import { cloudResources, named, ofType } from "../support/query";
import { runStack } from "../support/stacks";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0dGVzdGtleWZvcm11bHRpY2xvdWRkcnRlc3RzMDAwMDAw ops@example.com";
const HOST = "app.petclinic.example.com";
/** The shipped stack file's hostedZoneId. */
const ZONE_ID = "Z0123456789ABCDEFGHIJ";
const CDN = {
    profile: "azure-native:cdn:Profile",
    endpoint: "azure-native:cdn:AFDEndpoint",
    group: "azure-native:cdn:AFDOriginGroup",
    origin: "azure-native:cdn:AFDOrigin",
    domain: "azure-native:cdn:AFDCustomDomain",
    route: "azure-native:cdn:Route",
};
const RECORD = "aws:route53/record:Record";

/** The pilot light's flag combinations: normal times, emergency showing the page, emergency serving the app. */
const MODES: [string, Record<string, unknown>][] = [
    ["emergency off", {}],
    ["emergency on", { "multicloud-dr:emergency": true, "multicloud-dr:azureSshPublicKey": SSH_KEY }],
    ["emergency on + serveApp", { "multicloud-dr:emergency": true, "multicloud-dr:serveApp": true, "multicloud-dr:azureSshPublicKey": SSH_KEY }],
];

function secondaryRecord(resources: DeclaredResource[]): DeclaredResource {
    const [secondary, ...more] = ofType(resources, RECORD).filter(r => r.inputs.failoverRoutingPolicies?.[0]?.type === "SECONDARY");
    assert.ok(secondary && more.length === 0, "exactly one SECONDARY record");
    return secondary;
}

describe("maintenance front: every pilot-light flag combination", () => {
    for (const [mode, overrides] of MODES) {
        describe(mode, () => {
            let run: ProgramRun<PilotLightOutputs>;
            let resources: DeclaredResource[];
            before(async () => {
                run = await runStack<PilotLightOutputs>("pilot-light", overrides);
                resources = cloudResources(run.resources);
            });

            it("declares no storage account that accepts plain HTTP or serves a custom domain", () => {
                const accounts = ofType(resources, "azure-native:storage:StorageAccount");
                assert.ok(accounts.length >= 2, "the backup and the maintenance accounts");
                for (const account of accounts) {
                    assert.strictEqual(account.inputs.enableHttpsTrafficOnly, true, account.name);
                    assert.strictEqual(account.inputs.customDomain, undefined, account.name);
                }
            });

            it("creates no Route 53 zone and no asverify record: everything goes into the configured zone", () => {
                assert.deepStrictEqual(ofType(resources, "aws:route53/zone:Zone"), []);
                const records = ofType(resources, RECORD);
                assert.deepStrictEqual(records.filter(r => /asverify/.test(r.inputs.name)).map(r => r.inputs.name), []);
                assert.deepStrictEqual([...new Set(records.map(r => r.inputs.zoneId))], [ZONE_ID]);
            });

            it("serves app.<domain> through Front Door Standard with a managed certificate, TLS 1.2 at least, on the endpoint's one route", () => {
                const [profile] = ofType(resources, CDN.profile);
                assert.deepStrictEqual([profile.inputs.sku.name, profile.inputs.location], [FRONT_DOOR_SKU, "Global"]);
                const [domain, ...otherDomains] = ofType(resources, CDN.domain);
                assert.deepStrictEqual(otherDomains, []);
                assert.strictEqual(domain.inputs.hostName, HOST);
                assert.deepStrictEqual(domain.inputs.tlsSettings, { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" });
                const [endpoint] = ofType(resources, CDN.endpoint);
                const [route, ...otherRoutes] = ofType(resources, CDN.route);
                assert.deepStrictEqual(otherRoutes, []);
                assert.deepStrictEqual(route.inputs.customDomains, [{ id: domain.id }]);
                assert.strictEqual(route.inputs.endpointName, endpoint.outputs!.name);
                assert.deepStrictEqual(
                    [route.inputs.httpsRedirect, route.inputs.supportedProtocols, route.inputs.linkToDefaultDomain, route.inputs.patternsToMatch],
                    ["Enabled", ["Http", "Https"], "Enabled", ["/*"]]);
                assert.strictEqual(route.inputs.cacheConfiguration, undefined, "nothing cached, the emergency app included");
                assert.strictEqual(run.outputs.maintenanceUrl, `https://${HOST}`);
            });

            it("validates the domain with the _dnsauth TXT record in the configured zone, carrying Front Door's token", () => {
                const domain = ofType(resources, CDN.domain)[0];
                const txt = ofType(resources, RECORD).find(r => r.inputs.type === "TXT");
                assert.ok(txt);
                assert.deepStrictEqual([txt.inputs.zoneId, txt.inputs.name, txt.inputs.records],
                    [ZONE_ID, `_dnsauth.${HOST}`, [domain.outputs!.validationProperties.validationToken]]);
                assert.match(txt.inputs.records[0], /^mock-token-/);
            });

            it("points Route 53's SECONDARY record at the front's endpoint host", async () => {
                const [endpoint] = ofType(resources, CDN.endpoint);
                const host: string = endpoint.outputs!.hostName;
                assert.match(host, /\.z01\.azurefd\.net$/);
                const secondary = secondaryRecord(resources);
                assert.deepStrictEqual([secondary.inputs.type, secondary.inputs.records], ["CNAME", [host]]);
                assert.strictEqual(await valueOf(run.outputs.secondaryTarget), host);
                assert.strictEqual(await valueOf(run.outputs.maintenancePageHost), host);
            });

            it("reaches the static website over HTTPS only, checking its certificate", () => {
                const page = named(resources, CDN.origin, "maintenance-front-maintenance-page");
                const website = named(resources, "azure-native:storage:StorageAccount", "maintenance-account").outputs!.primaryEndpoints.web as string;
                const host = new URL(website).host;
                assert.deepStrictEqual([page.inputs.hostName, page.inputs.originHostHeader, page.inputs.enforceCertificateNameCheck], [host, host, true]);
            });

            it("prices the front in the plan: Front Door Standard's base fee, charged to the standby site", () => {
                const cost = estimateCost(run.resources);
                const front = cost.items.filter(i => i.priceKey === `azure-frontdoor:${FRONT_DOOR_SKU}`);
                assert.deepStrictEqual(front.map(i => [i.resource.type, i.site, i.monthlyUsd]), [[CDN.profile, "standby", 35]]);
                assert.deepStrictEqual(cost.unpriced.filter(u => u.type.startsWith("azure-native:cdn:")), [], "every cdn resource is priced or free");
            });
        });
    }
});

describe("maintenance front: what an emergency changes", () => {
    let normal: DeclaredResource[];
    let emergency: DeclaredResource[];
    let serving: DeclaredResource[];
    let emergencyRun: ProgramRun<PilotLightOutputs>;
    before(async () => {
        normal = cloudResources((await runStack<PilotLightOutputs>("pilot-light", MODES[0][1])).resources);
        emergencyRun = await runStack<PilotLightOutputs>("pilot-light", MODES[1][1]);
        emergency = cloudResources(emergencyRun.resources);
        serving = cloudResources((await runStack<PilotLightOutputs>("pilot-light", MODES[2][1])).resources);
    });

    const route = (resources: DeclaredResource[]) => ofType(resources, CDN.route)[0];
    const groupId = (resources: DeclaredResource[], role: string) => named(resources, CDN.group, `maintenance-front-${role}`).id;

    it("routes to the maintenance page's origin group in normal times, over HTTPS", () => {
        assert.strictEqual(route(normal).inputs.originGroup.id, groupId(normal, "maintenance"));
        assert.strictEqual(route(normal).inputs.forwardingProtocol, "HttpsOnly");
        assert.deepStrictEqual(ofType(normal, CDN.group).map(g => g.inputs.originGroupName), ["maintenance"]);
    });

    it("switches the same route to the gateway's origin group with emergency, page or app alike", async () => {
        const gatewayHost = await valueOf(emergencyRun.outputs.emergencyGatewayHost!);
        for (const resources of [emergency, serving]) {
            assert.strictEqual(route(resources).urn, route(normal).urn, "an in-place update, not a new route");
            assert.strictEqual(route(resources).inputs.originGroup.id, groupId(resources, "gateway"));
            // Front Door trusts only publicly issued origin certificates; the gateway has none.
            assert.strictEqual(route(resources).inputs.forwardingProtocol, "HttpOnly");
            const origin = named(resources, CDN.origin, "maintenance-front-gateway-origin");
            assert.deepStrictEqual([origin.inputs.hostName, origin.inputs.originHostHeader], [gatewayHost, HOST]);
        }
        assert.strictEqual(emergencyRun.outputs.maintenanceFrontServing, "gateway");
    });

    it("keeps the certificate's domain, the endpoint and the DNS records exactly as they were", () => {
        for (const type of [CDN.profile, CDN.endpoint, CDN.domain, RECORD]) {
            for (const before of ofType(normal, type)) {
                const after = emergency.find(r => r.urn === before.urn);
                assert.ok(after, `${before.name} survives the emergency`);
                assert.deepStrictEqual(after.inputs, before.inputs, `${before.name} changes with emergency`);
            }
        }
    });

    it("keeps the gateway's own switch: maintenance backend until serveApp, the app after", () => {
        const rule = (resources: DeclaredResource[]) => ofType(resources, "azure-native:network:ApplicationGateway")[0].inputs.requestRoutingRules[0];
        assert.match(rule(emergency).backendAddressPool.id, /\/backendAddressPools\/maintenance$/);
        assert.match(rule(serving).backendAddressPool.id, /\/backendAddressPools\/app$/);
    });
});

describe("maintenance front: the gateway's subnet admits Front Door only", () => {
    it("allows HTTP from AzureFrontDoor.Backend, the platform ports Application Gateway v2 needs, and nothing else", async () => {
        const resources = cloudResources((await runStack<PilotLightOutputs>("pilot-light", MODES[1][1])).resources);
        const nsg = named(resources, "azure-native:network:NetworkSecurityGroup", "pilot-light-gateway-nsg");
        const subnet = named(resources, "azure-native:network:Subnet", "pilot-light-gateway");
        assert.strictEqual(subnet.inputs.networkSecurityGroup.id, nsg.id);
        const rules = nsg.inputs.securityRules.map((r: any) => [r.priority, r.access, r.sourceAddressPrefix, r.destinationPortRange]);
        assert.deepStrictEqual(rules, [
            [100, "Allow", "AzureFrontDoor.Backend", "80"],
            [110, "Allow", "GatewayManager", "65200-65535"],
            [120, "Allow", "AzureLoadBalancer", "*"],
            [4000, "Deny", "*", "*"],
        ]);
        assert.deepStrictEqual(nsg.inputs.securityRules, gatewayInboundRules());
        assert.ok(nsg.inputs.securityRules.every((r: any) => r.direction === "Inbound"), "outbound stays the platform default, which the gateway needs");
    });
});

describe("maintenance front: the price table compares the alternatives", () => {
    it("lists Front Door Standard (declared), Front Door Premium and CloudFront, each priced from the table where it has a base fee", () => {
        assert.deepStrictEqual(FRONT_ALTERNATIVES.map(a => [a.option, a.declared]), [
            ["Azure Front Door Standard", true],
            ["Azure Front Door Premium", false],
            ["Amazon CloudFront (pay as you go) in front of the static website", false],
        ]);
        for (const alternative of FRONT_ALTERNATIVES) {
            if (alternative.priceKey) {
                assert.strictEqual(PRICES[alternative.priceKey][0].usd, alternative.baseUsdPerMonth, alternative.option);
            } else {
                assert.strictEqual(alternative.baseUsdPerMonth, 0, alternative.option);
            }
        }
    });
});
