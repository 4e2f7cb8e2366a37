import { ChildProcess, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { BlobSettings } from "../config/shared";
import { freePort, waitForPort } from "./ports";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
/** Azurite's well-known development key. */
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * A real Azurite blob service on 127.0.0.1, persisting to a temp dir so it can be stopped and
 * started again (the "Azure unreachable for a while" drill).
 */
export class AzuriteInstance {
  private process?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(readonly dir: string, readonly port: number) {}

  static async start(parentDir = tmpdir()): Promise<AzuriteInstance> {
    const dir = await fs.mkdtemp(join(parentDir, "mysql-dr-azurite-"));
    const instance = new AzuriteInstance(dir, await freePort());
    await instance.launch();
    return instance;
  }

  /** Starts (or restarts) Azurite on the same port and storage. */
  async launch(): Promise<void> {
    const main = require.resolve("azurite/dist/src/blob/main.js");
    const child = spawn(process.execPath, [main, "--blobHost", "127.0.0.1", "--blobPort", String(this.port), "--location", this.dir, "--skipApiVersionCheck", "--silent"], {
      stdio: "ignore",
    });
    this.process = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await waitForPort(this.port, 20_000);
  }

  /** Stops Azurite, keeping its storage. */
  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process?.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  get accountUrl(): string {
    return `http://127.0.0.1:${this.port}/${AZURITE_ACCOUNT}`;
  }

  /** A connection string with the development key (for `az` and admin tasks only). */
  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${this.accountUrl};`;
  }

  /** A client with the account key, for setting up containers and for tests that tamper with blobs. */
  adminClient(): BlobServiceClient {
    return new BlobServiceClient(this.accountUrl, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  }

  /** Creates a container and returns blob settings with a SAS limited to `permissions` (e.g. "caw" or "rl"). */
  async containerWithSas(container: string, permissions: string, prefix = ""): Promise<BlobSettings> {
    await this.adminClient().getContainerClient(container).createIfNotExists();
    return this.sasFor(container, permissions, prefix);
  }

  /** Blob settings for an existing container with a SAS limited to `permissions`. */
  sasFor(container: string, permissions: string, prefix = ""): BlobSettings {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        permissions: ContainerSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 24 * 3_600_000),
      },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    ).toString();
    return { containerUrl: `${this.accountUrl}/${container}`, sas, prefix };
  }
}
