import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { BlobLeaseClient, ContainerClient } from "@azure/storage-blob";
import { storageErrorCode } from "../lib/blob-client";
import { BlobLayout, timeOrderedId } from "../lib/blob-layout";

/** Lease length when DR_LEASE_SECONDS is unset; Azure allows 15 to 60 seconds (or infinite, which a dead agent would never give up). */
export const DEFAULT_LEASE_SECONDS = 60;
/** Stop writing this long before the lease could have expired without a confirmed renewal. */
const FENCE_MARGIN_MS = 5_000;

/** How the agent takes the writer lease. */
export interface LeaseOptions {
  /** Lease length in seconds, 15 to 60. Default 60. */
  seconds: number;
  /** Wait for a held lease to expire (its holder is gone) instead of refusing at once. Default false. */
  waitForExpiry: boolean;
}

/** Reads `DR_LEASE_SECONDS` and `DR_TAKE_OVER=wait` from the environment. */
export function leaseOptionsFromEnvironment(env: NodeJS.ProcessEnv): LeaseOptions {
  const raw = env.DR_LEASE_SECONDS;
  const seconds = raw === undefined || raw === "" ? DEFAULT_LEASE_SECONDS : Number(raw);
  if (!Number.isInteger(seconds) || seconds < 15 || seconds > 60) {
    throw new Error(`DR_LEASE_SECONDS: ${JSON.stringify(raw)} is not a whole number of seconds from 15 to 60 (Azure's blob lease range); unset it for ${DEFAULT_LEASE_SECONDS}`);
  }
  const takeOver = env.DR_TAKE_OVER ?? "";
  if (!["", "wait"].includes(takeOver)) throw new Error(`DR_TAKE_OVER: ${JSON.stringify(takeOver)} is not valid; set it to "wait" or leave it unset`);
  return { seconds, waitForExpiry: takeOver === "wait" };
}

/** Raised when another agent holds the prefix's writer lease. */
export class LeaseHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseHeldError";
  }
}

/** Raised when this agent may no longer write: its lease was taken or could not be renewed in time. */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FencedError";
  }
}

/**
 * One writer per blob prefix: a blob lease on `<prefix>agent.lease`, taken at start and renewed
 * every third of its length. The lease blob is created once and never rewritten (a lease
 * changes no content), and each acquisition writes a new create-once holder record, so both
 * work under WORM and with the agent's create/add/write SAS.
 */
export class WriterLease {
  private readonly client: BlobLeaseClient;
  private confirmedAt = 0;
  private lost?: string;

  private constructor(
    private readonly container: ContainerClient,
    private readonly layout: BlobLayout,
    private readonly options: LeaseOptions,
    private readonly stateDir: string,
    leaseId: string,
  ) {
    this.client = container.getBlobClient(layout.writerLease()).getBlobLeaseClient(leaseId);
  }

  /**
   * Takes the lease, or throws LeaseHeldError naming the lease and how to take over. The lease
   * id is kept in the state directory so the same agent restarting takes its own lease back at once.
   */
  static async acquire(container: ContainerClient, layout: BlobLayout, options: LeaseOptions, stateDir: string, signal: AbortSignal): Promise<WriterLease> {
    const idFile = join(stateDir, "lease-id");
    let leaseId = (await fs.readFile(idFile, "utf8").catch(() => "")).trim();
    if (!/^[0-9a-f-]{36}$/.test(leaseId)) {
      leaseId = randomUUID();
      await fs.writeFile(idFile, `${leaseId}\n`, { mode: 0o600 });
    }
    const lease = new WriterLease(container, layout, options, stateDir, leaseId);
    await lease.createLeaseBlob();
    const deadline = Date.now() + (options.seconds + 5) * 1000;
    for (;;) {
      try {
        await lease.client.acquireLease(options.seconds);
        lease.confirmedAt = Date.now();
        break;
      } catch (error) {
        const { status } = storageErrorCode(error);
        if (status !== 409) throw error;
        if (!options.waitForExpiry || Date.now() > deadline || signal.aborted) throw new LeaseHeldError(lease.heldMessage());
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    await lease.writeHolderRecord();
    return lease;
  }

  /** Renews the lease; a refusal means another agent took it: from then on this one is fenced. */
  async renew(): Promise<void> {
    if (this.lost) throw new FencedError(this.lost);
    try {
      await this.client.renewLease();
      this.confirmedAt = Date.now();
    } catch (error) {
      const { status, code } = storageErrorCode(error);
      if (status === 409 || status === 412) {
        this.lost = `lost the writer lease on ${this.layout.writerLease()} (${code ?? status}): another agent took over this prefix; this agent stopped writing`;
        throw new FencedError(this.lost);
      }
      throw error;
    }
  }

  /** Throws unless the lease is known to be held now: call before every write to the container. */
  assertHeld(): void {
    if (this.lost) throw new FencedError(this.lost);
    const age = Date.now() - this.confirmedAt;
    if (age > this.options.seconds * 1000 - FENCE_MARGIN_MS) {
      throw new Error(`writer lease not renewed for ${Math.round(age / 1000)} s (it lasts ${this.options.seconds} s); not writing until it is`);
    }
  }

  /** The reason this agent was fenced, if it was. */
  lostReason(): string | undefined {
    return this.lost;
  }

  /** Milliseconds between renewals. */
  renewIntervalMs(): number {
    return (this.options.seconds * 1000) / 3;
  }

  /** Gives the lease up on a clean stop so the next agent need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.lost) return;
    await this.client.releaseLease().catch(() => undefined);
  }

  private async createLeaseBlob(): Promise<void> {
    try {
      await this.container.getBlockBlobClient(this.layout.writerLease()).upload("", 0, { conditions: { ifNoneMatch: "*" } });
    } catch (error) {
      // 409: it exists (created once, by the first agent); 412: it exists and is leased.
      const { status } = storageErrorCode(error);
      if (status !== 409 && status !== 412) throw error;
    }
  }

  private async writeHolderRecord(): Promise<void> {
    const body = JSON.stringify({ host: hostname(), stateDir: this.stateDir, pid: process.pid, since: new Date().toISOString(), leaseSeconds: this.options.seconds }, null, 2);
    await this.container
      .getBlockBlobClient(this.layout.writerHolder(timeOrderedId()))
      .upload(body, Buffer.byteLength(body), { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: "application/json" } })
      .catch(() => undefined); // informational only; the lease is what fences
  }

  private heldMessage(): string {
    const url = this.container.url.split("?")[0];
    return [
      `another backup agent holds the writer lease on ${url}/${this.layout.writerLease()}; only one agent may write under prefix "${this.layout.prefix}" at a time (a second one would start a competing binlog chain).`,
      `This agent: host ${hostname()}, state dir ${this.stateDir}.`,
      `The holder's host, state dir and start time are in the newest blob under ${this.layout.writerHolderRoot()} (this agent's SAS cannot read; list it with the restore SAS).`,
      `If that agent is stopped or gone, its lease expires at most ${this.options.seconds} s after its last renewal: start this agent again then, or set DR_TAKE_OVER=wait to wait for it.`,
      `To move the writer deliberately, stop the other agent first (a clean stop releases the lease at once).`,
    ].join(" ");
  }
}
