// A local fake of Google's token endpoint and Cloud Storage's JSON API (bucket list, object
// get, resumable upload), on 127.0.0.1. The token endpoint checks the service account's signed
// assertion (RS256, audience = its own URL) against the test key's public half, and the API
// accepts only tokens it minted. Objects are kept as files, so big uploads cost no memory.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { GoogleApiFake } from "./google_token";

export interface GcsFault {
  /** Which chunk PUT (1-based, counting every PUT with data) fails. */
  onPut: number;
  /** `500`: answer 500 without keeping the data; `cut`: keep half the chunk, then drop the connection. */
  kind: "500" | "cut" | "cut-always";
}

export interface StoredObject { bucket: string; name: string; contentType?: string; file: string; size: number; }

export class FakeGcs extends GoogleApiFake {
  buckets: string[] = ["alpha", "bravo", "charlie", "delta", "echo"];
  readonly objects = new Map<string, StoredObject>();
  readonly sessions = new Map<string, { bucket: string; name: string; contentType?: string; file: string; size: number;
    ifGenerationMatch?: string; }>();
  /** Every bearer token the API saw (mints included). */
  readonly tokensSeen: string[] = [];
  readonly cancelled: string[] = [];
  /** Objects fetched through signed links. */
  readonly signedGets: string[] = [];
  putCount = 0;
  fault?: GcsFault;
  /** Status of the next API call (after auth), e.g. 403, with a GCS-shaped error. */
  nextError?: { status: number; reason: string; message: string };

  constructor() { super("lis-fake-gcs-"); }

  object(bucket: string, name: string): StoredObject | undefined { return this.objects.get(`${bucket}/${name}`); }
  bytes(bucket: string, name: string): Buffer | undefined {
    const o = this.object(bucket, name);
    return o ? fs.readFileSync(o.file) : undefined;
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  private error(res: http.ServerResponse, status: number, reason: string, message: string): void {
    this.json(res, status, { error: { code: status, message, errors: [{ reason, message }] } });
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/token" && req.method === "POST") { return this.token(req, res); }
    if (req.method === "GET" && url.searchParams.has("X-Goog-Signature")) { return this.signedGet(url, req, res); }
    const auth = String(req.headers.authorization ?? "");
    const isSession = url.pathname.startsWith("/upload/") && url.searchParams.has("upload_id");
    if (!isSession) {
      const token = auth.replace(/^Bearer /, "");
      this.tokensSeen.push(token);
      if (!this.minted.has(token)) { req.resume(); return this.error(res, 401, "authError", "Invalid Credentials"); }
      if (this.nextError) {
        const e = this.nextError;
        this.nextError = undefined;
        req.resume();
        return this.error(res, e.status, e.reason, e.message);
      }
    }
    let m = /^\/storage\/v1\/b$/.exec(url.pathname);
    if (m && req.method === "GET") { return this.listBuckets(url, res); }
    m = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (m && req.method === "GET") {
      const o = this.object(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
      return o ? this.json(res, 200, { name: o.name }) : this.error(res, 404, "notFound", "No such object");
    }
    m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (m && isSession) { return this.sessionCall(url.searchParams.get("upload_id")!, req, res); }
    if (m && req.method === "POST" && url.searchParams.get("uploadType") === "resumable") {
      return this.openSession(decodeURIComponent(m[1]), url, req, res);
    }
    req.resume();
    this.error(res, 404, "notFound", "Not Found");
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.answerToken(await readBody(req), res);
  }

  /**
   * A V4 signed GET (the XML API's `/bucket/object`), checked as Google does: the canonical request
   * rebuilt from what arrived, the signature verified with the service account's public key, the
   * credential's account and the expiry.
   */
  private signedGet(url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const q = url.searchParams;
    const rfc3986 = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = [...q.entries()].filter(([k]) => k !== "X-Goog-Signature")
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join("&");
    const canonical = ["GET", url.pathname, query, `host:${req.headers.host}`, "", "host", "UNSIGNED-PAYLOAD"]
      .join("\n");
    const [account, ...scope] = (q.get("X-Goog-Credential") ?? "").split("/");
    const toSign = ["GOOG4-RSA-SHA256", q.get("X-Goog-Date"), scope.join("/"),
      crypto.createHash("sha256").update(canonical).digest("hex")].join("\n");
    const valid = account === this.clientEmail && crypto.verify("sha256", Buffer.from(toSign), this.keys.publicKey,
      Buffer.from(q.get("X-Goog-Signature") ?? "", "hex"));
    const date = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(q.get("X-Goog-Date") ?? "");
    const signedAt = date ? Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]) : 0;
    if (!valid || Date.now() > signedAt + Number(q.get("X-Goog-Expires")) * 1000) {
      res.writeHead(403, { "content-type": "application/xml" });
      return void res.end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
    }
    const [, bucket, ...rest] = url.pathname.split("/");
    const o = this.object(decodeURIComponent(bucket), rest.map(decodeURIComponent).join("/"));
    if (!o) { res.writeHead(404); return void res.end(); }
    this.signedGets.push(`${o.bucket}/${o.name}`);
    const disposition = q.get("response-content-disposition");
    res.writeHead(200, { "content-type": o.contentType || "application/octet-stream", "content-length": o.size,
      ...(disposition ? { "content-disposition": disposition } : {}) });
    fs.createReadStream(o.file).pipe(res);
  }

