import { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/** A resource validation for one type token, as `validateResourceOfType` builds for an SDK class. */
export type TypedCheck<P> = (props: P, args: ResourceValidationArgs, reportViolation: ReportViolation) => void | Promise<void>;

/**
 * The SDK-free equivalent of `validateResourceOfType(SomeClass, check)`: runs `check` with typed
 * props for resources of `type` and declares the policy not applicable to every other type, with
 * the same reason text. The type is attached as `__pulumiType`, so the analyzer can skip other
 * types without calling the function (its fast path), exactly as for SDK classes. The pack does
 * not depend on the provider SDKs: props are typed by the small interfaces in `lib/props.ts`.
 */
export function resourceOfType<P>(type: string, check: TypedCheck<P>): ResourceValidation {
    const validation: ResourceValidation & { __pulumiType?: string } = (args, reportViolation) => {
        if (args.type !== type) {
            args.notApplicable(`Policy only applies to resources of type '${type}'`);
        }
        return check(args.props as P, args, reportViolation);
    };
    validation.__pulumiType = type;
    return validation;
}

/**
 * A validation for several types that share one check: not applicable to other types, with a
 * reason that lists them. (The analyzer's fast path only knows single types.)
 */
export function resourceOfTypes<P>(types: readonly string[], check: TypedCheck<P>): ResourceValidation {
    return (args, reportViolation) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of types ${types.map(t => `'${t}'`).join(", ")}`);
        }
        return check(args.props as P, args, reportViolation);
    };
}

/** The stack's resources of the given types. */
export function stackResourcesOfType(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter(resource => types.includes(resource.type));
}
