// The Action API routes: the list, one definition, form and execute. Current paths are
// /actions/:name/...; the seed-era /integrations/:name/... paths answer the same.
import { NextFunction, Request, RequestHandler, Response, Router } from "express";
import { Readable } from "stream";
import { ActionForm } from "../hub/action_form";
import { resolveDeliveryFormat } from "../hub/format_resolution";
import { requestFromBody } from "../data/body/request_body";
import { ActionRequest, RequestContext } from "../hub/action_request";
import { ActionResponse } from "../hub/action_response";
import { DEFAULT_DELIVERY_LIMITS, DeliveryLimits } from "../data/delivery/read_once";
import { MeteredDelivery } from "../data/delivery/delivery_meter";
import { UserError } from "../lib/errors";
import { Integration } from "../hub/integration";
import { LookerVersion } from "../hub/looker_version";
import { ExecuteBody, readExecuteBody } from "../data/body/payload_stream";
import { cutOffError } from "../data/body/execute_body";
import { requestFromWholeExecute } from "../data/body/whole_execute_body";
import { Registry } from "../hub/registry";
import { OAuthHub } from "../hub/oauth/oauth_hub";
import { validateFormValues, validateRequest } from "../hub/validation";
import { Logger } from "../lib/logger";
import { markFailure, typedValues } from "./delivery_failure";
import { executeErrorAnswer, formErrorAnswer, logError, normalizeError, plainErrorAnswer } from "./errors";
import { sendJson, startKeepAlive } from "./keepalive";
import { DEFAULT_MAX_JSON_BODY_BYTES, methodNotAllowed, smallJsonBody } from "./bodies";
import { ClientWatch } from "./client_watch";
import { DeliveryGate, Release } from "./delivery_gate";
import { jsonText, plainLength, readWhole } from "./plain_body";
import { HubMetrics, Outcome } from "./metrics";
import { PolicyGate } from "./policy_gate";
import { runDryRun } from "./dry_run";
import { PolicyRefusal } from "../hub/policy";

export interface ActionRouteOptions {
  /** The token check, run before any body is read. */
  auth: RequestHandler;
  registry: Registry;
  metrics: HubMetrics;
  oauth: OAuthHub;
  keepAliveIntervalMs: number;
  deliveryLimits?: DeliveryLimits;
  /** Largest list, definition or form body, after decompression; default 1 MiB. */
  maxJsonBodyBytes?: number;
  /** Executes run at once; the next wait their turn with keep-alive newlines (default: no limit). */
  maxConcurrentDeliveries?: number;
}

/** Executes with a declared body under this many bytes run whatever MAX_CONCURRENT_DELIVERIES says. */
export const SMALL_DELIVERY_BYTES = 1024 * 1024;
const NO_RELEASE: Release = () => undefined;

function outcomeOf(err: unknown): Outcome {
  return err instanceof UserError ? "failure" : "error";
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 4 does not await handlers: a rejection here becomes a JSON error, never a crash. */
function safe(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

function lookerVersion(res: Response): LookerVersion {
  return res.locals.lookerVersion;
}

function integrationFor(registry: Registry, req: Request, res: Response): Integration {
  const integration = registry.get(req.params.name, lookerVersion(res));
  res.locals.integration = integration.name;
  res.locals.logger = (res.locals.logger as Logger).child({ integration: integration.name });
  return integration;
}

function requestContext(req: Request, res: Response): RequestContext {
  const watch = ClientWatch.of(res);
  return {
    requestId: res.locals.requestId,
    webhookId: req.get("x-looker-webhook-id") || undefined,
    instanceId: req.get("x-looker-instance") || undefined,
    dryRun: /^(true|1|yes)$/i.test(req.get("x-hub-dry-run") ?? ""),
    lookerVersion: lookerVersion(res),
    logger: res.locals.logger,
    get signal() { return watch.signal; },
  };
}

function buildRequest(req: Request, res: Response): ActionRequest {
  return requestFromBody(req.body, requestContext(req, res));
}

function readBody(req: Request, res: Response, limits: DeliveryLimits): Promise<ExecuteBody> {
  const context = requestContext(req, res);
  if (plainLength(req, limits.maxBytes || Number.MAX_SAFE_INTEGER) !== undefined) {
    return readSmallBody(req, context, limits);
  }
  const length = req.get("content-length");
  return readExecuteBody({
    readable: req,
    declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    encoding: req.get("content-encoding"),
    // Whatever of the body is unread stays unread: this connection is not reused.
    abandon: () => { if (!res.headersSent) { res.set("Connection", "close"); } },
  }, context, limits);
}

/**
 * A short plain execute body, read whole: a cell action, a link, inline values become their
 * request at once (whole_execute_body.ts); data to stream, or anything refused, goes through
 * the streaming reader from the bytes read, which answers as it would have from the socket.
 */
function readSmallBody(req: Request, context: RequestContext, limits: DeliveryLimits): Promise<ExecuteBody> {
  return new Promise((resolve, reject) => readWhole(req, (bytes) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(jsonText(bytes));
    } catch {
      parsed = undefined;
    }
    const request = parsed === undefined ? undefined : requestFromWholeExecute(parsed, context, limits);
    if (request) { return resolve({ request, dispose: () => undefined }); }
    resolve(readExecuteBody({ readable: Readable.from([bytes], { objectMode: false }), declaredLength: bytes.length },
      context, limits));
  }, (bytesRead) => reject(cutOffError(undefined, undefined, bytesRead))));
}

