import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** The account every mocked ARN belongs to. */
export const MOCK_ACCOUNT_ID = "123456789012";
/** The Azure subscription and tenant every mocked id belongs to. */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-4000-8000-000000000002";

/** Region a resource is managed in: its `region` input, or the default provider's (the primary). */
export function regionOf(inputs: Record<string, unknown>, fallback = "ap-northeast-2"): string {
    return typeof inputs.region === "string" ? inputs.region : fallback;
}

/**
 * Outputs a real provider would add to a resource's inputs: ids, ARNs, endpoints and names in
 * the shapes AWS returns, so programs that read them behave as they would in a deployment.
 * Physical names are stable: a resource keeps its id across runs, as it would across updates.
 */
export function mockState(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    const region = regionOf(inputs);
    // Derived from type and name, so the same resource gets the same ids in every run.
    const suffix = createHash("sha256").update(`${type}::${name}`).digest("hex").slice(0, 7);
    const physical = `${name}-${suffix}`;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;
    if (type.startsWith("azure-native:")) {
        return mockAzureState(type, name, inputs, suffix);
    }
    if (type.startsWith("kubernetes:")) {
        return mockKubernetesState(type, inputs, suffix);
    }
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return { id: `vpc-${suffix}`, state: { ...inputs, arn: arn("ec2", `vpc/vpc-${suffix}`) } };
        case "aws:ec2/subnet:Subnet":
            return { id: `subnet-${suffix}`, state: { ...inputs } };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { id: `sg-${suffix}`, state: { ...inputs, arn: arn("ec2", `security-group/sg-${suffix}`) } };
        case "aws:kms/key:Key":
            return { id: suffix, state: { ...inputs, keyId: `key-${suffix}`, arn: arn("kms", `key/key-${suffix}`) } };
        case "aws:kms/alias:Alias":
            return { id: `alias/${physical}`, state: { ...inputs, name: `alias/${physical}` } };
        case "aws:iam/role:Role":
            return { id: physical, state: { ...inputs, name: physical, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physical}` } };
        case "aws:eks/cluster:Cluster": {
            const clusterName = (inputs.name as string | undefined) ?? physical;
            return {
                id: clusterName,
                state: {
                    ...inputs,
                    name: clusterName,
                    arn: arn("eks", `cluster/${clusterName}`),
                    endpoint: `https://${suffix.toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
                    certificateAuthority: { data: Buffer.from(`ca-of-${clusterName}`).toString("base64") },
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${suffix.toUpperCase()}` }] }],
                    vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: `sg-cluster-${suffix}` },
                },
            };
        }
        case "aws:eks/nodeGroup:NodeGroup":
            return { id: physical, state: { ...inputs, nodeGroupName: physical, arn: arn("eks", `nodegroup/${physical}`) } };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { id: `lt-${suffix}`, state: { ...inputs, latestVersion: 1 } };
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return { id: physical, state: { ...inputs, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${physical}` } };
        case "aws:rds/instance:Instance": {
            const identifier = (inputs.identifier as string | undefined) ?? physical;
            const address = `${identifier}.c${suffix}.${region}.rds.amazonaws.com`;
            return {
                id: identifier,
                state: { ...inputs, identifier, address, endpoint: `${address}:3306`, port: 3306, arn: arn("rds", `db:${identifier}`) },
            };
        }
        case "aws:rds/subnetGroup:SubnetGroup":
        case "aws:rds/parameterGroup:ParameterGroup":
            return { id: physical, state: { ...inputs, name: physical } };
        case "aws:dynamodb/table:Table":
            return {
                id: physical,
                state: {
                    ...inputs,
                    name: physical,
                    arn: arn("dynamodb", `table/${physical}`),
                    streamArn: arn("dynamodb", `table/${physical}/stream/2026-11-22T00:00:00.000`),
                },
            };
        case "aws:s3/bucket:Bucket":
            return { id: physical, state: { ...inputs, bucket: physical, arn: `arn:aws:s3:::${physical}` } };
        case "aws:ecr/repository:Repository":
            return {
                id: inputs.name as string,
                state: { ...inputs, arn: arn("ecr", `repository/${inputs.name}`), repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${inputs.name}` },
            };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                id: arn("elasticloadbalancing", `loadbalancer/app/${physical}/${suffix}`),
                state: {
                    ...inputs,
                    arn: arn("elasticloadbalancing", `loadbalancer/app/${physical}/${suffix}`),
                    dnsName: `${physical}-${parseInt(suffix, 16)}.${region}.elb.amazonaws.com`,
                    zoneId: `ZALB${region.replace(/-/g, "").toUpperCase()}`,
                },
            };
        case "aws:lb/targetGroup:TargetGroup":
            return { id: arn("elasticloadbalancing", `targetgroup/${physical}/${suffix}`), state: { ...inputs, arn: arn("elasticloadbalancing", `targetgroup/${physical}/${suffix}`) } };
        case "aws:lb/listener:Listener":
            return { id: arn("elasticloadbalancing", `listener/app/${physical}/${suffix}`), state: { ...inputs, arn: arn("elasticloadbalancing", `listener/app/${physical}/${suffix}`) } };
        case "aws:acm/certificate:Certificate": {
            const names = [inputs.domainName as string, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
            return {
                id: arn("acm", `certificate/${suffix}`),
                state: {
                    ...inputs,
                    arn: arn("acm", `certificate/${suffix}`),
                    domainValidationOptions: names.map(domainName => ({
                        domainName,
                        resourceRecordName: `_${createHash("sha256").update(domainName).digest("hex").slice(0, 12)}.${domainName}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${suffix}.acm-validations.aws.`,
                    })),
                },
            };
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            return { id: physical, state: { ...inputs } };
        case "aws:route53/record:Record":
            return { id: physical, state: { ...inputs, fqdn: String(inputs.name ?? "").replace(/\.$/, "") } };
        case "aws:secretsmanager/secret:Secret":
            return { id: arn("secretsmanager", `secret:${physical}`), state: { ...inputs, arn: arn("secretsmanager", `secret:${physical}`) } };
        case "aws:route53/zone:Zone":
            return { id: `Z${suffix.toUpperCase()}`, state: { ...inputs, zoneId: `Z${suffix.toUpperCase()}`, nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"] } };
        case "aws:sns/topic:Topic":
            return { id: arn("sns", physical), state: { ...inputs, arn: arn("sns", physical), name: physical } };
        case "tls:index/privateKey:PrivateKey":
            return {
                id: physical,
                state: {
                    ...inputs,
                    publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMock${suffix}PublicKeyForTests generated\n`,
                    privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nMockPrivateKey${suffix}\n-----END OPENSSH PRIVATE KEY-----\n`,
                },
            };
        case "aws:lambda/function:Function":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("lambda", `function:${physical}`), invokeArn: `arn:aws:apigateway:${region}:lambda:path/functions/${physical}` } };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("cloudwatch", `alarm:${physical}`) } };
        case "random:index/randomString:RandomString":
            return { id: physical, state: { ...inputs, result: suffix.padEnd(Number(inputs.length ?? 7), "0").slice(0, Number(inputs.length ?? 7)) } };
        case "aws:ec2/eip:Eip":
            return { id: `eipalloc-${suffix}`, state: { ...inputs, publicIp: `203.0.113.${parseInt(suffix.slice(0, 2), 16) % 254 + 1}`, allocationId: `eipalloc-${suffix}` } };
        case "random:index/randomPassword:RandomPassword":
            return { id: physical, state: { ...inputs, result: `MockPassword-${suffix}-Aa1!` } };
        default:
            return { id: `${physical}-id`, state: { ...inputs, arn: arn(type.split(":")[1]?.split("/")[0] ?? "mock", physical) } };
    }
}

/**
 * Kubernetes objects and Helm releases: `<namespace>/<name>` ids, a uid, and what the API server
 * or Helm reports once applied (a ClusterIP, a deployed release).
 */
function mockKubernetesState(type: string, inputs: Record<string, unknown>, suffix: string): { id: string; state: Record<string, unknown> } {
    if (type === "kubernetes:helm.sh/v3:Release") {
        const release = inputs.name as string;
        const namespace = (inputs.namespace as string | undefined) ?? "default";
        return {
            id: `${namespace}/${release}`,
            state: { ...inputs, status: { name: release, namespace, chart: inputs.chart, version: inputs.version, revision: 1, status: "deployed" } },
        };
    }
    const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const id = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : `${metadata.name}`;
    const state: Record<string, unknown> = { ...inputs, metadata: { ...metadata, uid: `00000000-0000-4000-8000-${suffix.padStart(12, "0")}` } };
    if (type === "kubernetes:core/v1:Service") {
        const spec = (inputs.spec ?? {}) as Record<string, unknown>;
        state.spec = { ...spec, clusterIP: `172.20.${parseInt(suffix.slice(0, 2), 16)}.${parseInt(suffix.slice(2, 4), 16) || 10}` };
    }
    return { id, state };
}

/** Azure resources: ARM ids, names (given or generated), and the endpoints programs read. */
function mockAzureState(type: string, name: string, inputs: Record<string, unknown>, suffix: string): { id: string; state: Record<string, unknown> } {
    const [, module, kind] = type.split(":");
    // The resource's own name input is the `<x>Name` whose <x> ends its kind: containerName for BlobContainer.
    const nameKey = Object.keys(inputs).find(key => key.endsWith("Name") && kind.toLowerCase().endsWith(key.slice(0, -4).toLowerCase()));
    const given = nameKey ? inputs[nameKey] : undefined;
    const generated = `${name.replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 14)}${suffix}`;
    const resourceName = typeof given === "string" ? given : generated;
    const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    const id = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/Microsoft.${module}/${kind}/${resourceName}`;
    const state: Record<string, unknown> = { ...inputs, name: resourceName };
    switch (kind) {
        case "ResourceGroup":
            return { id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${resourceName}`, state };
        case "StorageAccount":
            return {
                id,
                state: {
                    ...state,
                    primaryEndpoints: {
                        blob: `https://${resourceName}.blob.core.windows.net/`,
                        web: `https://${resourceName}.z12.web.core.windows.net/`,
                    },
                },
            };
        case "StorageAccountStaticWebsite":
            return { id, state: { ...state, containerName: "$web" } };
        case "NetworkInterface":
            return { id, state: { ...state, ipConfigurations: [{ privateIPAddress: `10.30.${parseInt(suffix.slice(0, 2), 16)}.${parseInt(suffix.slice(2, 4), 16) || 4}` }] } };
        case "UserAssignedIdentity":
            return { id, state: { ...state, principalId: `principal-${suffix}`, clientId: `client-${suffix}`, tenantId: MOCK_TENANT_ID } };
        case "VirtualMachine":
            return { id, state: { ...state, identity: { type: "SystemAssigned", principalId: `principal-${suffix}` } } };
        case "PublicIPAddress": {
            const label = (inputs.dnsSettings as { domainNameLabel?: string } | undefined)?.domainNameLabel;
            return {
                id,
                state: { ...state, ipAddress: `20.41.${parseInt(suffix.slice(0, 2), 16)}.${parseInt(suffix.slice(2, 4), 16)}`, dnsSettings: label ? { domainNameLabel: label, fqdn: `${label}.${inputs.location}.cloudapp.azure.com` } : undefined },
            };
        }
        case "Server":
            return { id, state: { ...state, fullyQualifiedDomainName: `${resourceName}.mysql.database.azure.com` } };
        case "Profile":
            return { id, state: { ...state, frontDoorId: `00000000-0000-4000-8000-${suffix.padStart(12, "0")}` } };
        case "AFDEndpoint":
            // Front Door appends a hash to the endpoint's name under z01.azurefd.net.
            return { id, state: { ...state, hostName: `${resourceName}-${suffix}${suffix}.z01.azurefd.net` } };
        case "AFDCustomDomain":
            return {
                id,
                state: { ...state, domainValidationState: "Pending", validationProperties: { validationToken: `mock-token-${suffix}`, expirationDate: "2026-12-09T00:00:00Z" } },
            };
        default:
            return { id, state };
    }
}

