// A vendor that answers anything, in one of several moods: for tests that run every
// integration at once (log secrecy, broken vendors) without speaking each vendor's protocol.
import * as http from "http";
import { LoopbackServer } from "./loopback_server";

export type Mood = "ok" | "error" | "garbage" | "hang" | "reset" | "endless" | "rate_limited"
  | "rate_limited_bare";

export class AnyVendor extends LoopbackServer {
  mood: Mood = "ok";
  /** When set, only requests whose path matches get the mood; the others are answered "ok". */
  moodPaths?: RegExp;
  requests = 0;
  /** Paths asked, in order (tests that run cases one by one learn which steps a case takes). */
  paths: string[] = [];
  /**
   * Methods and paths asked, in order, with the first 4 KB of each body (the dry-run suite checks
   * that nothing but GET and HEAD came, and the SQL statements its guard lets through).
   */
  calls: Array<{ method: string; path: string; body?: string }> = [];
  /** When set, the "ok" answer also carries an access token, as a token endpoint answers (the dry-run suite). */
  tokens = false;
  /** Requests held unanswered right now (mood "hang"), until the client gives up. */
  held = 0;

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++;
    this.paths.push(req.url ?? "");
    const call: { method: string; path: string; body?: string } = { method: req.method ?? "", path: req.url ?? "" };
    this.calls.push(call);
    req.on("data", (chunk: Buffer) => {
      if ((call.body ?? "").length < 4096) { call.body = `${call.body ?? ""}${chunk.toString("utf8", 0, 4096)}`; }
    });
    req.resume();
    const mood = this.moodPaths && !this.moodPaths.test(req.url ?? "") ? "ok" : this.mood;
    switch (mood) {
      case "ok": {
        // Shapes several vendors accept as success (Slack's ok, upload URLs, Segment's success).
        const body = JSON.stringify({ ok: true, success: true, channels: [], members: [],
          upload_url: `${this.url}/upload`, file_id: "F123", channel: { id: "D123" },
          response_metadata: { next_cursor: "" }, status: "success",
          ...(this.tokens ? { access_token: "any-vendor-token", token_type: "Bearer", expires_in: 3600 } : {}) });
        res.writeHead(200, { "content-type": "application/json" }).end(body);
        return;
      }
      case "error":
        res.writeHead(500, { "content-type": "text/plain" }).end("internal vendor error");
        return;
      case "garbage":
        res.writeHead(200, { "content-type": "application/json" }).end("<<not json>>\u0000\u00ff");
        return;
      case "rate_limited":
        res.writeHead(429, { "retry-after": "0", "content-type": "application/json" })
          .end("{\"ok\":false,\"error\":\"ratelimited\"}");
        return;
      case "rate_limited_bare":
        // A 429 without Retry-After: the client must choose its own wait, or give up clearly.
        res.writeHead(429, { "content-type": "application/json" }).end("{\"ok\":false,\"error\":\"ratelimited\"}");
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "endless": {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) { /* until backpressure */ }
          if (!res.destroyed) { res.once("drain", pump); }
        };
        res.on("close", () => res.removeAllListeners("drain"));
        pump();
        return;
      }
      case "hang":
        this.held++;
        res.once("close", () => { this.held--; });
        return;
    }
  }
}
