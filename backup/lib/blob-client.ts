import { AnonymousCredential, ContainerClient, StorageRetryPolicyType } from "@azure/storage-blob";
import { BlobSettings } from "../config/shared";

/**
 * Creates the official Azure Blob container client from a container URL and a SAS.
 * Retries are kept short because the callers have their own loops: the agent must notice an
 * outage quickly and keep its spool, not hang inside one request.
 */
export function createContainerClient(settings: BlobSettings, options: { maxTries?: number; tryTimeoutMs?: number } = {}): ContainerClient {
  return new ContainerClient(`${settings.containerUrl}?${settings.sas}`, new AnonymousCredential(), {
    retryOptions: {
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      maxTries: options.maxTries ?? 3,
      tryTimeoutInMs: options.tryTimeoutMs ?? 30_000,
      retryDelayInMs: 200,
      maxRetryDelayInMs: 2_000,
    },
  });
}

/** The HTTP status and service error code of a failed storage call, when there is one. */
export function storageErrorCode(error: unknown): { status?: number; code?: string } {
  const details = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
  return { status: details.statusCode, code: details.details?.errorCode ?? details.code };
}
