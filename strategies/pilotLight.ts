import * as pulumi from "@pulumi/pulumi";
import { DrConfig } from "../config/types";
import { recoveryObjectives } from "./objectives";
import { CommonOutputs, primaryOutputs } from "./outputs";
import { buildPrimarySite } from "./primarySite";

/**
 * The pilot-light stack's AWS side: the same primary as warm standby, with no second AWS region.
 * The Azure side (storage, backups, the emergency site) is built on top of this.
 */
export function buildPilotLight(config: DrConfig, accountId: pulumi.Output<string>): CommonOutputs {
    const primary = buildPrimarySite(config, accountId);
    return primaryOutputs(config, primary, primary.region, recoveryObjectives("pilot-light"));
}
