// The console's routes (CONSOLE_ENABLED): GET /console and its files, the one-time download
// URLs it hands out for url deliveries, and what its page asks the hub with the API key (the
// samples, a Looker-shaped body for a delivery, the log lines of a request). The deliveries
// themselves go through the Action API routes, as Looker's do.
import express, { NextFunction, Request, Response, Router } from "express";
import * as fs from "fs";
import * as path from "path";
import { formatInfo } from "../hub/formats";
import { ALL_FORMATS } from "../hub/integration";
import { DownloadStore } from "../console/download_store";
import { deliveryData, executeBody, parseChoice } from "../console/looker_body";
import { SAMPLES } from "../console/samples";
import { LogRing } from "../lib/log_ring";
import type { DeliveryPolicy } from "../hub/policy";

export interface ConsoleRouteOptions {
  baseUrl: string;
  logRing: LogRing;
  downloads: DownloadStore;
  /** The delivery policy (POLICY_FILE), shown beside each integration. */
  policy?: DeliveryPolicy;
}

const PAGE_DIR = path.join(__dirname, "..", "console", "page");
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
};
/** The page loads only its own files; icons are data: URIs; it talks only to this hub. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

function pageDir(): string {
  if (fs.existsSync(PAGE_DIR)) { return PAGE_DIR; }
  // Compiled code runs from dist/src/...; the page's files stay in src/...
  return PAGE_DIR.replace(`${path.sep}dist${path.sep}src${path.sep}`, `${path.sep}src${path.sep}`);
}

/** The page's files, read once: name → bytes. */
function pageFiles(): Map<string, Buffer> {
  const dir = pageDir();
  return new Map(fs.readdirSync(dir).filter((f) => CONTENT_TYPES[path.extname(f)])
    .map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

function sendFile(res: Response, name: string, bytes: Buffer): void {
  res.set("Content-Security-Policy", CSP).set("X-Content-Type-Options", "nosniff").set("Cache-Control", "no-cache");
  res.type(CONTENT_TYPES[path.extname(name)]).send(bytes);
}

export function consoleRoutes(options: ConsoleRouteOptions): Router {
  const files = pageFiles();
  const router = Router();

  router.get(["/console", "/console/"], (_req, res) => sendFile(res, "index.html", files.get("index.html")!));
  router.get("/console/page/:file", (req, res, next) => {
    const bytes = files.get(req.params.file);
    if (bytes && req.params.file !== "index.html") { sendFile(res, req.params.file, bytes); } else { next(); }
  });

  // Fetched by the hub itself (as Looker's download_url would be): the token is the credential.
  router.get("/console/download/:token", (req, res) => {
    const stored = options.downloads.take(req.params.token);
    if (!stored) {
      res.status(404).json({ success: false, error: "This download URL was used already, expired, or never existed." });
      return;
    }
    res.set("Content-Type", stored.contentType).set("Cache-Control", "no-store").send(stored.bytes);
  });

  // Every POST below passed the API key check (app.ts checks it on every POST).
  router.post("/console/api/samples", (_req, res) => {
    res.json({ samples: SAMPLES, formats: ALL_FORMATS });
  });

  router.post("/console/api/body", (req: Request, res: Response, next: NextFunction) => {
    try {
      const choice = parseChoice(req.body);
      if (choice.download === "url" && choice.type !== "cell") {
        const data = deliveryData(choice);
        const token = options.downloads.put(data.bytes, formatInfo(data.format)!.contentType);
        const url = `${options.baseUrl}/console/download/${token}`;
        res.json({ body: executeBody(choice, url), download_url: url });
      } else {
        res.json({ body: executeBody(choice) });
      }
    } catch (err) {
      next(err);
    }
  });

  // What the delivery policy does to one integration (rules by place and line; no allowed values).
  router.post("/console/api/policy/:name", (req, res) => {
    res.json({ policy: options.policy?.describe(req.params.name) ?? null });
  });

  router.post("/console/api/logs/:requestId", (req, res) => {
    res.json(options.logRing.linesOf(req.params.requestId));
  });
  return router;
}

/** With the console off, its paths say how to turn it on instead of a bare 404. */
export function consoleDisabledRoutes(): express.RequestHandler {
  return (req, res, next) => {
    if (!/^\/console(\/|$)/.test(req.path)) { return next(); }
    res.status(404).json({
      success: false,
      error: "The console is off on this hub. Set CONSOLE_ENABLED=true to turn it on " +
        "(it is on by default in development).",
    });
  };
}
