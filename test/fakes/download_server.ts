// Plays Looker's one-time download URL on 127.0.0.1: serves bytes, fails, or stalls.
import * as http from "http";
import { AddressInfo } from "net";

export interface DownloadServer {
  url: string;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export type DownloadBehaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startDownloadServer(behaviour: DownloadBehaviour): Promise<DownloadServer> {
  const requests: DownloadServer["requests"] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? "", headers: req.headers });
    behaviour(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
