// The start/stop/url of every fake vendor: an HTTP server on 127.0.0.1, port chosen by the OS.
import * as http from "http";
import { AddressInfo } from "net";

export abstract class LoopbackServer {
  private readonly server = http.createServer((req, res) => this.answer(req, res));

  protected abstract answer(req: http.IncomingMessage, res: http.ServerResponse): void;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) { return; }
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
