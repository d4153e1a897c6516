// A local SendGrid v3 API on 127.0.0.1: POST /v3/mail/send and GET /v3/scopes, checking the
// Bearer key, the sender against its verified senders and the 30 MB message limit, decoding
// the base64 attachment, and answering SendGrid's error shapes ({"errors": [{message, field,
// help}]}) for 401, 403 (sender not verified), 413 and 429.
import * as http from "http";
import { AddressInfo } from "net";

export interface SentMail {
  authorization?: string;
  contentType?: string;
  contentLength?: number;
  bytes: number;
  body: Record<string, any>;
  /** The decoded bytes of each attachment. */
  attachments: Array<{ filename: string; type: string; disposition?: string; content: Buffer }>;
}

export interface SendgridAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const SENDER_NOT_VERIFIED = "The from address does not match a verified Sender Identity. Mail cannot be " +
  "sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ " +
  "to see the Sender Identity requirements";

const errors = (message: string, field: string | null = null) => ({ errors: [{ message, field, help: null }] });

export class FakeSendgrid {
  readonly sent: SentMail[] = [];
  /** Answers for the next mail/send requests, in order, before any checks. */
  readonly script: SendgridAnswer[] = [];
  apiKey = "SG.test-key";
  verifiedSenders = new Set(["reports@example.com"]);
  scopes = ["mail.send", "user.profile.read"];
  maxMessageBytes = 30 * 1024 * 1024;
  requests = 0;
  private server = http.createServer((req, res) => this.handle(req, res));

  get url(): string { return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`; }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private reply(res: http.ServerResponse, answer: SendgridAnswer): void {
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++;
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (c: Buffer) => { bytes += c.length; if (bytes <= this.maxMessageBytes + 1024) { chunks.push(c); } });
    req.on("end", () => {
      const authorized = req.headers.authorization === `Bearer ${this.apiKey}`;
      if (req.method === "GET" && req.url === "/v3/scopes") {
        return this.reply(res, authorized ? { status: 200, body: { scopes: this.scopes } }
          : { status: 401, body: errors("The provided authorization grant is invalid, expired, or revoked") });
      }
      if (req.method !== "POST" || req.url !== "/v3/mail/send") { return this.reply(res, { status: 404, body: errors("not found") }); }
      const scripted = this.script.shift();
      if (scripted) { return this.reply(res, scripted); }
      if (!authorized) {
        return this.reply(res, { status: 401, body: errors("The provided authorization grant is invalid, expired, or revoked") });
      }
      if (bytes > this.maxMessageBytes) {
        return this.reply(res, { status: 413, body: errors("The size of your email exceeds the maximum allowed size of 30 MB.") });
      }
      let body: Record<string, any>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return this.reply(res, { status: 400, body: errors("Invalid JSON") });
      }
      if (!this.verifiedSenders.has(body.from?.email)) {
        return this.reply(res, { status: 403, body: errors(SENDER_NOT_VERIFIED, "from") });
      }
      const attachments = (body.attachments ?? []).map((a: any) => ({
        filename: a.filename, type: a.type, disposition: a.disposition, content: Buffer.from(a.content, "base64"),
      }));
      this.sent.push({
        authorization: req.headers.authorization, contentType: req.headers["content-type"],
        contentLength: Number(req.headers["content-length"]), bytes, body, attachments,
      });
      this.reply(res, { status: 202 });
    });
  }
}

export { errors as sendgridErrors };
