import { ContainerClient } from "@azure/storage-blob";
import { storageErrorCode } from "./blob-client";
import { BlobLayout } from "./blob-layout";

/**
 * Writes a full backup's manifest, the blob that makes the backup complete, exactly once: after
 * `assertWriter` (the writer lease) and only if no manifest exists. A 409 means an earlier attempt
 * of this same backup id already wrote it, which is success.
 */
export async function writeManifestOnce(container: ContainerClient, layout: BlobLayout, backupId: string, manifest: object, assertWriter?: () => void): Promise<void> {
  const body = JSON.stringify(manifest, null, 2);
  assertWriter?.();
  try {
    await container.getBlockBlobClient(layout.fullManifest(backupId)).upload(body, Buffer.byteLength(body), {
      conditions: { ifNoneMatch: "*" },
      blobHTTPHeaders: { blobContentType: "application/json" },
    });
  } catch (error) {
    if (storageErrorCode(error).status !== 409) throw error;
  }
}
