import { EnforcementLevel } from "@pulumi/policy";

/** The pack's name, as `pulumi preview` prints it beside each violation. */
export const PACK_NAME = "multicloud-dr";

/** The pack's version: the one in policies/package.json, which `new PolicyPack` also reads. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACK_VERSION: string = (require("./package.json") as { version: string }).version;

/**
 * Level for a policy that sets none. Every policy in this pack sets its own, so this only matters
 * for policies added later; it is the SDK's own default.
 */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";
