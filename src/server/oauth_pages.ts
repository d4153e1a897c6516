// The small HTML pages a person's browser sees during a login: the outcome in one sentence, in
// the page's own words, never JSON or a stack trace. The pages load nothing and are not cached,
// and send no Referer (the address they were reached at holds a login code).
import { Response } from "express";
import { LoginPage } from "../hub/oauth/login_flow";

function escapeHtml(text: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

export function renderLoginPage(page: LoginPage, label: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}
small{color:#666}</style></head><body>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
<p><small>${escapeHtml(label)}</small></p>
</body></html>
`;
}

/** Answers a browser with a page, with the headers that keep it private. */
export function sendLoginPage(res: Response, page: LoginPage, label: string): void {
  res.status(page.status)
    .set("Cache-Control", "no-store")
    .set("Referrer-Policy", "no-referrer")
    .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set("X-Content-Type-Options", "nosniff")
    .type("html")
    .send(renderLoginPage(page, label));
}

/** Redirects a browser without leaking the address it came from. */
export function sendLoginRedirect(res: Response, location: string): void {
  res.status(302).set("Cache-Control", "no-store").set("Referrer-Policy", "no-referrer")
    .set("Location", location).end();
}
