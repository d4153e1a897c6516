// A lean HTTP/1.1 client for the open-loop generator: keep-alive sockets in a pool, each
// request written as one prebuilt buffer, the answer parsed just enough (status line,
// Content-Length or chunked, Connection: close). Node's http.request cost the generator as much
// CPU per request as the hub spent answering it (about 250 µs on the shared 2-core machine),
// and the two share the cores: the generator then measured its own limits, not the hub's.
// One request at a time per socket (no pipelining); a socket that is busy is never reused.
import * as net from "net";

export interface RawAnswer {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/** Parses one answer out of `buffer`; undefined while incomplete. */
export function parseAnswer(buffer: Buffer, ended: boolean):
  { answer: RawAnswer; close: boolean; rest: Buffer } | undefined {
  const headEnd = buffer.indexOf(HEADER_END);
  if (headEnd < 0) { return undefined; }
  const head = buffer.toString("latin1", 0, headEnd).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0])?.[1] ?? 0);
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) { headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()); }
  }
  const close = (headers.get("connection") ?? "").toLowerCase() === "close";
  let at = headEnd + 4;
  if ((headers.get("transfer-encoding") ?? "").toLowerCase().includes("chunked")) {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", at);
      if (lineEnd < 0) { return undefined; }
      const size = parseInt(buffer.toString("latin1", at, lineEnd), 16);
      if (Number.isNaN(size)) {
        return { answer: { status: 0, body: "bad chunk size" }, close: true, rest: Buffer.alloc(0) };
      }
      if (size === 0) {
        // No trailers from the hub: the last chunk is followed by one empty line.
        if (buffer.length < lineEnd + 4) { return undefined; }
        const body = Buffer.concat(parts).toString("utf8");
        return { answer: { status, body }, close, rest: buffer.subarray(lineEnd + 4) };
      }
      if (buffer.length < lineEnd + 2 + size + 2) { return undefined; }
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers.get("content-length");
  if (length !== undefined) {
    const end = at + Number(length);
    if (buffer.length < end) { return undefined; }
    return { answer: { status, body: buffer.toString("utf8", at, end) }, close, rest: buffer.subarray(end) };
  }
  // Neither: the body runs to the end of the connection.
  if (!ended) { return undefined; }
  return { answer: { status, body: buffer.toString("utf8", at) }, close: true, rest: Buffer.alloc(0) };
}

export class RawHttpPool {
  private readonly idle: net.Socket[] = [];
  private readonly all = new Set<net.Socket>();
  private readonly host: string;
  private readonly port: number;

  constructor(url: string) {
    const parsed = new URL(url);
    this.host = parsed.hostname;
    this.port = Number(parsed.port || 80);
  }

  /** A request's bytes, built once per kind of request. */
  static build(url: string, method: string, path: string, headers: Record<string, string>, body: string): Buffer {
    const { host } = new URL(url);
    const bytes = Buffer.from(body);
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, "Connection: keep-alive",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${bytes.length}`];
    return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), bytes]);
  }

  /** Sends `request` on an idle socket (or a new one); calls back once with the answer or an error. */
  send(request: Buffer, timeoutMs: number, done: (error: string | undefined, answer?: RawAnswer) => void): void {
    const socket = this.idle.pop() ?? this.connect();
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (error: string | undefined, answer?: RawAnswer, reuse = false) => {
      if (settled) { return; }
      settled = true;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", onError);
      socket.off("close", onClose);
      if (reuse && !socket.destroyed) { this.idle.push(socket); } else { socket.destroy(); }
      done(error, answer);
    };
    const tryParse = (ended: boolean) => {
      const parsed = parseAnswer(buffer, ended);
      if (parsed) { finish(undefined, parsed.answer, !parsed.close && !ended && parsed.rest.length === 0); }
      return parsed;
    };
    const onData = (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      tryParse(false);
    };
    const onEnd = () => { if (!tryParse(true)) { finish("the hub closed the connection before answering"); } };
    const onError = (err: Error) => finish(`request ${err.message}`);
    const onClose = () => { if (!tryParse(true)) { finish("the connection closed before the answer"); } };
    const timer = setTimeout(() => finish(`request no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", onError);
    socket.on("close", onClose);
    socket.write(request);
  }

  /** Closes every socket. */
  destroy(): void {
    for (const socket of this.all) { socket.destroy(); }
    this.all.clear();
    this.idle.length = 0;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.all.add(socket);
    socket.once("close", () => {
      this.all.delete(socket);
      const at = this.idle.indexOf(socket);
      if (at >= 0) { this.idle.splice(at, 1); }
    });
    // A socket idle in the pool may fail (the hub restarting); the next request then errors.
    socket.on("error", () => undefined);
    return socket;
  }
}
