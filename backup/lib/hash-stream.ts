import { createHash, Hash } from "node:crypto";
import { Transform, TransformCallback } from "node:stream";

/** A pass-through stream that counts bytes and computes their sha256 on the way. */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash("sha256");
  bytes = 0;
  private digest?: string;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** The hex sha256 of everything that passed; call after the stream ended. */
  sha256(): string {
    this.digest ??= this.hash.digest("hex");
    return this.digest;
  }
}
