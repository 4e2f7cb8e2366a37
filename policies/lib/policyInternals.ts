/**
 * Typed access to the parts of @pulumi/policy (pinned at 1.21.0) that the analyzer uses to hand
 * properties to policies but does not export from its index: the unknown-checking proxy, its
 * error, the unknown sentinels and the property deserializer.
 */
export interface PolicyProxyModule {
    /** Wraps properties so that reading a value unknown at preview throws UnknownValueError. */
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (sentinel: string, path: string[]) => Error;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
}

/** The analyzer's deserializer: takes a protobuf Struct (anything with `toJavaScript()`). */
export interface PolicyDeserializeModule {
    deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean): Record<string, any>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const policyProxy = require("@pulumi/policy/proxy") as PolicyProxyModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const policyDeserialize = require("@pulumi/policy/deserialize") as PolicyDeserializeModule;
