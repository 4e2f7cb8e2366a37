import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchSettings } from "../config/agent-config";

/** Name of the metric the DR alarm watches. */
export const LAG_METRIC_NAME = "BinlogShipLagSeconds";

/** Publishes the shipping lag as a CloudWatch metric (credentials from the instance role). */
export class LagPublisher {
  private readonly client: CloudWatchClient;

  constructor(private readonly settings: CloudWatchSettings) {
    this.client = new CloudWatchClient({ region: settings.region, endpoint: settings.endpoint, maxAttempts: 2 });
  }

  async publish(lagSeconds: number): Promise<void> {
    await this.client.send(
      new PutMetricDataCommand({
        Namespace: this.settings.namespace,
        MetricData: [
          {
            MetricName: LAG_METRIC_NAME,
            Dimensions: [{ Name: "Stream", Value: this.settings.stream }],
            Unit: "Seconds",
            Value: lagSeconds,
            Timestamp: new Date(),
          },
        ],
      }),
    );
  }

  close(): void {
    this.client.destroy();
  }
}
