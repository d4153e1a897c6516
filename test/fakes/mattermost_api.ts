// A Mattermost server's incoming webhook endpoint (POST /hooks/<key>) as Mattermost documents it:
// a JSON body (or Slack's `payload=` form), answered 200 text/plain "ok"; refusals as its AppError
// JSON `{"id", "message", "detailed_error", "request_id", "status_code"}`.
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const HOOK_KEY = "xk3p9d4m7bfy8gq1w5zn6r2ct";

function appError(status: number, id: string, message: string): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({
    id, message, detailed_error: "", request_id: "hoan6o9ws7rp5xj7wu9rmysrte", status_code: status }) };
}

export class MattermostFake extends HttpReceiver {
  /** The posts Mattermost accepted, as it read them. */
  readonly posts: any[] = [];
  webhooksEnabled = true;

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  hookUrl(host?: string): string { return this.url(`/hooks/${HOOK_KEY}`, host); }

  private route(r: Received): Reply {
    const match = /^\/hooks\/([a-z0-9]+)$/.exec(r.path);
    if (r.method !== "POST" || !match) { return appError(404, "api.context.404.app_error", "Sorry, we could not find the page."); }
    if (!this.webhooksEnabled) {
      return appError(501, "web.incoming_webhook.disabled.app_error", "Incoming webhooks have been disabled by the system admin.");
    }
    if (match[1] !== HOOK_KEY) { return appError(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook"); }
    let post: any;
    try {
      const text = r.body.toString("utf8");
      post = /^application\/json/i.test(String(r.headers["content-type"])) ? JSON.parse(text)
        : JSON.parse(new URLSearchParams(text).get("payload") ?? "");
    } catch {
      return appError(400, "web.incoming_webhook.parse.app_error", "Unable to parse incoming data");
    }
    if (!post.text && !post.attachments) {
      return appError(400, "web.incoming_webhook.text.app_error", "No text specified");
    }
    this.posts.push(post);
    return { status: 200, headers: { "content-type": "text/plain" }, body: "ok" };
  }
}
