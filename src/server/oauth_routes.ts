// The login routes, answered for every integration that declares OAuth:
//   GET  /actions/:name/oauth?state=...            (a person's browser) -> the vendor's consent page
//   GET  /actions/:name/oauth_redirect?code&state  (the vendor sends the browser back)
//   POST /actions/:name/oauth_token                (Looker, v2: the sealed code -> the state to store)
//   GET|POST /actions/:name/oauth_check            (Looker: does the stored login still work -> true/false)
// Browser routes answer HTML only; Looker's answer JSON like every other route.
import { NextFunction, Request, Response, Router } from "express";
import { requestFromBody } from "../data/body/request_body";
import { NotFoundError, UserError } from "../lib/errors";
import { Integration } from "../hub/integration";
import { Registry } from "../hub/registry";
import { LoginFlow, LoginPageError } from "../hub/oauth/login_flow";
import { OAuthHub } from "../hub/oauth/oauth_hub";
import { Logger } from "../lib/logger";
import { requireApiKey } from "./auth";
import { DEFAULT_MAX_JSON_BODY_BYTES, methodNotAllowed, smallJsonBody } from "./bodies";
import { logError, plainErrorAnswer } from "./errors";
import { sendLoginPage, sendLoginRedirect } from "./oauth_pages";

export interface OAuthRouteOptions {
  registry: Registry;
  oauth: OAuthHub;
  secret: string;
  label: string;
}

function queryString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function oauthRoutes(options: OAuthRouteOptions): Router {
  const { registry, oauth, label } = options;
  const flow = new LoginFlow(oauth);
  const router = Router();

  const integrationOf = (req: Request, res: Response): Integration => {
    const integration = registry.get(req.params.name, res.locals.lookerVersion);
    res.locals.logger = (res.locals.logger as Logger).child({ integration: integration.name });
    return integration;
  };

  /** A browser route: every failure is a page, whatever it was. */
  const browser = (step: (integration: Integration, req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response) => {
      const run = async () => step(integrationOf(req, res), req, res);
      run().catch((err) => {
        if (err instanceof LoginPageError) { return sendLoginPage(res, err.page, label); }
        logError(res.locals.logger, err, "login");
        const known = err instanceof UserError;
        const missing = err instanceof NotFoundError;
        sendLoginPage(res, {
          status: missing ? 404 : known ? 502 : 500,
          title: missing ? "No such integration" : "The login could not be completed",
          message: missing || known ? `${(err as Error).message} Start the login again from the form in Looker.`
            : `The hub hit an internal error (request id ${res.locals.requestId}). Start the login again from ` +
              "the form in Looker; if it persists, ask the hub's admin to check its logs.",
        }, label);
      });
    };

  /** A Looker route: JSON answers. */
  const looker = (step: (integration: Integration, req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, _next: NextFunction) => {
      const run = async () => step(integrationOf(req, res), req, res);
      run().catch((err) => {
        logError(res.locals.logger, err, "login");
        const answer = plainErrorAnswer(err, res.locals.requestId);
        res.status(answer.status).json(answer.body);
      });
    };

  router.get("/actions/:name/oauth", browser(async (integration, req, res) => {
    sendLoginRedirect(res, flow.start(integration, queryString(req.query.state)));
  }));

  router.get("/actions/:name/oauth_redirect", browser(async (integration, req, res) => {
    const query = Object.fromEntries(["code", "state", "error", "error_description"]
      .map((key) => [key, queryString(req.query[key])]));
    const result = await flow.finish(integration, query, res.locals.logger);
    if ("redirect" in result) { return sendLoginRedirect(res, result.redirect); }
    sendLoginPage(res, result.page, label);
  }));

  // Looker's routes: the token, then a small body (src/server/bodies.ts); the browser's read no body.
  const auth = requireApiKey(options.secret);
  const jsonBody = smallJsonBody(DEFAULT_MAX_JSON_BODY_BYTES);
  router.post("/actions/:name/oauth_token", auth, jsonBody, looker(async (integration, req, res) => {
    const sealed = queryString(req.body?.state) ?? queryString(req.query.state);
    const state = await flow.tokenAnswer(integration, sealed, res.locals.logger);
    // The answer is what Looker stores as the user's state.
    res.set("Cache-Control", "no-store").type("application/json").send(state);
  }));

  const check = looker(async (integration, req, res) => {
    const body = req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body) ? req.body : {};
    const request = requestFromBody(body, {
      requestId: res.locals.requestId, lookerVersion: res.locals.lookerVersion, logger: res.locals.logger,
      webhookId: req.get("x-looker-webhook-id") || undefined, instanceId: req.get("x-looker-instance") || undefined,
    });
    oauth.attach(integration, request);
    res.json(await flow.check(integration, request));
  });
  router.get("/actions/:name/oauth_check", auth, check);
  router.post("/actions/:name/oauth_check", auth, jsonBody, check);
  router.all(["/actions/:name/oauth", "/actions/:name/oauth_redirect"], methodNotAllowed(["GET", "HEAD"]));
  router.all("/actions/:name/oauth_token", methodNotAllowed(["POST"]));
  router.all("/actions/:name/oauth_check", methodNotAllowed(["GET", "HEAD", "POST"]));
  return router;
}
