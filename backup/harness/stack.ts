import { AzuriteInstance } from "./azurite-instance";
import { MariaDbInstance, MariaDbOptions } from "./mariadb-instance";

/** Azurite, a primary with binlogs and a restore target, started together. */
export interface DrStack {
  azurite: AzuriteInstance;
  primary: MariaDbInstance;
  target: MariaDbInstance;
}

/**
 * Starts the three servers in parallel; if any fails, stops the others before rethrowing, so a
 * failed start never leaves servers running (and a test runner waiting on them forever).
 */
export async function startDrStack(parentDir: string, extra: Partial<MariaDbOptions> = {}): Promise<DrStack> {
  const started = await Promise.allSettled([
    AzuriteInstance.start(parentDir),
    MariaDbInstance.start({ ...extra, binlog: true, parentDir }),
    MariaDbInstance.start({ ...extra, binlog: false, parentDir }),
  ] as const);
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(started.map((result) => (result.status === "fulfilled" ? result.value.destroy() : undefined)));
    throw (failure as PromiseRejectedResult).reason;
  }
  const [azurite, primary, target] = started.map((result) => (result as PromiseFulfilledResult<AzuriteInstance | MariaDbInstance>).value);
  return { azurite: azurite as AzuriteInstance, primary: primary as MariaDbInstance, target: target as MariaDbInstance };
}
