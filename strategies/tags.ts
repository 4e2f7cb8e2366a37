import { DrConfig } from "../config/types";
import { PROJECT } from "../config/defaults";

/** Where a resource sits in the DR design; every resource is tagged with it. */
export type SiteRole = "primary" | "standby" | "global";

/** The stack's tags plus project, strategy and site role, so consoles and bills can be filtered by them. */
export function siteTags(config: DrConfig, role: SiteRole): Record<string, string> {
    return { ...config.tags, "dr:project": PROJECT, "dr:strategy": config.strategy, "dr:site": role };
}
