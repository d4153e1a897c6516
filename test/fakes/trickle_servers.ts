// Vendors on 127.0.0.1 that are never silent and never done, so no idle timeout catches them:
// - TricklingHttp: reads the request, answers 200 with its headers, then a byte every `everyMs`;
// - TricklingTcp: accepts a connection and sends `text` a byte every `everyMs`, then the same again
//   (an SSH banner or an SMTP greeting that never ends);
// - StallingSftp: a real SSH server (ssh2's) that logs anyone in, opens the SFTP session and the
//   file, then sits on every WRITE without an answer (its keep-alive answers still flow).
// Each counts the connections open now: the hub must close them when it gives up.
import * as http from "http";
import * as net from "net";
import { Server, utils } from "ssh2";

abstract class Counted {
  private readonly sockets = new Set<net.Socket>();

  /** Connections accepted since the start. */
  connections = 0;

  /** Connections open now. */
  get open(): number { return this.sockets.size; }

  protected track(server: net.Server): void {
    server.on("connection", (socket: net.Socket) => {
      this.connections++;
      this.sockets.add(socket);
      // The hub ends these connections as it likes (a reset included): not an error of the test.
      socket.on("error", () => undefined);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  protected closeAll(): void {
    for (const socket of this.sockets) { socket.destroy(); }
  }
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A timer that writes `text` a byte at a time, round and round, until the socket closes. */
function trickle(socket: NodeJS.WritableStream & { destroyed: boolean; once: net.Socket["once"] }, text: string,
  everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) { clearInterval(timer); return; }
    socket.write(text[at % text.length]);
    at++;
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

export class TricklingHttp extends Counted {
  requests = 0;
  private readonly server = http.createServer((req, res) => {
    this.requests++;
    req.resume();
    req.once("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      trickle(res as any, " ", this.everyMs);
    });
  });
  private port = 0;

  constructor(private readonly everyMs = 250) { super(); this.track(this.server); }

  get url(): string { return `http://127.0.0.1:${this.port}`; }

  async start(): Promise<this> { this.port = await listen(this.server); return this; }

  async stop(): Promise<void> {
    this.closeAll();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export class TricklingTcp extends Counted {
  private readonly server: net.Server;
  port = 0;

  constructor(text: string, everyMs = 250) {
    super();
    this.server = net.createServer((socket) => { socket.resume(); trickle(socket, text, everyMs); });
    this.track(this.server);
  }

  async start(): Promise<this> { this.port = await listen(this.server); return this; }

  async stop(): Promise<void> {
    this.closeAll();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export class StallingSftp extends Counted {
  /** WRITE requests received (and left unanswered). */
  writes = 0;
  private readonly server: Server;
  port = 0;

  constructor() {
    super();
    // ECDSA, not ed25519: about 1 in 300 ed25519 keys from ssh2's generator are refused by its own parser
    // ("Malformed OpenSSH private key"), which failed a whole suite at random.
    const hostKey = utils.generateKeyPairSync("ecdsa", { bits: 256 }).private;
    this.server = new Server({ hostKeys: [hostKey] }, (client) => {
      client.on("error", () => undefined);
      client.on("authentication", (ctx) => ctx.accept());
      client.on("ready", () => client.on("session", (acceptSession) => {
        acceptSession().on("sftp", (acceptSftp) => {
          const sftp = acceptSftp();
          sftp.on("OPEN", (reqId) => sftp.handle(reqId, Buffer.from("handle")));
          sftp.on("WRITE", () => { this.writes++; });
        });
      }));
    });
    this.track(this.server as unknown as net.Server);
  }

  async start(): Promise<this> { this.port = await listen(this.server as unknown as net.Server); return this; }

  async stop(): Promise<void> {
    this.closeAll();
    await new Promise((resolve) => this.server.close(() => resolve(undefined)));
  }
}
