// Webex's REST API for a bot, as Webex documents it: GET /v1/rooms (the bot's spaces, `max` per
// page, RFC 5988 Link `rel="next"` paging) and POST /v1/messages (JSON, or multipart with one
// `files` part); `Authorization: Bearer <token>`; refusals `{"message", "errors": [{"description"}],
// "trackingId"}`; markdown at most 7,439 bytes; files at most 100 MB.
import { parseMultipart } from "../helpers/multipart";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const BOT_TOKEN = "NjE2ZGI3ZTMtZmFrZS1ib3QtdG9rZW4tMDEyMzQ1Njc4OWFi_PF84_ce1a2b3c";
export const ROOMS = Array.from({ length: 3 }, (_v, i) => ({
  id: `Y2lzY29zcGFyazovL3VzL1JPT00v${i}`, title: i === 2 ? "Dana Smith" : `Reports ${i}`,
  type: i === 2 ? "direct" : "group", isLocked: false, lastActivity: "2026-11-28T00:00:00.000Z",
}));

interface WebexFile { fileName?: string; contentType?: string; data: Buffer; }

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function webexError(status: number, message: string): Reply {
  return json(status, { message, errors: [{ description: message }], trackingId: "ROUTER_65F1A2B3-0000" });
}

export class WebexFake extends HttpReceiver {
  /** The spaces the bot is in; `pageSize` per page of GET /v1/rooms. */
  rooms = ROOMS;
  pageSize = 100;
  /** The messages Webex created, as it read them. */
  readonly messages: Array<{ fields: Record<string, string>; file?: WebexFile }> = [];

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  private route(r: Received): Reply {
    if (r.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
      return webexError(401, "The request requires a valid access token set in the Authorization request header.");
    }
    const url = new URL(r.path, "http://webex.invalid");
    if (r.method === "GET" && url.pathname === "/v1/rooms") { return this.listRooms(url); }
    if (r.method === "POST" && url.pathname === "/v1/messages") { return this.createMessage(r); }
    return webexError(404, "The requested resource could not be found.");
  }

  private listRooms(url: URL): Reply {
    const max = Math.min(Number(url.searchParams.get("max") ?? 100), this.pageSize);
    const from = Number(url.searchParams.get("cursor") ?? 0);
    const items = this.rooms.slice(from, from + max);
    const headers: Record<string, string> = {};
    if (from + max < this.rooms.length) {
      headers.link = `<${this.url(`/v1/rooms?max=${max}&sortBy=lastactivity&cursor=${from + max}`)}>; rel="next"`;
    }
    return json(200, { items }, headers);
  }

  private createMessage(r: Received): Reply {
    const type = String(r.headers["content-type"] ?? "");
    let fields: Record<string, string>;
    let file: WebexFile | undefined;
    if (/^application\/json/i.test(type)) {
      fields = JSON.parse(r.body.toString("utf8"));
    } else {
      const parts = parseMultipart(r.body, type);
      fields = Object.fromEntries(parts.filter((p) => p.fileName === undefined).map((p) => [p.name, p.data.toString("utf8")]));
      const files = parts.filter((p) => p.name === "files" && p.fileName !== undefined);
      if (files.length > 1) { return webexError(400, "Only one file may be attached to a message."); }
      file = files[0] && { fileName: files[0].fileName, contentType: files[0].contentType, data: files[0].data };
    }
    if (!this.rooms.some((room) => room.id === fields.roomId)) {
      return webexError(404, "Could not find a room with provided ID.");
    }
    if (Buffer.byteLength(fields.markdown ?? fields.text ?? "") > 7439) {
      return webexError(400, "Message length cannot exceed 7439 bytes.");
    }
    if (!fields.markdown && !fields.text && !file) { return webexError(400, "Message text or files must be specified."); }
    if (file && file.data.length > 100 * 1024 * 1024) { return webexError(413, "File size exceeds the 100MB limit."); }
    this.messages.push({ fields, file });
    return json(200, { id: `Y2lzY29zcGFyazovL3VzL01FU1NBR0Uv${this.messages.length}`, roomId: fields.roomId,
      roomType: "group", markdown: fields.markdown, personEmail: "looker@webex.bot", created: "2026-11-28T00:00:00.000Z",
      ...(file ? { files: [`https://webexapis.com/v1/contents/Y2lz${this.messages.length}`] } : {}) });
  }
}
