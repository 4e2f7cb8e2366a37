import * as pulumi from "@pulumi/pulumi";
import { DrConfig, Strategy } from "../config/types";
import { CommonOutputs } from "./outputs";
import { buildPilotLight } from "./pilotLight";
import { buildWarmStandby } from "./warmStandby";

export { recoveryObjectives, RecoveryObjectives, STRATEGY_TARGETS } from "./objectives";
export { CommonOutputs } from "./outputs";
export { WarmStandbyOutputs } from "./warmStandby";
export { PilotLightOutputs } from "./pilotLight";

const BUILDERS: Record<Strategy, (config: DrConfig, accountId: pulumi.Output<string>) => CommonOutputs> = {
    "warm-standby": buildWarmStandby,
    "pilot-light": buildPilotLight,
};

/** Declares the stack's resources for its strategy and returns its outputs. */
export function buildStrategy(config: DrConfig, accountId: pulumi.Output<string>): CommonOutputs {
    return BUILDERS[config.strategy](config, accountId);
}
