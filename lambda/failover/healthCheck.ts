import { GetHealthCheckStatusCommand, HealthCheckObservation, Route53Client } from "@aws-sdk/client-route-53";

/**
 * Route 53 considers an endpoint healthy while more than this percentage of its checkers report
 * it healthy, and unhealthy at or below it. The function uses the same line, so it promotes
 * only when DNS has also stopped sending users to the primary.
 */
export const ROUTE53_HEALTHY_PERCENT = 18;
/** How many failing checkers a notice quotes. */
export const QUOTED_FAILURES = 3;

/** What Route 53's checkers say about the primary, and whether that confirms the outage. */
export interface HealthVerdict {
    /** True when at least one checker reported and at most 18% of them report anything but Failure. */
    readonly down: boolean;
    readonly checkers: number;
    readonly failing: number;
    readonly succeeding: number;
    /** e.g. `15 of 16 checkers report Failure, 1 Success`. */
    readonly detail: string;
    /** Up to {@link QUOTED_FAILURES} failing checkers as `<region> <ip>: <status>`. */
    readonly failures: readonly string[];
}

/**
 * The rule: count the checkers whose `StatusReport.Status` starts with "Failure"; the primary is
 * confirmed down when at least one checker reported and the others (Success, or anything Route 53
 * may add later) are at most {@link ROUTE53_HEALTHY_PERCENT}% of all. An unrecognised status
 * never counts towards a failover.
 */
export function judgeObservations(observations: readonly HealthCheckObservation[]): HealthVerdict {
    const status = (o: HealthCheckObservation) => o.StatusReport?.Status ?? "";
    const failingObservations = observations.filter(o => status(o).startsWith("Failure"));
    const checkers = observations.length;
    const failing = failingObservations.length;
    const succeeding = observations.filter(o => status(o).startsWith("Success")).length;
    const other = checkers - failing - succeeding;
    const detail = checkers === 0
        ? "no checker reported a status"
        : `${failing} of ${checkers} checkers report Failure, ${succeeding} Success${other > 0 ? `, ${other} neither` : ""}`;
    return {
        down: checkers > 0 && (checkers - failing) * 100 <= ROUTE53_HEALTHY_PERCENT * checkers,
        checkers,
        failing,
        succeeding,
        detail,
        failures: failingObservations.slice(0, QUOTED_FAILURES).map(o => `${o.Region ?? "?"} ${o.IPAddress ?? "?"}: ${status(o)}`),
    };
}

/** Reads the health check's current status from every Route 53 checker and judges it. */
export async function confirmPrimaryDown(route53: Route53Client, healthCheckId: string): Promise<HealthVerdict> {
    const response = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }));
    return judgeObservations(response.HealthCheckObservations ?? []);
}
