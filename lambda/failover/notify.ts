import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { Notice } from "./message";
import { StepResult } from "./steps";

/** Publishes `notice` to the topic. Not idempotent by nature: a retried run notifies again. */
export async function publishNotice(sns: SNSClient, topicArn: string, notice: Notice): Promise<StepResult> {
    const response = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: notice.subject, Message: notice.message }));
    return { outcome: "done", detail: `published "${notice.subject}" to ${topicArn} (message ${response.MessageId ?? "without id"})` };
}
