// The HTTP server around the app, with the timeouts that bound slow or stuck clients.
import * as http from "http";
import { Config } from "../config";

interface ExpressPrototypes {
  request?: object;
  response?: object;
}

type ServerClasses = Pick<http.ServerOptions, "IncomingMessage" | "ServerResponse">;

/**
 * Express's first middleware gives every request and answer the app's prototypes
 * (Object.setPrototypeOf on each), and an object whose prototype changes after it was built
 * sends V8 off its fast paths in Node's own HTTP code: 130 µs of CPU per request on the bench
 * machine, more than Node's HTTP server spends on a small request in all. Built here with
 * those prototypes from the start, Express's call finds them in place and changes nothing.
 * (A server of its own, as supertest's, still works: the prototypes are Express's own,
 * extended by nothing.)
 */
function prebuiltPrototypes(app: http.RequestListener): ServerClasses {
  const target = app as unknown as ExpressPrototypes;
  if (!target.request || !target.response) { return {}; }
  class HubRequest extends http.IncomingMessage {}
  class HubResponse extends http.ServerResponse {}
  Object.setPrototypeOf(HubRequest.prototype, target.request);
  Object.setPrototypeOf(HubResponse.prototype, target.response);
  target.request = HubRequest.prototype;
  target.response = HubResponse.prototype;
  return { IncomingMessage: HubRequest, ServerResponse: HubResponse as typeof http.ServerResponse };
}

export function createHubServer(app: http.RequestListener, config: Config): http.Server {
  const server = http.createServer({
    ...prebuiltPrototypes(app),
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
