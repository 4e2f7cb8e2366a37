/** Exponential backoff with full jitter, reset after a success. */
export class Backoff {
  private failures = 0;

  constructor(private readonly minMs: number, private readonly maxMs: number) {}

  /** Delay before the next attempt after one more failure. */
  nextDelayMs(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.failures);
    this.failures += 1;
    return Math.max(this.minMs, Math.round(Math.random() * ceiling));
  }

  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
