// The typed request an integration receives, built from Looker's payload and headers.
import { Logger } from "../lib/logger";
import { BadRequestError } from "../lib/errors";
import { ownRecord } from "../lib/own";
import type { Delivery } from "./delivery";
import { candidateFormats, cleanExtension, FormatHints, formatInfo } from "./formats";
import { LookerVersion } from "./looker_version";
import type { OAuthSession } from "./oauth/oauth_session";

export type ActionType = "cell" | "query" | "dashboard";
export const ACTION_TYPES: readonly ActionType[] = ["cell", "query", "dashboard"];

export interface ScheduledPlan {
  scheduledPlanId?: string;
  title?: string;
  type?: string;
  url?: string;
  queryId?: string;
  /** The query as Looker sent it (`fields`, `filters`, `vis_config`, ...). */
  query?: Record<string, any>;
  filtersDifferFromLook?: boolean;
  downloadUrl?: string;
  asyncCallbackUrl?: string;
}

export interface Attachment {
  mimetype?: string;
  extension?: string;
}

/** Ids and names that go on every log line of the request; nothing secret. */
export interface RequestContext {
  requestId: string;
  webhookId?: string;
  instanceId?: string;
  lookerVersion: LookerVersion;
  logger: Logger;
  /** Aborted when Looker hangs up: whatever the request still does should stop. */
  signal?: AbortSignal;
  /** `X-Hub-Dry-Run: true`: check what can be checked, write nothing (docs/dry_run.md). */
  dryRun?: boolean;
}

export class ActionRequest {
  /** Admin params and user-attribute params, by param name (reserved keys removed). */
  params: Record<string, string> = ownRecord<string>();
  formParams: Record<string, string> = ownRecord<string>();
  type?: ActionType;
  scheduledPlan?: ScheduledPlan;
  attachment?: Attachment;
  /** The user's stored state (`data.state_json`), as Looker sent it. */
  state?: string;
  /** `data.state_url` of the OAuth v1 flow. */
  stateUrl?: string;
  /** `data.state_redir_url` of the OAuth v2 flow. */
  stateRedirUrl?: string;
  /** A cell action's clicked value and its rendering. */
  cellValue?: string;
  cellRendered?: string;
  /** True for a connection test from Looker's admin page. */
  isTest = false;
  /** The delivery's data, when there is any. */
  delivery?: Delivery;
  /** The user's login, for integrations that declare OAuth (set by the hub before they run). */
  oauth?: OAuthSession;
  /** The format settled by `resolveDeliveryFormat` (src/hub/format_resolution.ts). */
  resolvedFormat?: string;

  constructor(readonly context: RequestContext) {}

  get logger(): Logger { return this.context.logger; }
  get lookerVersion(): LookerVersion { return this.context.lookerVersion; }
  get instanceId(): string | undefined { return this.context.instanceId; }
  get webhookId(): string | undefined { return this.context.webhookId; }
  /** Aborted when Looker hangs up on the request (the shared HTTP client also picks it up by itself). */
  get signal(): AbortSignal | undefined { return this.context.signal; }
  /** A dry run: nothing may be written anywhere (src/lib/dry_run.ts). */
  get dryRun(): boolean { return this.context.dryRun === true; }

  /** What Looker said about the delivery's format. */
  get formatHints(): FormatHints {
    return {
      formFormat: this.formParams.format, mimetype: this.attachment?.mimetype, extension: this.attachment?.extension,
    };
  }

  /**
   * The delivery's Looker format (`csv`, `json_detail`, `wysiwyg_pdf`, ...): settled from the
   * hints and the content before the integration runs; until then the likeliest from the hints.
   */
  get format(): string | undefined {
    return this.resolvedFormat ?? candidateFormats(this.formatHints)[0];
  }

  /** The file extension of the delivery (`csv`, `json`, `pdf`), without the dot. */
  get fileExtension(): string | undefined {
    return cleanExtension(this.attachment?.extension) ?? formatInfo(this.format)?.extension;
  }

