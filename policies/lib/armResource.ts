/** The generic ARM resource type: any resource at any API version (`resources.Resource`). */
export const GENERIC_ARM_RESOURCE = "azure-native:resources:Resource";

/** Typed tokens that generic resources of a provider namespace and type stand for. */
const TYPED_EQUIVALENTS: Readonly<Record<string, string>> = {
    "Microsoft.DBforMySQL/flexibleServers": "azure-native:dbformysql:Server",
};

/**
 * What a resource is for the checks written against typed azure-native resources: a generic
 * `resources.Resource` (used where the typed one's API version lacks a feature, e.g. MySQL 8.4)
 * becomes its typed equivalent, with `properties` lifted to the top level as the typed resource
 * has them. Any other resource is returned as it is.
 */
export function asTypedResource(type: string, props: Record<string, any>): { type: string; props: Record<string, any> } {
    if (type !== GENERIC_ARM_RESOURCE) {
        return { type, props };
    }
    const typed = TYPED_EQUIVALENTS[`${props.resourceProviderNamespace}/${props.resourceType}`];
    if (typed === undefined) {
        return { type, props };
    }
    const { properties, resourceProviderNamespace: _ns, resourceType: _type, apiVersion: _version, parentResourcePath: _parent, ...envelope } = props;
    return { type: typed, props: { ...(properties ?? {}), ...envelope } };
}
