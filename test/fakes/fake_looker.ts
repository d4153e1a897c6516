// Looker's side of a per-user login on 127.0.0.1: the one-time `state_url` the hub POSTs a v1
// login's state to, and the `state_redir_url` a v2 login's browser lands on, where Looker (like
// the real one) POSTs the sealed code to the integration's `token_url` and stores the answer.
import * as http from "http";
import { LoopbackServer } from "./loopback_server";

export class FakeLooker extends LoopbackServer {
  /** The state stored per user, as Looker keeps it (the body the hub sent or answered). */
  readonly stored = new Map<string, string>();
  /** Sealed codes that arrived at state_redir_url, per user. */
  readonly redirected = new Map<string, string>();
  /** The hub's token_url answers, per user: status and body. */
  readonly tokenAnswers = new Map<string, { status: number; body: string }>();
  /** How state_url answers (a Looker that refuses the POST). */
  stateUrlStatus = 200;

  /** `tokenUrlOf(user)` is the hub's token_url for that user's integration; `apiKey` its key. */
  constructor(private readonly hub?: { tokenUrl: (user: string) => string; authorization: () => string }) {
    super();
  }


  stateUrl(user: string): string { return `${this.url}/action_hub_state/${user}?token=one-time`; }
  stateRedirUrl(user: string): string { return `${this.url}/action_hub_state/redirect/${user}?token=one-time`; }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const redirect = /^\/action_hub_state\/redirect\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && redirect) {
        const user = redirect[1];
        const sealed = url.searchParams.get("state") ?? "";
        this.redirected.set(user, sealed);
        this.exchange(user, sealed).then(
          () => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Looker saved your login</h1>"),
          (err) => res.writeHead(500, { "content-type": "text/plain" }).end(String(err)));
        return;
      }
      const state = /^\/action_hub_state\/([^/]+)$/.exec(url.pathname);
      if (req.method === "POST" && state) {
        if (this.stateUrlStatus === 200) { this.stored.set(state[1], Buffer.concat(chunks).toString()); }
        return void res.writeHead(this.stateUrlStatus, { "content-type": "application/json" }).end("{}");
      }
      res.writeHead(404).end();
    });
  }

  /** What Looker does after the redirect: POST {state} to the token_url and store the answer. */
  private async exchange(user: string, sealed: string): Promise<void> {
    if (!this.hub) { return; }
    const response = await fetch(this.hub.tokenUrl(user), {
      method: "POST", body: JSON.stringify({ state: sealed }),
      headers: { "content-type": "application/json", "authorization": this.hub.authorization() },
    });
    const body = await response.text();
    this.tokenAnswers.set(user, { status: response.status, body });
    if (response.status === 200) { this.stored.set(user, body); }
  }
}
