// Discord: a message and the delivery as a file, posted through a channel's webhook ("Execute
// Webhook": POST /api/webhooks/{id}/{token}?wait=true, multipart `payload_json` + `files[0]`),
// or a clicked cell as a message. The URL must be on Discord's hosts (DISCORD_WEBHOOK_DOMAINS),
// checked as zapier's is; a file past Discord's upload limit is refused before anything is sent.
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { cellLines, typedMessage } from "../../families/webhook/chat_text";
import { multipartFile } from "../../families/webhook/multipart_file";
import { requireVendorHost } from "../../families/webhook/vendor_host";
import { checkedUrl } from "../../families/webhook/webhook_post";
import { tryWebhookUrl } from "../../families/webhook/webhook_preflight";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient, HttpRequestOptions, HttpResponse } from "../../lib/http_client";
import { HttpStatusError, HttpUnavailableError } from "../../lib/http_errors";

/** Discord's limit on a message's `content`. */
export const MAX_CONTENT = 2000;
const EXAMPLE = "https://discord.com/api/webhooks/123456789012345678/abcDEF";

export interface DiscordSettings {
  /** Hosts (and subdomains) a webhook URL may be on. */
  domains: string[];
  /** The largest file posted; Discord refuses larger ones with 413 (code 40005). */
  maxFileBytes: number;
}

/** Discord's 429 body says how long to wait, in (fractional) seconds: `{"retry_after": 1.5, ...}`. */
export function discordRetryAfter(response: HttpResponse): number | undefined {
  try {
    const wait = Number(response.json()?.retry_after);
    return Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait * 1000) : undefined;
  } catch {
    return undefined;
  }
}

export class DiscordIntegration extends FileIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "discord";
  readonly label = "Discord";
  readonly description = "Post a message with the data as a file (or a clicked value) to a Discord channel's webhook.";
  readonly icon = iconBeside(__dirname, "discord.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard", "cell"];

  constructor(private readonly http: HttpClient, private readonly settings: DiscordSettings) { super(); }

  readonly dryRunChecks = "the settings and the form's values; the webhook URL, on Discord's hosts and through the " +
    "private-address guard, read with Discord's \"Get Webhook with Token\" (a GET of the same URL, which writes " +
    "nothing): a wrong id or token, or a deleted webhook, fails the dry run as it would fail the delivery; and the " +
    "data Looker sent (bytes, rows, the first row with its values masked)";

  /** The webhook, read with Discord's documented GET of its URL: src/families/webhook/webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const raw = (request.formParams.url ?? "").trim();
    requireVendorHost(raw, this.settings.domains, "Discord", EXAMPLE, "url");
    return tryWebhookUrl(this.http, raw, "url", "Discord", { name: "Get Webhook with Token" });
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "url", label: "Discord Webhook URL", type: "string", required: true,
      description: "The channel's webhook URL: Server Settings > Integrations > Webhooks > Copy Webhook URL.",
    }, {
      name: "message", label: "Message", type: "textarea", required: false,
      description: `Text posted with the data (at most ${MAX_CONTENT} characters); the schedule's title when empty.`,
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const raw = (request.formParams.url ?? "").trim();
    requireVendorHost(raw, this.settings.domains, "Discord", EXAMPLE, "url");
    // The guard checks the address now, before any data is read (and again on every connection).
    const url = await checkedUrl(this.http, raw, "url");
    url.searchParams.set("wait", "true");
    const content = typedMessage(request, "Discord", MAX_CONTENT);
    // Mentions typed into a message (or found in a title) never ping anyone.
    const message = { content, allowed_mentions: { parse: [] as string[] } };
    if (request.type === "cell") {
      const text = cellLines(request, content).join("\n");
      await this.post(request, { url, headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...message, content: text.slice(0, MAX_CONTENT) }) });
      return ActionResponse.ok("Posted the value to Discord.");
    }
    if (!request.delivery) {
      throw new UserError("There was no data to send: the query returned nothing. Nothing was posted to Discord.");
    }
    const fileName = requestFileName(request, undefined);
    const limit = this.settings.maxFileBytes;
    const file = await multipartFile(request.delivery, fileName, requestContentType(request), {
      fields: { payload_json: JSON.stringify({ ...message, attachments: [{ id: 0, filename: fileName }] }) },
      fileField: "files[0]",
      maxFileBytes: limit,
      tooLarge: () => new UserError(`The data is larger than ${formatBytes(limit)}, the largest file this hub posts ` +
        "to a Discord webhook (Discord refuses bigger uploads). Nothing was posted. Filter the query to fewer " +
        "rows, pick a more compact format, or send it to a storage integration instead."),
    });
    const answer = await this.post(request, { url, headers: { "content-type": file.contentType }, body: file.body });
    let attachments: unknown;
    try { attachments = answer.json()?.attachments; } catch { attachments = undefined; }
    if (Array.isArray(attachments) && attachments.length === 0) {
      throw new UserError("Discord posted the message but without the file. Check the channel, and that the " +
        "webhook may attach files, then send again.");
    }
    return ActionResponse.ok(`Posted "${fileName}" (${formatBytes(file.bytes())}) to Discord.`);
  }

  private async post(request: ActionRequest, options: HttpRequestOptions): Promise<HttpResponse> {
    try {
      return await this.http.request({ ...options, method: "POST", who: "Discord", logger: request.logger,
        vendorRetryAfter: discordRetryAfter });
    } catch (err) {
      throw refusal(err);
    }
  }
}

/** Discord's documented refusals (`{"message": ..., "code": ...}`) in words the user can act on. */
function refusal(err: unknown): unknown {
  if (err instanceof HttpUnavailableError && err.failure.status === 429) {
    return new UserError("Discord is rate limiting this webhook (HTTP 429) and kept asking the hub to wait; " +
      "nothing was posted. Try again in a minute, or spread the schedules that post to this channel.");
  }
  if (!(err instanceof HttpStatusError)) { return err; }
  const said = err.failure.excerpt ? `: "${err.failure.excerpt}"` : "";
  switch (err.failure.status) {
    case 401:
    case 403:
    case 404:
      return new UserError(`Discord does not know this webhook (HTTP ${err.failure.status}${said}): it was deleted, ` +
        "or the URL was not copied whole. Copy the webhook URL again from the channel's settings.",
      { url: "Copy the webhook URL again." });
    case 413:
      return new UserError(`Discord refused the file as too large (HTTP 413${said}). Filter the query to fewer ` +
        "rows or pick a more compact format; an operator can lower DISCORD_MAX_FILE_SIZE to the server's limit " +
        "so such files are refused before they are sent.");
    default:
      return new UserError(`Discord refused the message (HTTP ${err.failure.status}${said}). Check the message ` +
        "and the webhook, then send again.");
  }
}
