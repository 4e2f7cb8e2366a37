import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { LAG_METRIC_NAME } from "../backup/agent/cloudwatch";
import { BACKUP_METRIC_NAMESPACE } from "../components/aws/backupInstance";

/** The agent's recent shipping lag, or why it is unknown. */
export type BackupLag = { readonly maxSeconds: number; readonly since: string } | { readonly unknown: string };

/**
 * Reads the backup agent's lag metric (the worst value of the last `minutes`) from CloudWatch
 * in the primary region. Never throws: a status command must work while AWS is half down.
 */
export async function readBackupLag(region: string, stream: string, minutes = 10, client = new CloudWatchClient({ region })): Promise<BackupLag> {
    const end = new Date();
    const start = new Date(end.getTime() - minutes * 60_000);
    try {
        const result = await client.send(new GetMetricStatisticsCommand({
            Namespace: BACKUP_METRIC_NAMESPACE,
            MetricName: LAG_METRIC_NAME,
            Dimensions: [{ Name: "Stream", Value: stream }],
            StartTime: start,
            EndTime: end,
            Period: 60,
            Statistics: ["Maximum"],
        }));
        const points = (result.Datapoints ?? []).map(p => p.Maximum).filter((v): v is number => typeof v === "number");
        return points.length > 0
            ? { maxSeconds: Math.max(...points), since: start.toISOString() }
            : { unknown: `no ${LAG_METRIC_NAME} data in the last ${minutes} minutes: is the agent running?` };
    } catch (error) {
        return { unknown: (error as Error).message };
    }
}
