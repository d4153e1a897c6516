// The HTTP server around the app, with the timeouts that bound slow or stuck clients.
import * as http from "http";
import { Config } from "../config";

export function createHubServer(app: http.RequestListener, config: Config): http.Server {
  const server = http.createServer({
    // Headers must arrive quickly; a body may take long (hundreds of MB from Looker), so it
    // is bounded by idleness instead of a total time (server.timeout below).
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: 0,
    // Node checks header deadlines on this interval; keep it well under the deadline.
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.headersTimeoutMs / 4))),
    // Longer than common load balancers' idle timeouts (60 s), so they close first.
    keepAliveTimeout: 65_000,
  }, app);
  // A connection silent in both directions this long is closed; keep-alive newlines count.
  server.timeout = config.idleTimeoutMs;
  return server;
}
