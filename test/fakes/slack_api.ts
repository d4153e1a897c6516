// A local Slack Web API on 127.0.0.1 speaking Slack's wire format: form-encoded (or JSON)
// POSTs to /api/<method> with a Bearer token, `{ok, ...}` answers with cursor pagination,
// HTTP 429 + Retry-After, and the upload URL that files.getUploadURLExternal hands out.
// It records what it received so tests assert on the token, channel, comment, name and bytes.
import { createHash } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

export interface ReceivedCall {
  method: string;
  authorization?: string;
  contentType?: string;
  args: Record<string, string>;
}

export interface ReceivedUpload {
  fileId: string;
  contentLength?: string;
  bytes: number;
  sha256: string;
  /** The bytes themselves, kept up to `keepBytesUpTo`. */
  body?: Buffer;
}

/** What one call answers instead of the normal result. */
export interface Failure {
  /** A Slack error code: answered `{ok: false, error}` with HTTP 200. */
  error?: string;
  needed?: string;
  /** An HTTP status (429 comes with `retryAfter`). */
  status?: number;
  retryAfter?: number;
}

export interface FakeChannel { id: string; name: string; is_archived?: boolean; }
export interface FakeUser {
  id: string; name: string; real_name?: string; deleted?: boolean; is_bot?: boolean;
  is_restricted?: boolean; is_ultra_restricted?: boolean;
}

export interface FakeWorkspace { team: string; team_id: string; }

export class FakeSlack {
  token = "xoxb-test-token";
  /** More bot tokens accepted, each of its own workspace (Looker's multi-workspace Slack app). */
  workspaces: Record<string, FakeWorkspace> = {};
  channels: FakeChannel[] = [];
  users: FakeUser[] = [];
  /** Page size of the list methods, whatever `limit` asks (to exercise pagination). */
  pageSize = 2;
  keepBytesUpTo = 16 * 1024 * 1024;
  /** Answer to the upload POST: a status other than 200 to fail it. */
  uploadStatus: number[] = [];
  readonly calls: ReceivedCall[] = [];
  readonly uploads: ReceivedUpload[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly server: http.Server;
  private nextFile = 1;
  url = "";

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string { return `${this.url}/api/`; }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The next calls of `method` answer these failures, in order. */
  fail(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): ReceivedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "POST" && path.startsWith("/upload/")) { return this.receiveUpload(req, res, path.slice(8)); }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = path.replace(/^\/api\//, "");
      const raw = Buffer.concat(chunks).toString("utf8");
      const contentType = req.headers["content-type"];
      const args: Record<string, string> = /json/.test(contentType ?? "")
        ? JSON.parse(raw || "{}")
        : Object.fromEntries(new URLSearchParams(raw));
      this.calls.push({ method, authorization: req.headers.authorization, contentType, args });
      const failure = this.failures.get(method)?.shift();
      if (failure?.status) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (failure.retryAfter !== undefined) { headers["retry-after"] = String(failure.retryAfter); }
        res.writeHead(failure.status, headers);
        return res.end(JSON.stringify({ ok: false, error: failure.status === 429 ? "ratelimited" : "fatal_error" }));
      }
      if (failure?.error) {
        const needed = failure.needed ? { needed: failure.needed } : {};
        return this.json(res, { ok: false, error: failure.error, ...needed });
      }
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (token !== this.token && !this.workspaces[token]) {
        return this.json(res, { ok: false, error: "invalid_auth" });
      }
      if (method === "auth.test" && this.workspaces[token]) {
        return this.json(res, { ok: true, ...this.workspaces[token], user: "lookerbot", user_id: "U0BOT" });
      }
      this.json(res, this.answer(method, args));
    });
  }

  private answer(method: string, args: Record<string, string>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, team: "Acme", user: "lookerbot", team_id: "T1", user_id: "U0BOT" };
      case "conversations.list":
        return { ok: true, ...this.page("channels", this.channels.filter((c) =>
          args.exclude_archived !== "true" || !c.is_archived), args.cursor) };
      case "users.list":
        return { ok: true, ...this.page("members", this.users, args.cursor) };
      case "conversations.open":
        return { ok: true, channel: { id: `D${args.users}` } };
      case "files.getUploadURLExternal": {
        if (!args.filename || !(Number(args.length) > 0)) { return { ok: false, error: "invalid_arguments" }; }
        const fileId = `F${this.nextFile++}`;
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const files = JSON.parse(args.files ?? "[]");
        return { ok: true, files: files.map((f: { id: string }) => ({ id: f.id })) };
      }
      case "chat.postMessage":
        // Posted to a member ID, Slack answers the DM's conversation ID (D...).
        return { ok: true, channel: /^[UW]/.test(args.channel ?? "") ? `D${args.channel}` : args.channel,
          ts: "1700000000.000100" };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private page<T>(key: string, all: T[], cursor?: string): Record<string, unknown> {
    const start = cursor ? Number(cursor.replace("page-", "")) : 0;
    const end = start + this.pageSize;
    return { [key]: all.slice(start, end), response_metadata: { next_cursor: end < all.length ? `page-${end}` : "" } };
  }

  private receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, fileId: string): void {
    const hash = createHash("sha256");
    const kept: Buffer[] = [];
    let bytes = 0;
    req.on("data", (c: Buffer) => {
      bytes += c.length;
      hash.update(c);
      if (bytes <= this.keepBytesUpTo) { kept.push(c); }
    });
    req.on("end", () => {
      const status = this.uploadStatus.shift() ?? 200;
      this.uploads.push({
        fileId, contentLength: req.headers["content-length"], bytes, sha256: hash.digest("hex"),
        body: bytes <= this.keepBytesUpTo ? Buffer.concat(kept) : undefined,
      });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? `OK - ${bytes}` : "error");
    });
  }

  private json(res: http.ServerResponse, body: unknown): void {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  }
}
