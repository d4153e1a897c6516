// One attempt of an outbound request for the shared client (http_client.ts): one HTTP exchange,
// no redirect and no retry, ended by the connect, idle and total timeouts or the abort signal,
// its answer read up to a limit. A row delivery makes 10,000 of them a million rows (HubSpot,
// mParticle: 100 records a request) on the thread that also reads the delivery, so an attempt
// hands Node what it would otherwise work out again each time: the target as request options
// (not a URL for Node to take apart), the headers as one flat list that Node writes as it is
// (not one setHeader each), the URL's parts worked out once per request (RequestTarget).
import * as http from "http";
import * as https from "https";
import type { Readable } from "stream";
import { onAbort } from "./abort_scope";
import { HttpTimeoutError } from "./http_errors";
import type { ReplayableBody } from "./http_parts";
import { HttpResponse } from "./http_request";
import { spentBytes } from "./young_garbage";

const EMPTY = Buffer.alloc(0);

export interface AttemptTimeouts {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
}

/** What Node's http.request needs of a URL, as its own urlToHttpOptions makes it. */
export interface RequestTarget {
  readonly url: URL;
  readonly https: boolean;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  /** The Host header: the host, and the port when it is not the scheme's. */
  readonly host: string;
  /** `Basic ...` from credentials in the URL, sent when the request has no Authorization of its own. */
  readonly basicAuth?: string;
}

export function requestTarget(url: URL): RequestTarget {
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const auth = url.username || url.password
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`
    : undefined;
  return {
    url, https: url.protocol === "https:", hostname, port: url.port === "" ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`, host: url.host, basicAuth: auth,
  };
}

/**
 * The header list sent: Host, User-Agent, the caller's (names in lower case; a later one of the
 * same name replaces an earlier, the caller's User-Agent and Host the hub's), Content-Length when
 * the body's size is known (else Node sends the body chunked), and the URL's credentials when the
 * caller sent no Authorization.
 */
export function headerList(
  target: RequestTarget, userAgent: string, headers: Record<string, string>, size: number | undefined,
): string[] {
  const list = ["host", target.host, "user-agent", userAgent];
  const put = (name: string, value: string) => {
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) { list[i + 1] = value; return; }
    }
    list.push(name, value);
  };
  for (const name of Object.keys(headers)) { put(name.toLowerCase(), headers[name]); }
  if (size !== undefined) { put("content-length", String(size)); }
  if (target.basicAuth && !list.includes("authorization")) { put("authorization", target.basicAuth); }
  return list;
}

export interface AttemptRequest {
  target: RequestTarget;
  method: string;
  headers: string[];
  body?: ReplayableBody;
  /** Bytes of the answer kept; past them the answer is cut (`truncated`). */
  limit: number;
  /** Statuses whose answer is read (up to `limit`, as any) but not kept: `body` empty. */
  unread?: (status: number) => boolean;
  signal?: AbortSignal;
  agent: http.Agent;
}

/** Sends the request once; answers the response (any status) or rejects with the network error, timeout or abort. */
export function sendAttempt(a: AttemptRequest, timeouts: AttemptTimeouts): Promise<HttpResponse> {
  const { target } = a;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = (target.https ? https : http).request({
      protocol: target.https ? "https:" : "http:", hostname: target.hostname, port: target.port, path: target.path,
      method: a.method, headers: a.headers, agent: a.agent,
    });
    let source: Readable | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    let done = false;
    let stopAbort = () => undefined as void;
    const finish = (err: unknown, response?: HttpResponse) => {
      if (done) { return; }
      done = true;
      stopAbort();
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      if (source && !source.readableEnded) { source.unpipe(req); source.destroy(); }
      if (err) {
        req.destroy();
        reject(err);
      } else {
        // An answer not read to its end leaves the socket unusable for the next request.
        if (!req.writableFinished || response!.truncated) { req.destroy(); }
        resolve(response!);
      }
    };
    const totalTimer = setTimeout(
      () => finish(new HttpTimeoutError("total_timeout", timeouts.totalTimeoutMs)), timeouts.totalTimeoutMs);
    req.setTimeout(timeouts.idleTimeoutMs,
      () => finish(new HttpTimeoutError("idle_timeout", timeouts.idleTimeoutMs)));
    req.on("socket", (socket) => {
      if (!socket.connecting) { return; }
      connectTimer = setTimeout(() => finish(new HttpTimeoutError("connect_timeout", timeouts.connectTimeoutMs)),
        timeouts.connectTimeoutMs);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("error", (err) => finish(err));
    stopAbort = onAbort(a.signal, (reason) => finish(reason));
    req.on("response", (res) => readAnswer(res, a.limit, a.unread?.(res.statusCode ?? 0) === true, finish));
    if (!a.body) { req.end(); return; }
    const opened = a.body.open();
    if (Buffer.isBuffer(opened)) { req.end(opened); return; }
    source = opened;
    source.on("error", (err) => finish(err));
    source.pipe(req);
  });
}

/**
 * Collects the answer up to `limit` bytes; a longer one ends at once, truncated. An answer nobody
 * reads (`drop`) is counted the same, its bytes not kept.
 */
function readAnswer(
  res: http.IncomingMessage, limit: number, drop: boolean, finish: (err: unknown, response?: HttpResponse) => void,
): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  let read = 0;
  const answer = (truncated: boolean) => {
    const body = drop ? EMPTY : Buffer.concat(chunks);
    // The socket's chunks are garbage now (copied into the body, or never kept): scavenged soon,
    // not left to pile up on a thread that allocates little else (young_garbage.ts).
    spentBytes(read);
    return new HttpResponse(res.statusCode ?? 0, () => res.headers, body, truncated);
  };
  res.on("data", (chunk: Buffer) => {
    read += chunk.length;
    const room = limit - kept;
    if (!drop) { chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk); }
    kept += Math.min(room, chunk.length);
    if (chunk.length > room) { finish(undefined, answer(true)); }
  });
  res.on("end", () => finish(undefined, answer(false)));
  res.on("error", (err) => finish(err));
  res.on("aborted", () => finish(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })));
}
