// Google's Drive API v3 (drives, files, resumable uploads), tokeninfo and, through FakeSheets,
// the Sheets API v4, on 127.0.0.1, speaking their wire formats. Access tokens are those of a
// FakeOAuthServer playing Google's token endpoint. It records requests (never upload bytes) and
// what it stored: files with their size, SHA-256 and (small ones) bytes, and sheets' cells.
import * as crypto from "crypto";
import * as http from "http";
import { FakeSheets } from "./google_sheets_api";
import { LoopbackServer } from "./loopback_server";
import { FakeOAuthServer } from "./oauth_server";

export const FOLDER = "application/vnd.google-apps.folder";
export const SPREADSHEET = "application/vnd.google-apps.spreadsheet";

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  size: number;
  sha256: string;
  bytes?: Buffer;
  /** Key-value pairs private to the app that set them (the hub's delivery stamp). */
  appProperties?: Record<string, string>;
}

export interface GoogleRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  bearer?: string;
  json?: any;
  contentRange?: string;
}

interface Upload {
  metadata: { name: string; mimeType: string; parents: string[]; appProperties?: Record<string, string> };
  received: number;
  hash: crypto.Hash;
  chunks?: Buffer[];
}

export class FakeGoogle extends LoopbackServer {
  readonly requests: GoogleRequest[] = [];
  sharedDrives = [{ id: "0ASalesDrive00001", name: "Sales" }, { id: "0AFinanceDrive001", name: "Finance" },
    { id: "0AOpsDrive0000001", name: "Ops" }];
  folders: Array<{ id: string; name: string; driveId?: string }> = [
    { id: "1FolderReports0001", name: "Reports" }, { id: "1FolderArchive0001", name: "Archive" },
    { id: "1FolderWeekly00001", name: "Weekly" },
    { id: "1FolderSalesDeals01", name: "Deals", driveId: "0ASalesDrive00001" },
  ];
  readonly files = new Map<string, DriveFile>();
  /** Page size the fake uses whatever is asked, so tests see pagination. */
  pageSize = 2;
  /** Bytes of uploaded files kept in memory up to this size (bigger ones keep size and hash). */
  keepBytesUpTo = 64 * 1024 * 1024;
  /** Failures for the next upload chunks: "reset" keeps part of the chunk and drops the connection. */
  failChunks: Array<"reset" | 503> = [];
  storageFull = false;
  readonly sheets: FakeSheets;
  private readonly uploads = new Map<string, Upload>();
  private counter = 0;

  constructor(readonly oauth: FakeOAuthServer) {
    super();
    this.sheets = new FakeSheets();
  }

  newId(prefix: string): string { return `${prefix}${(++this.counter).toString().padStart(12, "0")}`; }

