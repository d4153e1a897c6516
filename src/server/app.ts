// The Express app: routes only, no listen(), so tests mount it as it is.
import express, { NextFunction, Request, Response } from "express";
import { v4 as uuidv4 } from "uuid";
import { Config } from "../config";
import { parseLookerVersion } from "../hub/looker_version";
import { setSpoolDirectory } from "../data/delivery/spool";
import { configureRowWorkers } from "../data/rows/row_workers";
import { Registry } from "../hub/registry";
import { Logger } from "../lib/logger";
import { OAuthHub } from "../hub/oauth/oauth_hub";
import { Sealer } from "../hub/oauth/sealing";
import { OfficialCipher } from "../hub/oauth/official_cipher";
import { DownloadStore } from "../console/download_store";
import { LogRing } from "../lib/log_ring";
import { actionRoutes } from "./action_routes";
import { closeAfterUnreadBody, DEFAULT_MAX_JSON_BODY_BYTES, methodNotAllowed, smallJsonBody } from "./bodies";
import { requireApiKey } from "./auth";
import { OAuthMailbox } from "../console/oauth_mailbox";
import { consoleOAuthRoutes, isConsoleStatePath } from "./console_oauth_routes";
import { consoleDisabledRoutes, consoleRoutes } from "./console_routes";
import { errorHandler } from "./errors";
import { Lifecycle } from "./lifecycle";
import { HubMetrics, metricsRoute } from "./metrics";
import { oauthRoutes } from "./oauth_routes";
import { renderStatusPage } from "./status_page";
import { developmentNotes } from "../config/development_notes";

export interface AppOptions {
  config: Config;
  registry: Registry;
  logger: Logger;
  /** Largest list, definition or form body (read whole, after decompression), in bytes. */
  maxJsonBodyBytes?: number;
  metrics?: HubMetrics;
  lifecycle?: Lifecycle;
  /** The login machinery; tests pass one with a clock of their own. */
  oauth?: OAuthHub;
}

/**
 * The Looker version of a request: from Looker's User-Agent. A browser cannot set its
 * User-Agent, so while the console is on, its version selector's header stands in for it.
 */
function lookerVersionOf(req: Request, consoleEnabled: boolean) {
  const agent = req.get("user-agent");
  const chosen = req.get("x-console-looker-version");
  if (consoleEnabled && chosen && !parseLookerVersion(agent)) {
    return parseLookerVersion(`LookerOutgoingWebhook/${chosen}`);
  }
  return parseLookerVersion(agent);
}

/**
 * Looker's ids are at most a few dozen characters; a header or path from anyone (before the token
 * check) is cut here, so a refused request cannot write kilobytes into the log.
 */
const LOGGED_VALUE_LIMIT = 128;
const LOGGED_PATH_LIMIT = 256;

function cut(value: string | undefined, limit = LOGGED_VALUE_LIMIT): string | undefined {
  if (!value) { return undefined; }
  return value.length > limit ? `${value.slice(0, limit)}...(${value.length} characters)` : value;
}

/** Gives the request an id and a logger carrying the ids Looker sent; logs one access line. */
function requestContext(logger: Logger, consoleEnabled: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = uuidv4();
    res.locals.requestId = requestId;
    res.locals.lookerVersion = lookerVersionOf(req, consoleEnabled);
    res.locals.logger = logger.child({
      requestId,
      webhookId: cut(req.get("x-looker-webhook-id")),
      instanceId: cut(req.get("x-looker-instance")),
    });
    res.setHeader("X-Request-Id", requestId);
    let logged = false;
    const access = () => {
      if (logged) { return; }
      logged = true;
      // Below LOG_LEVEL the line is not even built.
      if (!logger.isLevelEnabled("info")) { return; }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      (res.locals.logger as Logger).info("request", {
        method: req.method, path: cut(req.path, LOGGED_PATH_LIMIT), status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        // The answer did not get out, or the client left before its request was complete.
        aborted: !res.writableFinished || req.aborted || undefined,
      });
    };
    res.on("finish", access);
    res.on("close", access);
    next();
  };
}