  private listBuckets(url: URL, res: http.ServerResponse): void {
    if (url.searchParams.get("project") !== this.projectId) {
      return this.error(res, 404, "notFound", "The requested project was not found.");
    }
    const start = Number(url.searchParams.get("pageToken") ?? "0");
    const page = this.buckets.slice(start, start + 2);
    const next = start + 2 < this.buckets.length ? String(start + 2) : undefined;
    const items = page.map((name) => ({ id: name, name }));
    this.json(res, 200, { kind: "storage#buckets", items, nextPageToken: next });
  }

  private async openSession(bucket: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse) {
    const meta = JSON.parse((await readBody(req)) || "{}");
    if (!this.buckets.includes(bucket)) {
      return this.error(res, 404, "notFound", "The specified bucket does not exist.");
    }
    const id = crypto.randomBytes(8).toString("hex");
    const file = path.join(this.dir, `session-${id}`);
    fs.writeFileSync(file, "");
    this.sessions.set(id, {
      bucket, name: url.searchParams.get("name") ?? meta.name, file, size: 0,
      contentType: String(req.headers["x-upload-content-type"] ?? meta.contentType ?? ""),
      ifGenerationMatch: url.searchParams.get("ifGenerationMatch") ?? undefined,
    });
    const location = `${this.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=${id}`;
    res.writeHead(200, { location });
    res.end();
  }

  private async sessionCall(id: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) { req.resume(); return this.error(res, 404, "notFound", "No such upload session."); }
    if (req.method === "DELETE") {
      this.sessions.delete(id);
      fs.rmSync(session.file, { force: true });
      this.cancelled.push(session.name);
      res.writeHead(499);
      return void res.end();
    }
    const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(String(req.headers["content-range"] ?? ""));
    if (req.method !== "PUT" || !range) { req.resume(); return this.error(res, 400, "invalid", "Bad Content-Range"); }
    const total = range[3] === "*" ? undefined : Number(range[3]);
    if (range[1] !== undefined) {
      this.putCount++;
      const start = Number(range[1]);
      if (start !== session.size) {
        req.resume();
        return this.error(res, 400, "invalid", `Expected offset ${session.size}`);
      }
      const fault = this.fault && (this.fault.onPut === this.putCount || this.fault.kind === "cut-always")
        ? this.fault : undefined;
      if (fault?.kind === "500") {
        req.resume();
        return this.error(res, 503, "backendError", "Backend Error");
      }
      const data = await readBuffer(req, fault ? Math.floor((Number(range[2]) - start + 1) / 2) : undefined);
      fs.appendFileSync(session.file, data);
      session.size += data.length;
      if (fault) { req.socket.destroy(); return; }
    } else {
      req.resume();
    }
    if (total !== undefined && session.size === total) {
      if (session.ifGenerationMatch === "0" && this.object(session.bucket, session.name)) {
        return this.error(res, 412, "conditionNotMet",
          "At least one of the pre-conditions you specified did not hold.");
      }
      const file = path.join(this.dir, `object-${id}`);
      fs.renameSync(session.file, file);
      this.sessions.delete(id);
      this.objects.set(`${session.bucket}/${session.name}`, { ...session, file, size: total });
      return this.json(res, 200, { bucket: session.bucket, name: session.name, size: String(total) });
    }
    res.writeHead(308, session.size ? { range: `bytes=0-${session.size - 1}` } : {});
    res.end();
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return readBuffer(req).then((b) => b.toString("utf8"));
}

/** Reads the body, or only its first `limit` bytes (then stops reading). */
function readBuffer(req: http.IncomingMessage, limit?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      if (limit !== undefined && size + c.length >= limit) {
        chunks.push(c.subarray(0, limit - size));
        req.off("data", onData);
        req.pause();
        resolve(Buffer.concat(chunks));
        return;
      }
      chunks.push(c);
      size += c.length;
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}
