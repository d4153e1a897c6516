// Dropbox's API v2 on 127.0.0.1: the token endpoint (passed on to a FakeOAuthServer, which issues
// the tokens), files/list_folder (+continue, paged), users/get_current_account, files/upload and
// upload sessions (start, append_v2, finish) with Dropbox's offsets, conflicts and quota errors.
// Records requests with their Dropbox-API-Arg; keeps files' sizes, SHA-256 and small ones' bytes.
import * as crypto from "crypto";
import * as http from "http";
import { LoopbackServer } from "./loopback_server";
import { FakeOAuthServer } from "./oauth_server";

export interface DropboxRequest {
  path: string;
  bearer?: string;
  arg?: any;
  json?: any;
  bytes: number;
}

export interface DropboxFile {
  path: string;
  size: number;
  sha256: string;
  bytes?: Buffer;
}

interface Session { received: number; hash: crypto.Hash; chunks?: Buffer[]; }

export class FakeDropbox extends LoopbackServer {
  readonly requests: DropboxRequest[] = [];
  readonly files = new Map<string, DropboxFile>();
  folders = ["/Reports", "/Reports/Weekly", "/Archive", "/Café"];
  pageSize = 2;
  /** Bytes the account may still store. */
  spaceLeft = Number.MAX_SAFE_INTEGER;
  keepBytesUpTo = 64 * 1024 * 1024;
  /** False: a file of a taken name replaces the old one (tests that send one name many times). */
  refuseConflicts = true;
  /** The next content calls fail: "reset" keeps the bytes and drops the connection (answer lost). */
  failContent: Array<"reset" | 500> = [];
  private readonly sessions = new Map<string, Session>();
  private counter = 0;

  constructor(readonly oauth: FakeOAuthServer) { super(); }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const body = Buffer.concat(chunks);
      if (url.pathname === "/oauth2/token") { return this.passToken(req, res, body); }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const rawArg = req.headers["dropbox-api-arg"] as string | undefined;
      if (rawArg && /[^\x20-\x7e]/.test(rawArg)) { return this.send(res, 400, "Dropbox-API-Arg must be ASCII"); }
      const arg = rawArg ? JSON.parse(rawArg) : undefined;
      const json = String(req.headers["content-type"]).startsWith("application/json") && body.length
        ? JSON.parse(body.toString()) : undefined;
      this.requests.push({ path: url.pathname, bearer, arg, json, bytes: body.length });
      if (!bearer || !this.oauth.isValid(bearer)) {
        return this.send(res, 401,
          { error_summary: "expired_access_token/", error: { ".tag": "expired_access_token" } });
      }
      const route = url.pathname.replace(/^\/2\//, "");
      if (route.startsWith("files/upload") || route.startsWith("upload_session/")) {
        if (req.headers["content-type"] !== "application/octet-stream") {
          return this.send(res, 400, "Bad content type");
        }
        const failure = this.failContent.shift();
        if (failure === 500) { return this.send(res, 500, "Internal Server Error"); }
        const answer = this.content(route, arg, body);
        if (failure === "reset") { req.socket.destroy(); return; }
        return this.send(res, answer[0], answer[1]);
      }
      switch (route) {
        case "users/get_current_account":
          return this.send(res, 200, { account_id: "dbid:acct42", email: this.oauth.email });
        case "files/list_folder": return this.send(res, 200, this.page(0));
        case "files/list_folder/continue": return this.send(res, 200, this.page(Number(json?.cursor ?? 0)));
      }
      this.send(res, 400, `Unknown API function: "${route}"`);
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" }).end(text);
  }

  private page(start: number): Record<string, unknown> {
    const entries = [...this.folders.map((p) => ({ ".tag": "folder", name: p.split("/").pop(), path_display: p,
      path_lower: p.toLowerCase(), id: `id:${p}` })), { ".tag": "file", name: "x.csv", path_display: "/x.csv" }];
    const slice = entries.slice(start, start + this.pageSize);
    return { entries: slice, cursor: String(start + this.pageSize), has_more: start + this.pageSize < entries.length };
  }

  private passToken(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const forward = http.request(this.oauth.tokenUrl, { method: "POST", headers: {
      "content-type": req.headers["content-type"] ?? "", ...(req.headers.authorization
        ? { authorization: req.headers.authorization } : {}) } }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, { "content-type": "application/json" });
      answer.pipe(res);
    });
    forward.end(body);
  }

  private content(route: string, arg: any, body: Buffer): [number, unknown] {
    if (route === "files/upload") { return this.commit(arg, { received: 0, hash: crypto.createHash("sha256"),
      chunks: [] }, body); }
    if (route === "upload_session/start") {
      const id = `session-${++this.counter}`;
      const started: Session = { received: 0, hash: crypto.createHash("sha256"), chunks: [] };
      this.sessions.set(id, started);
      this.take(started, body);
      return [200, { session_id: id }];
    }
    const session = this.sessions.get(arg?.cursor?.session_id);
    if (!session) { return [409, { error_summary: "not_found/..", error: { ".tag": "not_found" } }]; }
    if (arg.cursor.offset !== session.received) {
      const error = { ".tag": "incorrect_offset", "correct_offset": session.received };
      return route === "upload_session/finish"
        ? [409, { error_summary: "lookup_failed/incorrect_offset/..", error: { ".tag": "lookup_failed",
          lookup_failed: error } }]
        : [409, { error_summary: "incorrect_offset/..", error }];
    }
    if (route === "upload_session/append_v2") {
      this.take(session, body);
      return [200, null];
    }
    if (route === "upload_session/finish") {
      this.sessions.delete(arg.cursor.session_id);
      return this.commit(arg.commit, session, body);
    }
    return [400, "Unknown upload route"];
  }

  private commit(commit: any, session: Session, body: Buffer): [number, unknown] {
    const path: string = commit?.path ?? "";
    if (!path.startsWith("/") || /[<>:"|?*]/.test(path)) {
      return [409, { error_summary: "path/malformed_path/", error: { ".tag": "path" } }];
    }
    this.take(session, body);
    if (this.refuseConflicts && this.files.has(path.toLowerCase()) && commit.mode === "add" && !commit.autorename) {
      return [409, { error_summary: "path/conflict/file/..", error: { ".tag": "path" } }];
    }
    if (session.received > this.spaceLeft) {
      return [409, { error_summary: "path/insufficient_space/..", error: { ".tag": "path" } }];
    }
    const file: DropboxFile = { path, size: session.received, sha256: session.hash.digest("hex"),
      bytes: session.chunks ? Buffer.concat(session.chunks) : undefined };
    this.files.set(path.toLowerCase(), file);
    return [200, { name: path.split("/").pop(), path_display: path, path_lower: path.toLowerCase(), size: file.size,
      id: `id:${this.counter}` }];
  }

  private take(session: Session, bytes: Buffer): void {
    session.hash.update(bytes);
    session.received += bytes.length;
    if (session.chunks && session.received <= this.keepBytesUpTo) { session.chunks.push(Buffer.from(bytes)); } else {
      session.chunks = undefined;
    }
  }
}