  /** Adds a file Drive already has (a spreadsheet to overwrite). */
  addFile(file: DriveFile): void { this.files.set(file.id, file); }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const body = Buffer.concat(chunks);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const isUpload = req.method === "PUT" && url.pathname === "/upload/drive/v3/files";
      let json: any;
      if (!isUpload && body.length && String(req.headers["content-type"]).startsWith("application/json")) {
        json = JSON.parse(body.toString());
      }
      this.requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams),
        bearer, json, contentRange: req.headers["content-range"] as string | undefined });
      const send = (status: number, answer?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers })
          .end(answer === undefined ? "" : JSON.stringify(answer));
      };
      if (url.pathname === "/oauth2/v2/tokeninfo") {
        const token = url.searchParams.get("access_token") ?? "";
        return this.oauth.isValid(token)
          ? send(200, { email: this.oauth.email, verified_email: true, expires_in: 3000 })
          : send(400, { error: "invalid_token", error_description: "Invalid Value" });
      }
      if (!bearer || !this.oauth.isValid(bearer)) {
        return send(401, { error: { code: 401, message: "Request had invalid authentication credentials.",
          status: "UNAUTHENTICATED", errors: [{ reason: "authError" }] } });
      }
      if (url.pathname.startsWith("/v4/spreadsheets")) { return this.sheets.answer(req, url, json, send); }
      if (req.method === "GET" && url.pathname === "/drive/v3/drives") {
        return send(200, this.page(this.sharedDrives, url, "drives"));
      }
      if (req.method === "GET" && url.pathname === "/drive/v3/files") { return send(200, this.listFiles(url)); }
      if (req.method === "POST" && url.pathname === "/drive/v3/files") { return this.createFile(json, send); }
      if (req.method === "POST" && url.pathname === "/upload/drive/v3/files") {
        return this.openUpload(url, json, send);
      }
      if (isUpload) { return this.chunk(req, res, url, body, send); }
      send(404, { error: { code: 404, message: "Not found", errors: [{ reason: "notFound" }] } });
    });
  }

  private page<T>(items: T[], url: URL, key: string): Record<string, unknown> {
    const start = Number(url.searchParams.get("pageToken") ?? "0");
    const out: Record<string, unknown> = { [key]: items.slice(start, start + this.pageSize) };
    if (start + this.pageSize < items.length) { out.nextPageToken = String(start + this.pageSize); }
    return out;
  }

  private listFiles(url: URL): Record<string, unknown> {
    const q = url.searchParams.get("q") ?? "";
    const driveId = url.searchParams.get("corpora") === "drive" ? url.searchParams.get("driveId") ?? "" : undefined;
    if (q.includes(`mimeType='${FOLDER}'`)) {
      return this.page(this.folders.filter((f) => f.driveId === driveId).map((f) => ({ id: f.id, name: f.name })),
        url, "files");
    }
    const stamped = /^appProperties has \{ key='((?:[^'\\]|\\.)*)' and value='((?:[^'\\]|\\.)*)' \} and '([^']*)' in parents and trashed = false$/.exec(q);
    if (stamped) {
      const [key, value] = [stamped[1], stamped[2]].map((v) => v.replace(/\\(.)/g, "$1"));
      const found = [...this.files.values()]
        .filter((f) => f.appProperties?.[key] === value && f.parents.includes(stamped[3]));
      return { files: found.map((f) => ({ id: f.id, name: f.name })) };
    }
    const named = /name = '((?:[^'\\]|\\.)*)' and '([^']*)' in parents and mimeType = '([^']*)'/.exec(q);
    if (!named) { return { files: [] }; }
    const name = named[1].replace(/\\(.)/g, "$1");
    const files = [...this.files.values()].filter((f) => f.name === name && f.parents.includes(named[2]) &&
      f.mimeType === named[3]);
    return { files: files.map((f) => ({ id: f.id, name: f.name })) };
  }

  private parentExists(parent: string): boolean {
    return parent === "root" || this.sharedDrives.some((d) => d.id === parent) ||
      this.folders.some((f) => f.id === parent);
  }

  private notFound(what: string) {
    return { error: { code: 404, message: `File not found: ${what}.`, errors: [{ reason: "notFound" }] } };
  }

  private createFile(json: any, send: (s: number, a?: unknown) => void): void {
    const parents: string[] = json?.parents ?? ["root"];
    if (!parents.every((p) => this.parentExists(p))) { return send(404, this.notFound(parents.join(","))); }
    const file: DriveFile = { id: this.newId("1File"), name: json.name, mimeType: json.mimeType, parents, size: 0,
      sha256: "" };
    this.files.set(file.id, file);
    if (file.mimeType === SPREADSHEET) { this.sheets.create(file.id, file.name); }
    send(200, { id: file.id, name: file.name, mimeType: file.mimeType });
  }

  private openUpload(url: URL, json: any, send: (s: number, a?: unknown, h?: Record<string, string>) => void): void {
    if (url.searchParams.get("uploadType") !== "resumable") { return send(400, { error: { code: 400 } }); }
    const parents: string[] = json?.parents ?? ["root"];
    if (!parents.every((p) => this.parentExists(p))) { return send(404, this.notFound(parents.join(","))); }
    if (this.storageFull) {
      return send(403, { error: { code: 403, message: "The user's Drive storage quota has been exceeded.",
        errors: [{ reason: "storageQuotaExceeded" }] } });
    }
    const id = this.newId("up");
    const appProperties = json?.appProperties && typeof json.appProperties === "object" ? json.appProperties : undefined;
    if (appProperties && Object.entries(appProperties).some(([k, v]) => Buffer.byteLength(k + String(v)) > 124)) {
      return send(400, { error: { code: 400, message: "The limit of 124 bytes for a property's key and value was exceeded.",
        errors: [{ reason: "invalid" }] } });
    }
    this.uploads.set(id, { metadata: { name: json.name, mimeType: json.mimeType, parents, appProperties }, received: 0,
      hash: crypto.createHash("sha256"), chunks: [] });
    send(200, undefined, { location: `${this.url}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}` });
  }

  private chunk(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer,
                send: (s: number, a?: unknown, h?: Record<string, string>) => void): void {
    const upload = this.uploads.get(url.searchParams.get("upload_id") ?? "");
    if (!upload) { return send(404, this.notFound("upload session")); }
    const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(String(req.headers["content-range"] ?? ""));
    if (!range) { return send(400, { error: { code: 400, message: "Bad Content-Range" } }); }
    const total = range[3] === "*" ? undefined : Number(range[3]);
    if (range[1] !== undefined) {
      const start = Number(range[1]);
      if (start !== upload.received || Number(range[2]) - start + 1 !== body.length) {
        return send(400, { error: { code: 400, message: "Content-Range does not match the session." } });
      }
      const isLast = total !== undefined && start + body.length === total;
      if (!isLast && body.length % (256 * 1024) !== 0) {
        return send(400, { error: { code: 400, message: "Chunks must be multiples of 256 KiB." } });
      }
      const failure = this.failChunks.shift();
      if (failure === 503) { return send(503, { error: { code: 503, message: "Backend Error" } }); }
      const kept = failure === "reset" ? body.subarray(0, Math.floor(body.length / 2 / 262144) * 262144) : body;
      this.take(upload, kept);
      if (failure === "reset") { req.socket.destroy(); return; }
    }
    if (total !== undefined && upload.received === total) {
      const file: DriveFile = { id: this.newId("1File"), ...upload.metadata, size: total,
        sha256: upload.hash.digest("hex"), bytes: upload.chunks ? Buffer.concat(upload.chunks) : undefined };
      this.files.set(file.id, file);
      this.uploads.delete(url.searchParams.get("upload_id")!);
      return send(200, { id: file.id, name: file.name, mimeType: file.mimeType, parents: file.parents });
    }
    res.writeHead(308, upload.received ? { range: `bytes=0-${upload.received - 1}` } : {}).end();
  }

  private take(upload: Upload, bytes: Buffer): void {
    upload.hash.update(bytes);
    upload.received += bytes.length;
    if (upload.chunks && upload.received <= this.keepBytesUpTo) { upload.chunks.push(Buffer.from(bytes)); } else {
      upload.chunks = undefined;
    }
  }
}
