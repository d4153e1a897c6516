// The first step of a PostgreSQL server on 127.0.0.1, for certificate and TLS faults: it answers
// the client's SSLRequest with "S" and a TLS handshake with the certificate of `fault`
// (test/fixtures/tls/), or with "N" (a server without TLS). Nothing after the handshake: the
// faults are all in it.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as tls from "tls";
import { TLS_FIXTURES, TlsFault } from "./tls_servers";

/** The SSLRequest message: length 8, then the code 80877103. */
const SSL_REQUEST = 80877103;

const CERTS: Record<TlsFault, string> = {
  self_signed: "self_signed.crt", private_ca: "server.crt", other_name: "other_name.crt", expired: "expired.crt",
};

export interface PostgresTlsServer { port: number; close(): Promise<void>; }

/** A server that offers TLS with `fault`'s certificate, or, for "no_tls", none. */
export async function startPostgresTls(fault: TlsFault | "no_tls"): Promise<PostgresTlsServer> {
  const read = (name: string) => fs.readFileSync(path.join(TLS_FIXTURES, name));
  const material = fault === "no_tls" ? undefined
    : { cert: read(CERTS[fault]), key: read(fault === "self_signed" ? "self_signed.key" : "server.key") };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.once("readable", () => {
      const head = socket.read(8) as Buffer | null;
      if (!head || head.readUInt32BE(4) !== SSL_REQUEST) { socket.destroy(); return; }
      if (!material) { socket.write("N"); return; }
      socket.write("S");
      const secure = new tls.TLSSocket(socket, { isServer: true, ...material });
      secure.on("error", () => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) { socket.destroy(); }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