let invokeRecorder: ((token: string) => void) | undefined;

/**
 * Sets the function told every invoke token {@link mockCall} answers (undefined clears it): how
 * `permissions/derive.ts` learns which data sources a run reads.
 */
export function setInvokeRecorder(recorder: ((token: string) => void) | undefined): void {
    invokeRecorder = recorder;
}

/** Answers the data-source calls the program makes. */
export function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    invokeRecorder?.(token);
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`, userId: "AIDAMOCK", id: MOCK_ACCOUNT_ID };
        case "aws:ssm/getParameter:getParameter":
            // The public AMI parameters answer with an image id, as SSM does.
            return String(inputs.name).startsWith("/aws/service/ami-")
                ? { ...inputs, value: "ami-0123456789abcdef0", type: "String", arn: `arn:aws:ssm:${inputs.region ?? "ap-northeast-2"}::parameter${inputs.name}`, version: 1 }
                : inputs;
        case "azure-native:authorization:getClientConfig":
            return { tenantId: MOCK_TENANT_ID, subscriptionId: MOCK_SUBSCRIPTION_ID, clientId: "client", objectId: "object" };
        case "azure-native:storage:listStorageAccountServiceSAS":
            // Carries the permissions it was asked for, so tests can see which SAS went where.
            return { serviceSasToken: `sv=2024-11-04&sr=c&sp=${inputs.permissions}&se=${inputs.sharedAccessExpiryTime}&spr=${inputs.protocols}&sig=MockSig${String(inputs.canonicalizedResource).length}` };
        default:
            return inputs;
    }
}

/** Unwraps an Output in a test, secrets included. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise(resolve => pulumi.output(output).apply(value => {
        resolve(value as T);
        return value;
    }));
}
