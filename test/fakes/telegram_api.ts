// Telegram's Bot API (POST /bot<token>/<method>) as Telegram documents it, for sendMessage and
// sendDocument: `{"ok": true, "result": Message}`, or `{"ok": false, "error_code", "description"}`
// with `parameters` (retry_after on 429, migrate_to_chat_id for a group that became a supergroup);
// a caption of at most 1024 characters, a text of 1-4096, documents up to 50 MB.
import { parseMultipart } from "../helpers/multipart";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const BOT_TOKEN = "123456789:AAHfake-Token_0123456789abcdefghijk";
export const CHAT = "-1001234567890";
/** A group that became a supergroup: Telegram answers with its new id. */
export const OLD_GROUP = "-4001";
export const KICKED_FROM = "-4002";

export interface TelegramCall {
  method: string;
  fields: Record<string, any>;
  document?: { fileName?: string; contentType?: string; data: Buffer };
}

function answer(status: number, body: unknown): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export function failure(code: number, description: string, parameters?: Record<string, unknown>): Reply {
  return answer(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
}

export function tooManyRequests(seconds: number): Reply {
  return failure(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
}

export class TelegramFake extends HttpReceiver {
  maxFileBytes = 50 * 1024 * 1024;
  /** The calls Telegram carried out, as it read them. */
  readonly calls: TelegramCall[] = [];
  private nextId = 1;

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  /** getChat: the chat the bot sees, or Telegram's refusal as for a message to it. */
  private getChat(chat: string): Reply {
    if (!chat) { return failure(400, "Bad Request: chat_id is empty"); }
    if (chat === KICKED_FROM) { return failure(403, "Forbidden: bot was kicked from the supergroup chat"); }
    if (chat !== CHAT && chat !== "@looker_reports") { return failure(400, "Bad Request: chat not found"); }
    return { status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ ok: true, result: { id: Number(CHAT), type: "supergroup", title: "Reports" } }) };
  }

  private route(r: Received): Reply {
    const match = /^\/bot([^/]+)\/(\w+)(?:\?.*)?$/.exec(r.path);
    if (!match || !/^\d+:[\w-]{30,}$/.test(match[1])) { return failure(404, "Not Found"); }
    if (match[1] !== BOT_TOKEN) { return failure(401, "Unauthorized"); }
    const method = match[2];
    if (method === "getChat") { return this.getChat(new URL(r.path, "http://x").searchParams.get("chat_id") ?? ""); }
    if (method !== "sendMessage" && method !== "sendDocument") { return failure(404, "Not Found: method not found"); }
    let call: TelegramCall;
    try { call = read(method, r); } catch { return failure(400, "Bad Request: can't parse request body"); }
    const chat = String(call.fields.chat_id ?? "");
    if (!chat) { return failure(400, "Bad Request: chat_id is empty"); }
    if (chat === OLD_GROUP) {
      return failure(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: -1009990001 });
    }
    if (chat === KICKED_FROM) { return failure(403, "Forbidden: bot was kicked from the supergroup chat"); }
    if (chat !== CHAT && chat !== "@looker_reports") { return failure(400, "Bad Request: chat not found"); }
    const message: Record<string, unknown> = { message_id: this.nextId++, date: 1765000000,
      chat: { id: Number(CHAT), type: "supergroup", title: "Reports" } };
    if (method === "sendMessage") {
      const text = String(call.fields.text ?? "");
      if (!text.trim()) { return failure(400, "Bad Request: message text is empty"); }
      if (text.length > 4096) { return failure(400, "Bad Request: message is too long"); }
      message.text = text;
    } else {
      if (!call.document) { return failure(400, "Bad Request: there is no document in the request"); }
      if (call.document.data.length > this.maxFileBytes) { return failure(413, "Request Entity Too Large"); }
      const caption = String(call.fields.caption ?? "");
      if (caption.length > 1024) { return failure(400, "Bad Request: message caption is too long"); }
      if (caption) { message.caption = caption; }
      message.document = { file_name: call.document.fileName, mime_type: call.document.contentType,
        file_id: `BQACAgIAAx${message.message_id}`, file_unique_id: `AgAD${message.message_id}`,
        file_size: call.document.data.length };
    }
    this.calls.push(call);
    return answer(200, { ok: true, result: message });
  }
}

function read(method: string, r: Received): TelegramCall {
  const type = String(r.headers["content-type"] ?? "");
  if (/^application\/json/i.test(type)) { return { method, fields: JSON.parse(r.body.toString("utf8")) }; }
  if (/^application\/x-www-form-urlencoded/i.test(type)) {
    return { method, fields: Object.fromEntries(new URLSearchParams(r.body.toString("utf8"))) };
  }
  const parts = parseMultipart(r.body, type);
  const fields = Object.fromEntries(parts.filter((p) => p.fileName === undefined)
    .map((p) => [p.name, p.data.toString("utf8")]));
  const file = parts.find((p) => p.name === "document" && p.fileName !== undefined);
  return { method, fields,
    document: file ? { fileName: file.fileName, contentType: file.contentType, data: file.data } : undefined };
}