async function runForm(integration: Integration, request: ActionRequest): Promise<ActionForm> {
  if (!integration.form) { return new ActionForm(); }
  return integration.form(request);
}

async function validateForm(integration: Integration, request: ActionRequest): Promise<void> {
  if (integration.form && request.type !== "cell") {
    const form = integration.validationForm ? integration.validationForm(request) : integration.form(request);
    validateFormValues(await form, request);
  }
}

async function runExecute(
  integration: Integration, request: ActionRequest, policy: PolicyGate,
): Promise<ActionResponse> {
  policy.checkUser(integration, request);
  validateRequest(integration, request);
  await resolveDeliveryFormat(request, integration.formatsFor({ lookerVersion: request.lookerVersion }));
  // After the format is settled and before the integration reads a byte.
  await policy.applyFieldRules(integration, request);
  if (request.dryRun) { return runDryRun(integration, request); }
  await validateForm(integration, request);
  return integration.execute(request);
}

export function actionRoutes(options: ActionRouteOptions): Router {
  const { registry, metrics, oauth, keepAliveIntervalMs } = options;
  const deliveryLimits = options.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS;
  const router = Router();
  const { auth } = options;
  const jsonBody = smallJsonBody(options.maxJsonBodyBytes ?? DEFAULT_MAX_JSON_BODY_BYTES);
  const gate = new DeliveryGate(options.maxConcurrentDeliveries ?? Number.MAX_SAFE_INTEGER);
  const policy = new PolicyGate(registry.policy, metrics);
  const instanceOf = (req: Request) => req.get("x-looker-instance") || undefined;

  /**
   * Waits for a delivery's turn, its body unread; newlines keep the connection alive meanwhile.
   * A small declared body (a cell action, a few rows) never waits: it costs little, and must
   * not queue behind big deliveries stuck on a slow vendor.
   */
  const turn = async (req: Request, res: Response): Promise<Release> => {
    const waiting = gate.active >= gate.limit ? startKeepAlive(res, keepAliveIntervalMs) : undefined;
    try {
      return await gate.enter(ClientWatch.of(res).signal);
    } finally {
      waiting?.stop();
    }
  };

  router.post("/", auth, jsonBody, (req, res) => {
    res.type("application/json").send(registry.listJson(lookerVersion(res), instanceOf(req)));
  });

  const definition: Handler = async (req, res) => {
    const integration = integrationFor(registry, req, res);
    if (registry.policy && !registry.policy.offers(instanceOf(req), integration.name)) {
      res.status(404).json({ success: false, error: `${integration.label} is not offered to this Looker instance ` +
        "by the hub's policy." });
      return;
    }
    res.json(registry.definition(integration, lookerVersion(res)));
  };

  const form: Handler = async (req, res) => {
    let integration: Integration;
    let request: ActionRequest;
    try {
      integration = integrationFor(registry, req, res);
      request = buildRequest(req, res);
      oauth.attach(integration, request);
    } catch (err) {
      logError(res.locals.logger, err, "form");
      const answer = plainErrorAnswer(err, res.locals.requestId);
      return sendJson(res, answer.status, answer.body);
    }
    const keepAlive = startKeepAlive(res, keepAliveIntervalMs);
    try {
      policy.checkInstance(integration, request.instanceId, request.logger);
      policy.checkUser(integration, request);
      const result = await ClientWatch.of(res).untilGone(
        () => oauth.form(integration, request, () => runForm(integration, request)));
      metrics.formAnswered(integration.name, result.error ? "failure" : "success");
      sendJson(res, 200, result.toJSON());
    } catch (err) {
      metrics.formAnswered(integration.name, outcomeOf(err));
      logError(res.locals.logger, err, "form");
      const answer = formErrorAnswer(err, res.locals.requestId);
      sendJson(res, answer.status, answer.body);
    } finally {
      keepAlive.stop();
    }
  };

  const execute: Handler = async (req, res) => {
    let integration: Integration;
    let body: ExecuteBody;
    let reading = false;
    let release: Release | undefined;
    try {
      integration = integrationFor(registry, req, res);
      policy.checkInstance(integration, instanceOf(req), res.locals.logger);
      const declared = Number(req.get("content-length") ?? NaN);
      release = declared < SMALL_DELIVERY_BYTES ? NO_RELEASE : await turn(req, res);
      reading = true;
      body = await readBody(req, res, deliveryLimits);
    } catch (err) {
      release?.();
      logError(res.locals.logger, err, "execute");
      // Unread, the body stays unread: this connection is not reused. (A body being read is
      // read to its end after a failure, so that the answer reaches the client.)
      if (!reading && !res.headersSent) { res.set("Connection", "close"); }
      // The policy's refusal is the delivery's outcome, answered as Looker reads outcomes (with its reference).
      if (err instanceof PolicyRefusal) {
        const refused = executeErrorAnswer(err, res.locals.requestId);
        return sendJson(res, refused.status, markFailure(refused.body, res.locals.logger, {
          requestId: res.locals.requestId, webhookId: req.get("x-looker-webhook-id") || undefined,
          integration: req.params.name }));
      }
      const answer = plainErrorAnswer(err, res.locals.requestId);
      return sendJson(res, answer.status, answer.body);
    }
    const request = body.request;
    oauth.attach(integration, request);
    const meter = request.delivery ? new MeteredDelivery(request.delivery) : undefined;
    request.delivery = meter;
    const keepAlive = startKeepAlive(res, keepAliveIntervalMs);
    const started = Date.now();
    const finished = metrics.deliveryStarted(integration.name);
    // A failure's answer ends with a reference that finds its one log line (delivery_failure.ts).
    const failure = { requestId: res.locals.requestId, webhookId: request.webhookId, integration: integration.name,
      typed: typedValues(request) };
    const details = () => ({ type: request.type, format: request.format, ms: Date.now() - started,
      dryRun: request.dryRun || undefined });
    try {
      const result = await ClientWatch.of(res).untilGone(
        () => oauth.execute(integration, request, () => runExecute(integration, request, policy)));
      // A dry run sent nothing: counted apart, so delivery rates and alerts see only deliveries.
      finished(request.dryRun && result.success ? "dry_run" : result.success ? "success" : "failure");
      const logger = res.locals.logger as Logger;
      if (result.success) {
        logger.info("delivery finished", { success: true, ...details() });
        sendJson(res, 200, result.toJSON());
      } else {
        const context = { ...failure, logMessage: result.logMessage };
        sendJson(res, 200, markFailure(result.toJSON(), logger, context, details()));
      }
    } catch (err) {
      finished(outcomeOf(err));
      // A user error is told by the failure line alone; anything else also logs its details.
      if (!(normalizeError(err) instanceof UserError)) { logError(res.locals.logger, err, "delivery"); }
      const answer = executeErrorAnswer(err, res.locals.requestId);
      sendJson(res, answer.status, markFailure(answer.body, res.locals.logger, failure, details()));
    } finally {
      keepAlive.stop();
      release();
      body.dispose();
      if (meter) { metrics.dataRead(integration.name, meter.bytes, meter.rows); }
    }
  };

  for (const prefix of ["/actions/:name", "/integrations/:name"]) {
    router.post(prefix, auth, jsonBody, safe(definition));
    router.post(`${prefix}/form`, auth, jsonBody, safe(form));
  }
  // No body parser: the execute handler reads the body as a stream.
  router.post("/actions/:name/execute", auth, safe(execute));
  router.post("/integrations/:name/action", auth, safe(execute));
  // The same matching (case-insensitive, trailing slash optional) answers other methods.
  router.all("/", methodNotAllowed(["GET", "HEAD", "POST"]));
  router.all(["/actions/:name", "/actions/:name/form", "/actions/:name/execute", "/integrations/:name",
    "/integrations/:name/form", "/integrations/:name/action"], methodNotAllowed(["POST"]));
  return router;
}
