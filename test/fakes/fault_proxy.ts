// Proxies on 127.0.0.1 that put a storage server's faults in front of a real one:
// - FaultProxy (HTTP): forwards every request as received (headers included, so signatures
//   still verify) and lets a test answer 500 to a chosen request or cut its connection midway;
//   it records what passed (method, path, auth scheme).
// - CuttingTcpProxy: forwards raw TCP (SSH) and cuts every connection after N bytes upstream.
import * as http from "http";
import * as net from "net";

export type Fault = "500" | "cut" | undefined;

export interface SeenRequest { method: string; path: string; authorization?: string; }

export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  /** Paths whose multipart upload an intercept aborted. */
  readonly aborted: string[] = [];
  /** Decides a fault per request; default none. */
  rule: (req: http.IncomingMessage, index: number) => Fault = () => undefined;
  /** Answers a request itself instead of forwarding it (true when it did). */
  intercept: (req: http.IncomingMessage, res: http.ServerResponse) => boolean = () => false;
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly upstreamPort: number) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on("connection", (s) => { this.sockets.add(s); s.on("close", () => this.sockets.delete(s)); });
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }
  get url(): string { return `http://127.0.0.1:${this.port}`; }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) { s.destroy(); }
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const index = this.seen.length;
    this.seen.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    if (this.intercept(req, res)) { return; }
    const fault = this.rule(req, index);
    if (fault === "500") {
      req.resume();
      req.once("end", () => {
        res.writeHead(500, { "content-type": "application/xml" });
        res.end("<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>injected</Message></Error>");
      });
      return;
    }
    if (fault === "cut") {
      let got = 0;
      req.on("data", (c: Buffer) => {
        got += c.length;
        if (got > 64 * 1024) { req.socket.destroy(); }
      });
      req.once("end", () => req.socket.destroy());
      return;
    }
    const upstream = http.request({
      host: "127.0.0.1", port: this.upstreamPort, method: req.method, path: req.url, headers: req.headers,
      agent: this.agent,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }
}

export class CuttingTcpProxy {
  /** Bytes from the client after which each connection is cut; Infinity forwards everything. */
  cutAfter = Infinity;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly upstreamPort: number) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.upstreamPort, "127.0.0.1");
      for (const s of [client, upstream]) { this.sockets.add(s); s.on("close", () => this.sockets.delete(s)); }
      let sent = 0;
      client.on("data", (c: Buffer) => {
        sent += c.length;
        if (sent > this.cutAfter) { client.destroy(); upstream.destroy(); return; }
        upstream.write(c);
      });
      upstream.pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) { s.destroy(); }
    await new Promise((resolve) => this.server.close(resolve));
  }
}
