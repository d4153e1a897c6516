// The HTTP server around the app, with the timeouts that bound slow or stuck clients.
import * as http from "http";
import * as net from "net";
import { Config } from "../config";

/** How long, and how many more body bytes, a connection the hub closes is read before it is cut. */
const LINGER_MS = 2000;
const LINGER_BYTES = 1024 * 1024;
const LINGER_CHECK_MS = 20;

/**
 * A lingering close (RFC 9112, 9.6) for a connection Node closes after an answer (Connection:
 * close): the answer and a FIN go out, and what the client still sends is read and dropped for a
 * short, bounded while before the socket is destroyed. Destroyed at once (Node's way), a socket
 * with unread body bytes sends a reset that makes the client's system discard the answer before
 * the client reads it; read to its end, an unauthenticated body costs whatever its sender
 * chooses. Bounded, it costs at most LINGER_BYTES and LINGER_MS.
 */
function lingerOnClose(socket: net.Socket): void {
  const lingering = socket as net.Socket & { destroySoon?: () => void };
  lingering.destroySoon = function lingeringClose(this: net.Socket) {
    if (this.destroyed) { return; }
    this.end();
    const limit = this.bytesRead + LINGER_BYTES;
    const started = Date.now();
    const check = setInterval(() => {
      if (this.destroyed || this.bytesRead > limit || Date.now() - started >= LINGER_MS) {
        clearInterval(check);
        this.destroy();
      }
    }, LINGER_CHECK_MS);
    check.unref();
    this.once("close", () => clearInterval(check));
  };
}

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
  server.on("connection", lingerOnClose);
  return server;
}
