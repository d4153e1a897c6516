// A real SMTP server for tests (npm smtp-server) on 127.0.0.1: STARTTLS with a self-signed
// certificate made by openssl for the suite, AUTH PLAIN/LOGIN required, recipients it can be
// told to refuse, and every accepted message kept raw and parsed with mailparser. Beside it,
// misbehaving servers: one that never greets and a proxy that drops or stalls mid-message.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, SMTPServerOptions } from "smtp-server";

export interface TlsMaterial {
  cert: string;
  key: string;
}

let material: TlsMaterial | undefined;

/** A self-signed certificate for localhost, smtp.example.test and 127.0.0.1, made once per test run. */
export function testCertificate(): TlsMaterial {
  if (material) { return material; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-smtp-tls-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,DNS:smtp.example.test,IP:127.0.0.1",
      "-addext", "basicConstraints=critical,CA:TRUE",
    ], { stdio: "ignore" });
    material = {
      cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"),
      key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"),
    };
    return material;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user?: string;
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpServerSettings {
  user?: string;
  pass?: string;
  /** Do not offer STARTTLS (a relay without TLS). */
  hideStartTls?: boolean;
  /** smtps:// style: TLS from the first byte. */
  secure?: boolean;
  /** Accept mail without a login (a relay inside the network). */
  authOptional?: boolean;
}

export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  /** What clients did, in order: "AUTH <user> ok|refused", "MAIL FROM <address>" (a dry run stops before it). */
  readonly commands: string[] = [];
  /** Addresses answered 550 at RCPT TO. */
  readonly refuse = new Set<string>();
  private server?: SMTPServer;
  private port = 0;

  constructor(readonly settings: SmtpServerSettings = {}) {}

  async start(): Promise<this> {
    const tls = testCertificate();
    const user = this.settings.user ?? "looker";
    const pass = this.settings.pass ?? "s3cret pass";
    const options: SMTPServerOptions = {
      secure: this.settings.secure ?? false,
      key: tls.key, cert: tls.cert,
      hideSTARTTLS: this.settings.hideStartTls ?? false,
      disabledCommands: this.settings.hideStartTls ? ["STARTTLS"] : [],
      authMethods: ["PLAIN", "LOGIN"],
      authOptional: this.settings.authOptional ?? false,
      logger: false,
      onAuth: (auth, _session, callback) => {
        const ok = auth.username === user && auth.password === pass;
        this.commands.push(`AUTH ${auth.username} ${ok ? "ok" : "refused"}`);
        if (ok) { return callback(null, { user }); }
        callback(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 }));
      },
      onMailFrom: (address, _session, callback) => {
        this.commands.push(`MAIL FROM ${address.address}`);
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address)) {
          return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: ` +
            "User unknown"), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then((parsed) => {
            this.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address), user: session.user as string | undefined, raw, parsed,
            });
            callback();
          }, callback);
        });
      },
    };
    this.server = new SMTPServer(options);
    this.server.on("error", () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as net.AddressInfo).port;
    return this;
  }

  get address(): string { return `127.0.0.1:${this.port}`; }

  /** An smtp:// URL (STARTTLS) with the server's login, for `host` (default 127.0.0.1). */
  url(options: { user?: string; pass?: string; host?: string; query?: string } = {}): string {
    const user = encodeURIComponent(options.user ?? this.settings.user ?? "looker");
    const pass = encodeURIComponent(options.pass ?? this.settings.pass ?? "s3cret pass");
    const scheme = this.settings.secure ? "smtps" : "smtp";
    return `${scheme}://${user}:${pass}@${options.host ?? "127.0.0.1"}:${this.port}${options.query ?? ""}`;
  }

  async stop(): Promise<void> {
    if (!this.server) { return; }
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** A TCP server that accepts connections and never says a word (no SMTP greeting). */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => { sockets.add(socket); socket.on("error", () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () => new Promise((resolve) => { for (const s of sockets) { s.destroy(); } server.close(() => resolve()); }),
  };
}

/**
 * A proxy in front of a server that, once the client has sent `afterBytes` bytes (mid-message),
 * either drops both connections or stops forwarding and keeps them open (a stalled relay).
 */
export async function faultyProxy(
  targetPort: number, afterBytes: number, fault: "drop" | "stall",
): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) { sockets.add(s); s.on("error", () => undefined); }
    let sent = 0;
    let broken = false;
    client.on("data", (chunk: Buffer) => {
      if (broken) { return; }
      sent += chunk.length;
      if (sent <= afterBytes) { upstream.write(chunk); return; }
      broken = true;
      if (fault === "drop") { client.destroy(); upstream.destroy(); }
    });
    upstream.on("data", (chunk: Buffer) => { if (!broken) { client.write(chunk); } });
    upstream.on("close", () => { if (!broken) { client.destroy(); } });
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () => new Promise((resolve) => { for (const s of sockets) { s.destroy(); } server.close(() => resolve()); }),
  };
}
