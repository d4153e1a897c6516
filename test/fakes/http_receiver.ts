// A webhook receiver on a loopback address: records every request (method, path, headers,
// body bytes) and answers from a script of replies, then with the default reply.
import * as http from "http";
import { AddressInfo } from "net";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Destroys the connection without an answer (a network error for the client). */
  hangUp?: boolean;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Resets the connection once this many bytes of the body arrived (kept in `cut`). */
  resetAfterBytes?: number;
  /** Answers as soon as the headers arrive, without waiting for the body (then read and dropped). */
  beforeBody?: boolean;
}

export class HttpReceiver {
  readonly received: Received[] = [];
  /** Requests whose body did not arrive whole (the client or `resetAfterBytes` cut them). */
  readonly cut: Received[] = [];
  /** Body bytes received so far, over all requests (whole, cut or still arriving). */
  bytesReceived = 0;
  private readonly script: Reply[] = [];
  private server?: http.Server;
  defaultReply: Reply = { status: 200, body: "ok" };
  /** Answers requests the script does not, before the default reply (vendor fakes route on path and body). */
  handler?: (received: Received) => Reply | undefined;

  constructor(readonly host = "127.0.0.1") {}

  /** Replies for the next requests, in order. */
  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      const first = this.script[0];
      const early = first?.resetAfterBytes !== undefined || first?.beforeBody ? this.script.shift() : undefined;
      let size = 0;
      const partial = () => ({ method: req.method ?? "", path: req.url ?? "", headers: req.headers,
        body: Buffer.concat(chunks) });
      req.on("data", (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        this.bytesReceived += c.length;
        if (early?.resetAfterBytes !== undefined && size >= early.resetAfterBytes) {
          req.socket.destroy();
        }
      });
      req.once("close", () => { if (!req.complete) { this.cut.push(partial()); } });
      if (early?.resetAfterBytes !== undefined) { return; }
      if (early) {
        res.writeHead(early.status, early.headers ?? {});
        res.end(early.body ?? "");
        return;
      }
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        this.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
        const last = this.received[this.received.length - 1];
        const reply = this.script.shift() ?? this.handler?.(last) ?? this.defaultReply;
        setTimeout(() => {
          if (reply.hangUp) { req.socket.destroy(); return; }
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body ?? "");
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(0, this.host, () => resolve());
    });
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** A URL on this receiver; `host` lets a test name it by a (stubbed) DNS name. */
  url(path = "/hook", host?: string): string {
    const name = host ?? (this.host.includes(":") ? `[${this.host}]` : this.host);
    return `http://${name}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    if (!this.server) { return; }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** A DNS stub: every name resolves to the given loopback address, so nothing leaves the machine. */
export function loopbackLookup(address = "127.0.0.1") {
  return async (_host: string) => [{ address, family: address.includes(":") ? 6 : 4 }];
}