/** Routes anyone may GET (with `/`, the status page); every other request needs the token. */
const GET_ONLY_PATHS = ["/status", "/metrics"];

/** A path for an answer: what is not printable ASCII is escaped, and it is kept short. */
function safePath(path: string): string {
  const clean = path.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c));
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}

export function createApp(options: AppOptions): express.Express {
  const { config, registry, logger } = options;
  const metrics = options.metrics ?? new HubMetrics(false);
  const lifecycle = options.lifecycle ?? new Lifecycle();
  const oauth = options.oauth ?? new OAuthHub(new Sealer(config.secret), config.baseUrl, Date.now,
    config.cipherMaster ? new OfficialCipher(config.cipherMaster) : undefined);
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(lifecycle.middleware());
  app.use(closeAfterUnreadBody());
  const consoleEnabled = config.console.enabled;
  // The console's log ring is a transport of the same logger: it holds the lines the logs hold.
  const logRing = consoleEnabled ? new LogRing() : undefined;
  if (logRing) { logger.add(logRing); }
  app.use(requestContext(logger, consoleEnabled));

  const startedAt = Date.now();
  const page = renderStatusPage(registry, config.label, config.baseUrl, config.version, oauth,
    developmentNotes(config));
  app.get("/", (_req, res) => { res.type("html").send(page); });
  app.get("/metrics", metricsRoute(metrics, config.metricsToken));
  app.get("/status", (_req, res) => {
    // While draining for a shutdown, 503 takes this replica out of load balancer rotation.
    res.status(lifecycle.draining ? 503 : 200).json({
      ok: !lifecycle.draining,
      draining: lifecycle.draining,
      version: config.version,
      commit: config.gitCommit ?? null,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      integrations: registry.integrations.length,
    });
  });

  setSpoolDirectory(config.spoolDir);
  configureRowWorkers(config.rowWorkerThreads, config.spoolDir);
  // No body is read but by a route that takes one, after its token check (src/server/bodies.ts):
  // other methods get 405 and unknown paths 404, unread.
  app.all(GET_ONLY_PATHS, methodNotAllowed(["GET", "HEAD"]));
  const apiKey = requireApiKey(config.secret);
  // The Action API first: its list, forms and executes are nearly all the traffic, and no other
  // route shares their paths (the OAuth routes are /actions/:name/oauth*, the console's /console/*).
  app.use(actionRoutes({
    auth: apiKey,
    registry,
    metrics,
    oauth,
    keepAliveIntervalMs: config.keepAliveIntervalMs,
    maxConcurrentDeliveries: config.maxConcurrentDeliveries,
    maxJsonBodyBytes: options.maxJsonBodyBytes,
    deliveryLimits: {
      maxBytes: config.maxDeliveryBytes,
      connectTimeoutMs: config.downloadConnectTimeoutMs,
      idleTimeoutMs: config.downloadIdleTimeoutMs,
      totalTimeoutMs: config.downloadTotalTimeoutMs,
      minBytesPerSecond: config.downloadMinBytesPerSecond,
    },
  }));
  // The console's API takes the key, then a small body. Its own state_url is the one POST
  // without it: the hub itself posts a login there, and the one-time slot in its path is the credential.
  app.post("/console/*", (req, res, next) => logRing && isConsoleStatePath(req.path) ? next() : apiKey(req, res, next));
  if (logRing) {
    app.post("/console/api/*", smallJsonBody(DEFAULT_MAX_JSON_BODY_BYTES));
    app.use(consoleOAuthRoutes(config.baseUrl, new OAuthMailbox()));
  }
  app.use(oauthRoutes({ registry, oauth, secret: config.secret, label: config.label }));
  app.use(logRing
    ? consoleRoutes({ baseUrl: config.baseUrl, logRing, downloads: new DownloadStore(), policy: registry.policy })
    : consoleDisabledRoutes());

  app.use((req, res) => {
    // The body, if any, stays unread: this connection is not reused.
    res.set("Connection", "close");
    res.status(404).json({ success: false, error: `Nothing at ${req.method} ${safePath(req.path)}.` });
  });
  app.use(errorHandler(logger));
  return app;
}
