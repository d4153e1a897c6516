// The console playing Looker in a per-user login (docs/oauth.md, "The flows"): it gives the
// form request a `state_url` (v1) or `state_redir_url` (v2) of the hub's own, keeps what the
// login delivers there in a one-time slot, and hands it to the console tab that opened the slot.
// The tab then keeps the state (v1), or first trades the sealed code at the integration's
// `token_url` with its key (v2), as Looker does.
import * as bodyParser from "body-parser";
import { Request, Response, Router } from "express";
import { MAX_DELIVERED_LENGTH, OAuthMailbox } from "../console/oauth_mailbox";

const STATE_PATH = /^\/console\/oauth\/state\/[^/]+$/;

/** Where the hub POSTs a v1 login's state: the slot in the path is the credential, as Looker's token is. */
export function isConsoleStatePath(path: string): boolean {
  return STATE_PATH.test(path);
}

const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

function page(res: Response, status: number, title: string, message: string): void {
  res.status(status).set(PAGE_HEADERS).type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>${title}</h1><p>${message}</p></body></html>
`);
}

function bodyText(req: Request): string {
  return typeof req.body === "string" ? req.body : JSON.stringify(req.body ?? null);
}

export function consoleOAuthRoutes(baseUrl: string, mailbox: OAuthMailbox): Router {
  const router = Router();

  router.post("/console/api/oauth-slot", (_req, res) => {
    const slot = mailbox.open();
    res.json({
      slot,
      state_url: `${baseUrl}/console/oauth/state/${slot}`,
      state_redir_url: `${baseUrl}/console/oauth/redirect/${slot}`,
    });
  });

  // v1: the hub itself POSTs the sealed login here (Looker's state_url).
  const smallJson = bodyParser.json({ limit: MAX_DELIVERED_LENGTH, type: () => true, strict: false });
  router.post("/console/oauth/state/:slot", smallJson, (req, res) => {
    if (mailbox.deliver(req.params.slot, { kind: "state", value: bodyText(req) })) {
      res.json({});
    } else {
      res.status(404).json({ success: false, error: "No console login is waiting at this address." });
    }
  });

  // v2: the browser lands here after the vendor (Looker's state_redir_url), with the sealed code.
  router.get("/console/oauth/redirect/:slot", (req, res) => {
    const sealed = typeof req.query.state === "string" ? req.query.state : "";
    if (sealed && mailbox.deliver(req.params.slot, { kind: "code", value: sealed })) {
      page(res, 200, "Login received",
        "Go back to the console's tab: it finishes the login by itself. You can close this tab.");
    } else {
      page(res, 404, "No login is waiting here",
        "This console login was finished already or expired. Open the integration in the console again.");
    }
  });

  // The console tab asks for what arrived (with its key, like every console POST).
  router.post("/console/api/oauth/:slot", (req, res) => {
    const taken = mailbox.take(req.params.slot);
    if (taken === "pending" || taken === "unknown") { return void res.json({ status: taken }); }
    res.json(taken.kind === "state" ? { status: "state", state: taken.value } : { status: "code", code: taken.value });
  });
  return router;
}
