import { Strategy } from "../config/types";

/** A range of minutes or seconds, as the seeds state their targets. */
export interface Range {
    readonly min: number;
    readonly max: number;
}

/** What a strategy promises, and what this stack's settings make of it. */
export interface RecoveryObjectives {
    readonly strategy: Strategy;
    /** Recovery time objective: outage length the strategy is built for. */
    readonly rtoMinutes: Range;
    /** Recovery point objective: newest writes that may be lost. */
    readonly rpoSeconds: Range;
    /** Yearly availability the seed targets. */
    readonly availabilityTarget?: number;
    /** Worst case from the primary's failure to resolvers serving the secondary (probe interval x threshold + TTL). */
    readonly detectionSeconds?: number;
    /** Where the targets come from. */
    readonly source: string;
}

/**
 * The seeds' targets per strategy. Warm standby (seed 000): RTO 11.5-20.5 min (detection, replica
 * promotion 5-10 min, node scale-out, config switch), RPO 1-5 s (asynchronous replica lag).
 * Pilot light (seed 001): RTO 2-4 h (database and VMs built on demand), RPO 5 min (dump interval).
 */
export const STRATEGY_TARGETS: Readonly<Record<Strategy, Omit<RecoveryObjectives, "detectionSeconds">>> = {
    "warm-standby": {
        strategy: "warm-standby",
        rtoMinutes: { min: 11.5, max: 20.5 },
        rpoSeconds: { min: 1, max: 5 },
        availabilityTarget: 0.999,
        source: "seed 000 (PortForge warm standby, Seoul to Tokyo)",
    },
    "pilot-light": {
        strategy: "pilot-light",
        rtoMinutes: { min: 120, max: 240 },
        rpoSeconds: { min: 0, max: 300 },
        source: "seed 001 (PetClinic pilot light, AWS to Azure)",
    },
};

/** The strategy's targets with this stack's detection time filled in. */
export function recoveryObjectives(strategy: Strategy, detectionSeconds?: number): RecoveryObjectives {
    return { ...STRATEGY_TARGETS[strategy], detectionSeconds };
}
