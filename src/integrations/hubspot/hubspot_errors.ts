// What HubSpot's answers mean for a batch: which rows a 207 or a 400 names, which errors are
// about one row's value (reject the row) and which about the whole request (stop: every row
// would fail the same way), and how long a 429 asks to wait, from HubSpot's own headers.
import { HttpResponse } from "../../lib/http_client";

/** One problem HubSpot reported. */
export interface HubspotProblem {
  /** INVALID_EMAIL, OBJECT_NOT_FOUND, PROPERTY_DOESNT_EXIST, ... */
  code: string;
  message: string;
  /** The property it is about, when HubSpot says. */
  property?: string;
  /** Record ids it is about (207 answers and some 400s). */
  ids: string[];
}

interface ErrorBody {
  status?: string;
  message?: string;
  category?: string;
  errors?: Array<{ message?: string; code?: string; category?: string; context?: Record<string, unknown> }>;
  policyName?: string;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** The problems of an answer: its `errors`, and the property checks HubSpot puts inside `message` as JSON. */
export function problemsOf(body: ErrorBody | undefined): HubspotProblem[] {
  if (!body || typeof body !== "object") { return []; }
  const problems: HubspotProblem[] = [];
  for (const e of Array.isArray(body.errors) ? body.errors : []) {
    problems.push({
      code: String(e.code ?? e.category ?? body.category ?? "ERROR"), message: String(e.message ?? ""),
      property: strings(e.context?.propertyName)[0], ids: strings(e.context?.ids),
    });
  }
  const embedded = typeof body.message === "string" ? /\[\{.*\}\]/s.exec(body.message) : null;
  if (embedded) {
    try {
      for (const check of JSON.parse(embedded[0]) as Array<Record<string, unknown>>) {
        if (check.isValid === false && typeof check.error === "string") {
          problems.push({ code: check.error, message: String(check.message ?? ""),
            property: typeof check.name === "string" ? check.name : undefined, ids: [] });
        }
      }
    } catch { /* not the JSON list HubSpot writes there: the errors list suffices */ }
  }
  if (problems.length === 0 && body.category) {
    problems.push({ code: body.category, message: String(body.message ?? ""), ids: [] });
  }
  return problems;
}

/** Problems no row can avoid: stop the delivery instead of rejecting every row one by one. */
export function isRequestProblem(problem: HubspotProblem): boolean {
  return /PROPERTY_DOESNT_EXIST|READ_ONLY|NOT_WRITABLE|MISSING_SCOPES|INVALID_AUTHENTICATION/.test(problem.code);
}

/** A row's problem as a countable reason: "unknown id", "invalid email", "invalid option (lifecyclestage)". */
export function reasonOf(problem: HubspotProblem): string {
  if (problem.code === "OBJECT_NOT_FOUND") { return "unknown id"; }
  if (problem.code === "INVALID_EMAIL") { return "invalid email"; }
  const words = problem.code.toLowerCase().replace(/_/g, " ");
  return problem.property ? `${words} (${problem.property})` : words;
}

const header = (response: HttpResponse, name: string) => {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * How long a 429 asks to wait: nothing more today when the daily limit is used up (Infinity
 * ends the retries), else the rest of HubSpot's rolling window (X-HubSpot-RateLimit-Interval-
 * Milliseconds once X-HubSpot-RateLimit-Remaining is 0); Retry-After when HubSpot sends one.
 */
export function hubspotRetryAfter(response: HttpResponse): number | undefined {
  if (response.status !== 429) { return undefined; }
  let policy: string | undefined;
  try { policy = (response.json() as ErrorBody).policyName; } catch { policy = undefined; }
  if (header(response, "x-hubspot-ratelimit-daily-remaining") === "0" || policy === "DAILY") { return Infinity; }
  if (header(response, "retry-after") !== undefined) { return undefined; }
  const interval = Number(header(response, "x-hubspot-ratelimit-interval-milliseconds"));
  if (header(response, "x-hubspot-ratelimit-remaining") === "0" && Number.isFinite(interval) && interval > 0) {
    return interval;
  }
  return undefined;
}
