/**
 * Types and invokes that call no API the deployer's IAM policy or Azure role governs: local
 * providers (random, tls), the engine's own resources, component resources, and the
 * Kubernetes provider, which authenticates to the cluster itself.
 */

/** Exact resource types that need no cloud permission, with why. */
export const NO_CLOUD_TYPES: Readonly<Record<string, string>> = {
    "pulumi:pulumi:Stack": "the stack itself",
    "pulumi:pulumi:StackReference": "reads another stack's outputs from the Pulumi backend",
    "random:index/randomId:RandomId": "random: computed locally",
    "random:index/randomInteger:RandomInteger": "random: computed locally",
    "random:index/randomPassword:RandomPassword": "random: computed locally",
    "random:index/randomPet:RandomPet": "random: computed locally",
    "random:index/randomShuffle:RandomShuffle": "random: computed locally",
    "random:index/randomString:RandomString": "random: computed locally",
    "random:index/randomUuid:RandomUuid": "random: computed locally",
    "tls:index/privateKey:PrivateKey": "tls: computed locally",
    "tls:index/selfSignedCert:SelfSignedCert": "tls: computed locally",
    "tls:index/certRequest:CertRequest": "tls: computed locally",
    "tls:index/locallySignedCert:LocallySignedCert": "tls: computed locally",
};

/** Exact invokes that need no cloud permission, with why. */
export const NO_CLOUD_INVOKES: Readonly<Record<string, string>> = {
    "tls:index/getCertificate:getCertificate": "tls: fetches a public TLS certificate (the OIDC issuer's), no cloud credentials",
    "tls:index/getPublicKey:getPublicKey": "tls: computed locally",
    "azure-native:authorization:getClientConfig": "reads the signed-in identity from the provider's own credentials",
};

/** Why a type needs no cloud permission, or undefined when it does (or is unknown). */
export function noCloudReason(type: string, custom: boolean): string | undefined {
    if (NO_CLOUD_TYPES[type] !== undefined) {
        return NO_CLOUD_TYPES[type];
    }
    if (!custom) {
        return "component resource: only groups its children";
    }
    if (type.startsWith("pulumi:providers:")) {
        return "provider configuration";
    }
    if (type.startsWith("kubernetes:")) {
        return "Kubernetes API: needs cluster access (an EKS access entry from clusterAdminArns), not IAM actions";
    }
    return undefined;
}

/** Why an invoke needs no cloud permission, or undefined when it does (or is unknown). */
export function noCloudInvokeReason(token: string): string | undefined {
    if (NO_CLOUD_INVOKES[token] !== undefined) {
        return NO_CLOUD_INVOKES[token];
    }
    if (token.startsWith("kubernetes:") || token.startsWith("pulumi:")) {
        return "computed by the engine or the Kubernetes provider locally";
    }
    return undefined;
}
