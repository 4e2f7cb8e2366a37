import { createServer, Server } from "node:http";
import { LagStatus } from "./lag-monitor";
import { ShipperStatus } from "./shipper";
import { FullBackupRecord } from "./state";
import { StreamerStatus } from "./streamer";

/** The agent's self-report, written to `<stateDir>/status.json` every second and served on DR_STATUS_PORT. */
export interface AgentStatus {
  agentVersion: string;
  pid: number;
  startedAt: string;
  updatedAt: string;
  epoch: string;
  lag: LagStatus;
  streamer: StreamerStatus;
  shipping: ShipperStatus & { azureReachable: boolean; lastError?: string };
  fullBackup: {
    inProgress: boolean;
    uploadedBytes?: number;
    last?: FullBackupRecord;
    lastError?: string;
  };
}

/** Serves the latest status as JSON on 127.0.0.1 only. */
export function serveStatus(port: number, current: () => AgentStatus | undefined): Promise<Server> {
  const server = createServer((request, response) => {
    const status = current();
    if (request.url !== "/status" || !status) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(status));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
