// Discord's Execute Webhook endpoint (POST /api/webhooks/{id}/{token}) as Discord documents it:
// JSON or multipart (`payload_json` + `files[n]`) bodies, `content` at most 2000 characters, a
// per-file upload limit (413, code 40005), `?wait=true` answering the message object (else 204),
// errors as `{"message", "code"}` and rate limits as 429 `{"message", "retry_after", "global"}`; and
// Get Webhook with Token (GET of the same path), which a dry run reads.
import { parseMultipart } from "../helpers/multipart";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const WEBHOOK_ID = "123456789012345678";
export const WEBHOOK_TOKEN = "tok_AbC-123";
export const WEBHOOK_PATH = `/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`;

export interface DiscordMessage {
  payload: any;
  files: Array<{ field: string; fileName?: string; contentType?: string; data: Buffer }>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function rateLimited(retryAfterSeconds: number): Reply {
  return json(429, { message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false },
    { "retry-after": String(Math.ceil(retryAfterSeconds)) });
}

export class DiscordFake extends HttpReceiver {
  /** Discord's upload limit per file in this fake's server. */
  maxFileBytes = 10 * 1024 * 1024;
  /** The messages accepted, as Discord read them. */
  readonly messages: DiscordMessage[] = [];

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  webhookUrl(host?: string): string { return this.url(WEBHOOK_PATH, host); }

  private route(r: Received): Reply {
    const url = new URL(r.path, "http://discord.invalid");
    const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if ((r.method !== "POST" && r.method !== "GET") || !match) { return json(404, { message: "404: Not Found", code: 0 }); }
    if (match[1] !== WEBHOOK_ID) { return json(404, { message: "Unknown Webhook", code: 10015 }); }
    if (match[2] !== WEBHOOK_TOKEN) { return json(401, { message: "Invalid Webhook Token", code: 50027 }); }
    // Get Webhook with Token: the webhook object, without its user.
    if (r.method === "GET") {
      return json(200, { type: 1, id: WEBHOOK_ID, name: "Looker", channel_id: "199737254929760256",
        guild_id: "199737254929760256", application_id: null, avatar: null, token: WEBHOOK_TOKEN });
    }
    let message: DiscordMessage;
    try {
      message = this.read(r);
    } catch {
      return json(400, { message: "Cannot send an empty message", code: 50006 });
    }
    if (message.files.some((f) => f.data.length > this.maxFileBytes)) {
      return json(413, { message: "Request entity too large", code: 40005 });
    }
    const content = message.payload.content;
    if (typeof content === "string" && content.length > 2000) {
      return json(400, { message: "Invalid Form Body", code: 50035,
        errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } } });
    }
    if (!content && !message.files.length) { return json(400, { message: "Cannot send an empty message", code: 50006 }); }
    this.messages.push(message);
    if (url.searchParams.get("wait") !== "true") { return { status: 204 }; }
    return json(200, { id: "1100000000000000001", type: 0, channel_id: "1000", webhook_id: WEBHOOK_ID,
      content: content ?? "", attachments: message.files.map((f, i) => ({ id: String(2000 + i), filename: f.fileName,
        size: f.data.length, url: `https://cdn.discordapp.com/attachments/1000/${2000 + i}/${f.fileName}` })) });
  }

  private read(r: Received): DiscordMessage {
    const type = String(r.headers["content-type"] ?? "");
    if (/^application\/json/i.test(type)) { return { payload: JSON.parse(r.body.toString("utf8")), files: [] }; }
    const parts = parseMultipart(r.body, type);
    const payloadPart = parts.find((p) => p.name === "payload_json");
    return {
      payload: payloadPart ? JSON.parse(payloadPart.data.toString("utf8")) : {},
      files: parts.filter((p) => /^files\[\d+\]$/.test(p.name))
        .map((p) => ({ field: p.name, fileName: p.fileName, contentType: p.contentType, data: p.data })),
    };
  }
}
