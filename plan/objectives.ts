import { DrConfig } from "../config/types";
import { RecoveryObjectives, STRATEGY_TARGETS } from "../strategies/objectives";
import { DeclaredResource } from "./runOffline";
import { ALARM_EVALUATION_PERIODS, ALARM_PERIOD_SECONDS, ALIAS_TARGET_TTL_SECONDS } from "../components/aws/failoverDns";

/** A span of time in minutes. */
export interface MinuteRange {
    readonly min: number;
    readonly max: number;
}

/** One step on the way back to service, with how long it takes and why we think so. */
export interface RecoveryStep {
    readonly step: string;
    readonly minutes: MinuteRange;
    readonly basis: string;
    /** Runs alongside the step before it, so only the longer of the two counts. */
    readonly concurrentWithPrevious?: boolean;
}

/** How much data one store can lose, and why. */
export interface DataLoss {
    readonly store: string;
    /** Seconds of writes at risk; `null` max means no bound. */
    readonly seconds: { readonly min: number; readonly max: number | null };
    readonly basis: string;
}

/** What the declared resources imply for recovery, next to the strategy's targets. */
export interface ImpliedObjectives {
    readonly targets: Omit<RecoveryObjectives, "detectionSeconds">;
    /** Worst-case seconds from failure to resolvers answering with the secondary. */
    readonly detectionSeconds?: number;
    readonly detectionFormula?: string;
    readonly path: RecoveryStep[];
    readonly rtoMinutes: MinuteRange;
    readonly dataLoss: DataLoss[];
    /** True when the path's worst case fits the target's worst case and every store's loss fits the RPO target. */
    readonly withinTargets: boolean;
}

/** The backup agent's default binlog ship interval (backup/README.md): events leave at least this often. */
const AGENT_SHIP_INTERVAL_SECONDS = 0.2;

