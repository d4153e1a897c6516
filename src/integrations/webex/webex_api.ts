// Webex's REST API as the webex integration calls it, as the bot (`Authorization: Bearer <token>`):
// the rooms the bot is in (GET /v1/rooms, paged by RFC 5988 Link headers) and a message
// (POST /v1/messages, JSON or multipart with one file). Errors come as
// `{"message", "errors": [{"description"}], "trackingId"}`.
import { UserError } from "../../lib/errors";
import { HttpBody, HttpClient } from "../../lib/http_client";
import { HttpUnavailableError, markVendorText } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";

export interface Room { id: string; title: string; type?: string; }

/** Rooms listed at most: 10 pages of 100, most recently active first. */
const MAX_PAGES = 10;

/** The `rel="next"` URL of a Link header, when it has one. */
function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(",") : header ?? "";
  return /<([^>]+)>\s*;\s*rel="?next"?/i.exec(text)?.[1];
}

export class WebexBot {
  private readonly token: string;

  constructor(private readonly http: HttpClient, private readonly apiUrl: string, token: string | undefined,
              private readonly logger?: Logger) {
    this.token = (token ?? "").trim();
    if (!this.token) {
      throw new UserError("The Webex bot token is missing: ask your Looker admin to paste the bot's access token " +
        "in the Webex integration's settings.");
    }
  }

  /** The rooms (spaces) the bot is a member of, most recently active first. */
  async rooms(): Promise<{ rooms: Room[]; more: boolean }> {
    const rooms: Room[] = [];
    let url: string | undefined = `${this.apiUrl}v1/rooms?max=100&sortBy=lastactivity`;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const { answer, link } = await this.call("GET", url);
      if (!Array.isArray(answer?.items)) {
        throw new UserError("Webex answered the list of the bot's spaces with something else; try again later.");
      }
      for (const item of answer.items) {
        if (typeof item?.id === "string") {
          rooms.push({ id: item.id, title: typeof item.title === "string" ? item.title : item.id, type: item.type });
        }
      }
      // Only a next page on the API's own origin is followed.
      url = link && new URL(link, this.apiUrl).origin === new URL(this.apiUrl).origin ? link : undefined;
    }
    return { rooms, more: url !== undefined };
  }

  /** Creates a message; answers Webex's message object. */
  async message(body: HttpBody, contentType: string): Promise<any> {
    return (await this.call("POST", `${this.apiUrl}v1/messages`, body, contentType)).answer;
  }

  private async call(method: string, url: string, body?: HttpBody, contentType?: string)
    : Promise<{ answer: any; link?: string }> {
    let response;
    try {
      response = await this.http.request({
        url, method, trusted: true, who: "Webex", logger: this.logger, body,
        headers: { authorization: `Bearer ${this.token}`, ...(contentType ? { "content-type": contentType } : {}) },
        acceptStatus: (s) => s < 500 && s !== 429,
      });
    } catch (err) {
      if (!(err instanceof HttpUnavailableError)) { throw err; }
      throw new UserError(err.failure.status === 429
        ? "Webex kept answering 429 (too many requests from this bot); nothing was sent. Try again in a minute."
        : "Webex's API did not answer; nothing was sent. Try again later.");
    }
    let answer: any;
    try { answer = response.json(); } catch { answer = undefined; }
    if (response.status >= 300) { throw refusal(response.status, answer); }
    return { answer, link: nextLink(response.headers.link) };
  }
}

/** Webex's refusals in words the user can act on. */
function refusal(status: number, answer: any): UserError {
  const listed: unknown[] = Array.isArray(answer?.errors) ? answer.errors : [];
  const descriptions = listed.map((e: any) => e?.description).filter((d): d is string => typeof d === "string");
  const text = (typeof answer?.message === "string" ? answer.message : descriptions.join(" ")).slice(0, 300);
  const said = text ? `: "${markVendorText(text)}"` : "";
  if (status === 401) {
    return new UserError(`Webex refused the bot token (HTTP 401${said}). Ask your Looker admin to paste the bot's ` +
      "access token again (developer.webex.com > My Webex Apps > the bot > Regenerate Access Token).");
  }
  if (status === 404 || status === 403) {
    const message = `Webex will not let the bot post in this space (HTTP ${status}${said}). Add the bot to the ` +
      "space, then pick it again in the schedule.";
    return new UserError(message, { room_id: message });
  }
  if (status === 413) {
    return new UserError(`Webex refused the file as too large (HTTP 413${said}). Send fewer rows or a more compact format.`);
  }
  return new UserError(`Webex refused the message (HTTP ${status}${said}).`);
}
