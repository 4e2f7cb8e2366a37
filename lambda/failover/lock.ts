import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";

/** Partition key value of the one lock item: each stack's table serves one failover function. */
export const FAILOVER_LOCK_ID = "auto-failover";

/** Where the lock lives and how long a run may hold it. */
export interface LockSettings {
    readonly lockTableName: string;
    readonly lockSeconds: number;
}

/** A lock this run holds: its owner token and when it lapses (epoch seconds, the table's TTL attribute). */
export interface HeldLock {
    readonly ownerId: string;
    readonly expiresAt: number;
}

/** Whether this run may act, and if not, why. */
export type LockOutcome =
    | { readonly acquired: true; readonly lock: HeldLock }
    | { readonly acquired: false; readonly reason: string };

// Names through placeholders: no attribute can ever collide with a DynamoDB reserved word.
const NAMES = { "#lockId": "lockId", "#ownerId": "ownerId", "#expiresAt": "expiresAt" };

/**
 * Takes the one-run-at-a-time lock with a conditional write: it succeeds only when no lock item
 * exists or the existing one has expired (a crashed run's), so of two concurrent runs exactly one
 * wins. DynamoDB's TTL deletes expired items only eventually, hence the explicit expiry check.
 */
export async function acquireLock(dynamodb: DynamoDBClient, settings: LockSettings, ownerId: string, nowMs: number, eventId?: string): Promise<LockOutcome> {
    const now = Math.floor(nowMs / 1000);
    const expiresAt = now + settings.lockSeconds;
    try {
        await dynamodb.send(new PutItemCommand({
            TableName: settings.lockTableName,
            Item: {
                lockId: { S: FAILOVER_LOCK_ID },
                ownerId: { S: ownerId },
                expiresAt: { N: String(expiresAt) },
                acquiredAt: { S: new Date(nowMs).toISOString() },
                ...(eventId ? { eventId: { S: eventId } } : {}),
            },
            ConditionExpression: "attribute_not_exists(#lockId) OR #expiresAt < :now",
            ExpressionAttributeNames: { "#lockId": NAMES["#lockId"], "#expiresAt": NAMES["#expiresAt"] },
            ExpressionAttributeValues: { ":now": { N: String(now) } },
        }));
    } catch (error) {
        if (isConditionalCheckFailed(error)) {
            return {
                acquired: false,
                reason: `another run holds the failover lock in table "${settings.lockTableName}" ` +
                    `(a lock lapses ${settings.lockSeconds} s after it was taken if its run never releases it)`,
            };
        }
        throw error;
    }
    return { acquired: true, lock: { ownerId, expiresAt } };
}

/**
 * Releases the lock if this run still owns it. `lost` means the item is gone or belongs to another
 * run (this run outlived its lock); nothing is deleted then.
 */
export async function releaseLock(dynamodb: DynamoDBClient, settings: LockSettings, lock: HeldLock): Promise<"released" | "lost"> {
    try {
        await dynamodb.send(new DeleteItemCommand({
            TableName: settings.lockTableName,
            Key: { lockId: { S: FAILOVER_LOCK_ID } },
            ConditionExpression: "#ownerId = :owner",
            ExpressionAttributeNames: { "#ownerId": NAMES["#ownerId"] },
            ExpressionAttributeValues: { ":owner": { S: lock.ownerId } },
        }));
    } catch (error) {
        if (isConditionalCheckFailed(error)) {
            return "lost";
        }
        throw error;
    }
    return "released";
}

function isConditionalCheckFailed(error: unknown): boolean {
    return (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
}