  /** A title for files and messages: the schedule's title, else a generic one. */
  suggestedTitle(): string {
    return (this.scheduledPlan?.title ?? "").trim() || "Looker data";
  }
}

const RESERVED_DATA_KEYS = new Set(["state_url", "state_redir_url", "state_json", "test", "value", "rendered"]);

function asString(value: unknown): string | undefined {
  if (value === null || value === undefined) { return undefined; }
  if (typeof value === "string") { return value; }
  if (typeof value === "number" || typeof value === "boolean") { return String(value); }
  try {
    return JSON.stringify(value);
  } catch {
    // Only hostile bodies get here (nesting deep enough to exhaust the stack).
    throw new BadRequestError("The request body nests values too deeply; Looker sends strings here.");
  }
}

function stringMap(value: unknown, what: string, skip?: Set<string>): Record<string, string> {
  if (value === null || value === undefined) { return ownRecord<string>(); }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new BadRequestError(`"${what}" must be a JSON object.`);
  }
  // Keys are the request's: no prototype, so `__proto__` or `constructor` are plain keys.
  const out = ownRecord<string>();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (skip?.has(key)) { continue; }
    const s = asString(v);
    if (s !== undefined) { out[key] = s; }
  }
  return out;
}

/** Applies the parts of the payload other than the attachment's data. */
export function applyPayloadFields(request: ActionRequest, key: string, value: unknown): void {
  switch (key) {
    case "type":
      if (value === null || value === undefined) { return; }
      if (typeof value !== "string" || !ACTION_TYPES.includes(value as ActionType)) {
        throw new BadRequestError(`"type" must be one of ${ACTION_TYPES.join(", ")}.`);
      }
      request.type = value as ActionType;
      return;
    case "data": {
      request.params = stringMap(value, "data", RESERVED_DATA_KEYS);
      const data = (value ?? {}) as Record<string, unknown>;
      request.state = asString(data.state_json);
      request.stateUrl = asString(data.state_url);
      request.stateRedirUrl = asString(data.state_redir_url);
      request.cellValue = asString(data.value);
      request.cellRendered = asString(data.rendered);
      request.isTest = data.test === true || data.test === "true";
      return;
    }
    case "form_params":
      request.formParams = stringMap(value, "form_params");
      return;
    case "scheduled_plan":
      request.scheduledPlan = parseScheduledPlan(value);
      return;
    case "state":
      if (request.state === undefined) { request.state = asString(value); }
      return;
    default:
      return;
  }
}

function parseScheduledPlan(value: unknown): ScheduledPlan | undefined {
  if (value === null || value === undefined) { return undefined; }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new BadRequestError("\"scheduled_plan\" must be a JSON object.");
  }
  const plan = value as Record<string, any>;
  const query = plan.query && typeof plan.query === "object" && !Array.isArray(plan.query) ? plan.query : undefined;
  return {
    scheduledPlanId: asString(plan.scheduled_plan_id),
    title: asString(plan.title),
    type: asString(plan.type),
    url: asString(plan.url),
    queryId: asString(plan.query_id),
    query,
    filtersDifferFromLook: plan.filters_differ_from_look === true,
    downloadUrl: asString(plan.download_url),
    asyncCallbackUrl: asString(plan.async_callback_url),
  };
}

/** Reads an attachment's descriptive fields (the data itself is handled separately). */
export function parseAttachment(value: unknown): Attachment | undefined {
  if (value === null || value === undefined) { return undefined; }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new BadRequestError("\"attachment\" must be a JSON object.");
  }
  const a = value as Record<string, unknown>;
  return { mimetype: headerSafe(asString(a.mimetype), "mimetype"), extension: headerSafe(asString(a.extension), "extension") };
}

/** The mimetype and extension end up in headers and file names: line breaks or controls there are bad input. */
function headerSafe(text: string | undefined, what: string): string | undefined {
  if (text !== undefined && /[\u0000-\u001f\u007f]/.test(text)) {
    throw new BadRequestError(`"attachment.${what}" contains a line break or control character; Looker sends ` +
      "a plain MIME type and file extension there.");
  }
  return text;
}
