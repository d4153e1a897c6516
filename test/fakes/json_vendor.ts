// A JSON vendor API on 127.0.0.1 for the row destinations' tests: records every request
// (method, path, query, headers, parsed body) and answers from a script of replies, then from
// the vendor's own `handle` (each vendor fake supplies it), so tests assert what the vendor got.
import * as http from "http";
import { AddressInfo } from "net";

export interface VendorRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

export interface VendorReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type VendorHandler = (req: VendorRequest) => VendorReply;

export class JsonVendor {
  readonly requests: VendorRequest[] = [];
  /** Replies for the next requests whose path matches (all when no pattern), in order, before `handle`. */
  readonly script: Array<VendorReply & { path?: RegExp }> = [];
  private readonly server = http.createServer((req, res) => this.receive(req, res));

  constructor(public handle: VendorHandler) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to paths matching `pattern`. */
  to(pattern: RegExp): VendorRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      let body: unknown;
      const type = String(req.headers["content-type"] ?? "");
      try {
        body = type.includes("x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(raw))
          : raw ? JSON.parse(raw) : undefined;
      } catch { body = undefined; }
      const request: VendorRequest = {
        method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, raw, body,
      };
      this.requests.push(request);
      const index = this.script.findIndex((s) => !s.path || s.path.test(url.pathname));
      const reply = index >= 0 ? this.script.splice(index, 1)[0] : this.handle(request);
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  }
}
