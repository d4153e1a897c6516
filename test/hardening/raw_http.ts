// Raw HTTP over a socket for the hardening suites: what a hostile client sends, byte for byte,
// and what the hub answered (status, head, body with chunked encoding undone), or that it
// closed the connection.
import { expect } from "chai";
import * as fs from "fs";
import * as net from "net";
import { generateApiKey } from "../../src/server/auth";

export const HOSTILE_SECRET = "hostile-secret-0123456789";
export const AUTH = `Token token="${generateApiKey(HOSTILE_SECRET)}"`;

/** A hub process for the hostile suites: production mode, one worker, short timeouts. */
export const HOSTILE_ENV: Record<string, string> = {
  PORT: "0", INTEGRATION_SERVICE_SECRET: HOSTILE_SECRET, BASE_URL: "https://hub.example.com",
  DEBUG_INTEGRATION: "true", WEB_CONCURRENCY: "1", HEADERS_TIMEOUT_SECONDS: "1", IDLE_TIMEOUT_SECONDS: "2",
  KEEPALIVE_INTERVAL_SECONDS: "1",
};

export interface RawAnswer {
  status?: number;
  head: string;
  /** The body, chunked transfer encoding undone. */
  body: string;
  /** The server closed the connection (rather than the wait running out). */
  closed: boolean;
  ms: number;
}

function unchunk(body: string): string {
  let out = "";
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf("\r\n", at);
    if (lineEnd < 0) { break; }
    const size = parseInt(body.slice(at, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) { break; }
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return out;
}

export interface RawOptions {
  waitMs?: number;
  gapMs?: number;
  destroyAfterSend?: boolean;
}

/** Sends raw bytes over a socket and reads whatever comes back until the server closes or `waitMs` passes. */
export function raw(port: number, chunks: Array<string | Buffer>, opts: RawOptions = {}): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let closed = false;
    socket.on("data", (c) => { received.push(c); });
    socket.on("error", () => { closed = true; });
    socket.on("close", () => { closed = true; finish(); });
    const timer = setTimeout(() => finish(), opts.waitMs ?? 3000);
    let done = false;
    function finish() {
      if (done) { return; }
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      let body = split < 0 ? "" : text.slice(split + 4);
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) { body = unchunk(body); }
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : undefined, head, body, closed, ms: Date.now() - started });
    }
    (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) { return; }
        // Written out before the next step (a destroy right after a write would drop it unsent).
        await new Promise<void>((written) => socket.write(chunk, () => written()));
        if (opts.gapMs) { await new Promise((r) => setTimeout(r, opts.gapMs)); }
      }
      if (opts.destroyAfterSend) { socket.destroy(); finish(); }
    })();
  });
}

/**
 * A request's head and body as raw chunks; `auth: false` leaves out the token, `announce`
 * declares a Content-Length other than the body's.
 */
export function rawRequest(method: string, path: string, body: string | Buffer,
  headers: Record<string, string> = {}, options: { auth?: boolean; announce?: number } = {}): Array<string | Buffer> {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1",
    ...(options.auth === false ? [] : [`Authorization: ${AUTH}`]),
    "Content-Type: application/json", `Content-Length: ${options.announce ?? Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return [lines.join("\r\n") + "\r\n\r\n", body];
}

export function post(path: string, body: string | Buffer, headers: Record<string, string> = {},
): Array<string | Buffer> {
  return rawRequest("POST", path, body, headers);
}

/** An HTTP answer under 500: JSON, no HTML, no stack trace. A bare close is not a clear refusal. */
export function expectClearRefusal(answer: RawAnswer, what: string): void {
  expect(answer.status, `${what}: no HTTP answer (${answer.closed ? "closed" : "nothing within the wait"})`)
    .to.not.equal(undefined);
  expect(answer.status, `${what}: ${answer.head}\n${answer.body.slice(0, 300)}`).to.be.below(500);
  expect(answer.head.toLowerCase(), what).not.to.include("text/html");
  expect(answer.body, what).not.to.match(/\n\s+at .*\(.*:\d+:\d+\)/);
  if (answer.body.trim()) {
    expect(() => JSON.parse(answer.body), `${what}: the answer is not JSON: ${answer.body.slice(0, 200)}`)
      .not.to.throw();
  }
}

/**
 * Sends `head` (a keep-alive request announcing a large body), then body bytes as fast as the
 * socket takes them until the server closes the connection or `waitMs` passes: how many body
 * bytes the server took, and its answer.
 */
export function streamUntilClosed(port: number, head: string, waitMs = 10_000,
): Promise<{ answer: string; bytesSent: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024, "a");
    let bytesSent = 0;
    let answer = "";
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) { return; }
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, bytesSent, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on("data", (c) => { answer += c.toString("latin1"); });
    // A reset (the server closed with body bytes unread) ends the writing; the answer already
    // received still comes out before the close.
    socket.on("error", () => undefined);
    socket.on("close", () => finish(true));
    const pump = () => {
      while (!finished && !socket.destroyed) {
        bytesSent += chunk.length;
        if (!socket.write(chunk)) { socket.once("drain", pump); return; }
      }
    };
    socket.write(head, pump);
  });
}

/** The JSON body of an answer. */
export function jsonOf(answer: RawAnswer): any {
  return JSON.parse(answer.body);
}

export function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** GET /status on its own connection. */
export function getStatus(port: number, waitMs = 10_000): Promise<RawAnswer> {
  return raw(port, ["GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"], { waitMs });
}

/** The value of a metric (summed over its label sets) from GET /metrics. */
export async function metricValue(port: number, name: string): Promise<number> {
  const answer = await raw(port, ["GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
  let sum = 0;
  for (const line of answer.body.split("\n")) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) { sum += Number(m[2]); }
  }
  return sum;
}