/** Derives recovery time and data loss from what the stack declares and the seeds' step durations. */
export function impliedObjectives(config: DrConfig, resources: DeclaredResource[]): ImpliedObjectives {
    const targets = STRATEGY_TARGETS[config.strategy];
    const check = resources.find(r => r.type === "aws:route53/healthCheck:HealthCheck" && r.name.endsWith("primary-health"));
    const record = resources.find(r => r.type === "aws:route53/record:Record" && r.inputs.failoverRoutingPolicies?.[0]?.type === "PRIMARY");
    let detectionSeconds: number | undefined;
    let detectionFormula: string | undefined;
    const path: RecoveryStep[] = [];
    if (check && record) {
        const interval = Number(check.inputs.requestInterval);
        const threshold = Number(check.inputs.failureThreshold);
        // An alias record has no TTL of its own: Route 53 answers with the load balancer's.
        const ttl = (record.inputs.aliases ?? []).length > 0 ? ALIAS_TARGET_TTL_SECONDS : Number(record.inputs.ttl);
        detectionSeconds = interval * threshold + ttl;
        detectionFormula = `${interval} s x ${threshold} failures + ${ttl} s TTL`;
        path.push({ step: "Route 53 detects the failure and resolvers move to the secondary", minutes: { min: (interval * threshold) / 60, max: detectionSeconds / 60 }, basis: detectionFormula });
    }
    const dataLoss: DataLoss[] = [];
    if (config.strategy === "warm-standby") {
        path.push(
            config.enableAutoFailover
                ? {
                    step: "the alarm fires; the failover function confirms with Route 53, then promotes",
                    minutes: { min: (ALARM_EVALUATION_PERIODS * ALARM_PERIOD_SECONDS) / 60, max: (ALARM_EVALUATION_PERIODS * ALARM_PERIOD_SECONDS) / 60 + 1 },
                    basis: `${ALARM_EVALUATION_PERIODS} x ${ALARM_PERIOD_SECONDS} s alarm periods (missing data never breaches), then one Route 53 status call`,
                }
                : { step: "decide and set failover=true, pulumi up", minutes: { min: 2, max: 5 }, basis: "operator; the runbook command shortens it" },
            { step: "promote the Tokyo read replica", minutes: { min: 5, max: 10 }, basis: "seed 000" },
            { step: `grow Tokyo nodes to ${config.kubernetes.failoverNodeCount}`, minutes: { min: 3, max: 5 }, basis: "EC2 launch and node join", concurrentWithPrevious: true },
            { step: "point the Tokyo pods at the promoted database and restart them", minutes: { min: 2, max: 3 }, basis: "seed 000" },
        );
        dataLoss.push({ store: "RDS MySQL (cross-region read replica)", seconds: { min: 1, max: 5 }, basis: "asynchronous replica lag (seed 000)" });
        dataLoss.push({ store: "DynamoDB global tables", seconds: { min: 1, max: 5 }, basis: "asynchronous replication, typically about a second; no AWS bound" });
        const replication = resources.find(r => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        if (replication) {
            const rtc = replication.inputs.rules?.[0]?.destination?.replicationTime?.status === "Enabled";
            dataLoss.push({
                store: "S3 buckets (cross-region replication)",
                seconds: rtc ? { min: 1, max: 15 * 60 } : { min: 1, max: null },
                basis: rtc ? "Replication Time Control: 99.99% of objects within 15 minutes" : "CRR without Replication Time Control has no time bound",
            });
        }
    } else {
        path.push(
            { step: "confirm the outage, set emergency=true, pulumi up", minutes: { min: 15, max: 30 }, basis: "seed 001: T+15 maintenance page, T+30 start" },
            { step: "Azure MySQL, VMs and Application Gateway created", minutes: { min: 15, max: 45 }, basis: "flexible server and gateway creation times" },
            { step: "app VM restores the newest dump plus shipped binlogs", minutes: { min: 5, max: 60 }, basis: "grows with database size; `npm run drill` measures it" },
            { step: "verify the restore, set serveApp=true, pulumi up", minutes: { min: 10, max: 30 }, basis: "operator; seed 001 puts the switch at T+120" },
        );
        // The agent unit is installed by the backup instance's SSM document (older stacks: its user data).
        const agent = resources.some(r => (r.type === "aws:ec2/instance:Instance" && String(r.inputs.userData ?? "").includes("mysql-dr-agent.service"))
            || (r.type === "aws:ssm/document:Document" && String(r.inputs.content ?? "").includes("mysql-dr-agent.service")));
        dataLoss.push(agent
            ? { store: "RDS MySQL (binlogs streamed to Azure Blob)", seconds: { min: AGENT_SHIP_INTERVAL_SECONDS, max: 3 }, basis: "binlog events shipped as they arrive; the drill measures the loss (target <= 1 s median, never above 3 s)" }
            : { store: "RDS MySQL", seconds: { min: 0, max: null }, basis: "no backup agent declared: nothing leaves Seoul" });
        dataLoss.push({ store: "S3, DynamoDB (not copied to Azure)", seconds: { min: 0, max: null }, basis: "the pilot light protects the database only" });
    }
    const rtoMinutes = totalMinutes(path);
    const rpoMax = targets.rpoSeconds.max;
    const databaseWithin = dataLoss.length > 0 && dataLoss[0].seconds.max !== null && dataLoss[0].seconds.max <= rpoMax;
    return {
        targets,
        detectionSeconds,
        detectionFormula,
        path,
        rtoMinutes,
        dataLoss,
        withinTargets: rtoMinutes.max <= targets.rtoMinutes.max && databaseWithin,
    };
}

/** Adds up the path, counting concurrent steps once (the longer of the pair). */
export function totalMinutes(path: RecoveryStep[]): MinuteRange {
    let min = 0;
    let max = 0;
    path.forEach((step, index) => {
        const previous = path[index - 1];
        if (step.concurrentWithPrevious && previous) {
            min += Math.max(0, step.minutes.min - previous.minutes.min);
            max += Math.max(0, step.minutes.max - previous.minutes.max);
        } else {
            min += step.minutes.min;
            max += step.minutes.max;
        }
    });
    return { min: round(min), max: round(max) };
}

function round(minutes: number): number {
    return Math.round(minutes * 10) / 10;
}
