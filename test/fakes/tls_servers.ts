// Servers on 127.0.0.1 with every certificate fault a destination can have (test/fixtures/tls/):
// self-signed, signed by a private authority, for another name, expired; and a plain-http server
// for an https URL. Each answers 200 "ok" once the TLS handshake passes.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as path from "path";

export const TLS_FIXTURES = path.join(__dirname, "..", "fixtures", "tls");
const read = (name: string) => fs.readFileSync(path.join(TLS_FIXTURES, name));

export type TlsFault = "self_signed" | "private_ca" | "other_name" | "expired";

const CERTS: Record<TlsFault, { cert: string; key: string }> = {
  self_signed: { cert: "self_signed.crt", key: "self_signed.key" },
  private_ca: { cert: "server.crt", key: "server.key" },
  other_name: { cert: "other_name.crt", key: "server.key" },
  expired: { cert: "expired.crt", key: "server.key" },
};

export interface TlsServer {
  /** https://127.0.0.1:<port> (or http:// for the plain server). */
  url: string;
  /** How many requests got past the handshake. */
  requests: () => number;
  close(): Promise<void>;
}

async function listen(server: http.Server, scheme: string): Promise<TlsServer> {
  let requests = 0;
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    requests++;
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** An https server whose certificate has `fault` (`private_ca` is sound once its authority is trusted). */
export function startTlsServer(fault: TlsFault): Promise<TlsServer> {
  const { cert, key } = CERTS[fault];
  return listen(https.createServer({ cert: read(cert), key: read(key) }), "https");
}

/** A plain-http server; its URL is given as https:// (the fault: https on a plain-http port). */
export async function startPlainServerForHttps(): Promise<TlsServer> {
  const server = await listen(http.createServer(), "http");
  return { ...server, url: server.url.replace(/^http:/, "https:") };
}
