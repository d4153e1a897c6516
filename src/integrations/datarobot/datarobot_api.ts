// DataRobot's REST API as the datarobot integration uses it: the token check (list projects),
// project creation from a URL (`POST /api/v2/projects/`, answered 202 with the status URL in
// Location) and the status of that creation (200 while it runs, 303 to the project when done).
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { HttpUnavailableError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { abortableSleep, currentSignal } from "../../lib/abort_scope";

export interface DataRobotApi {
  /** `<origin>/api/v2`. */
  apiUrl: string;
  /** False when the URL came from the admin's `datarobot_url` param: then it is URL-guarded. */
  trusted: boolean;
  token: string;
  http: HttpClient;
  logger: Logger;
}

export type Creation =
  | { state: "created"; projectId?: string; projectName?: string }
  | { state: "running" }
  | { state: "failed"; message: string };

const WHO = "DataRobot";

function headers(api: DataRobotApi, json = false): Record<string, string> {
  return { authorization: `Token ${api.token}`, accept: "application/json",
    ...(json ? { "content-type": "application/json" } : {}) };
}

/** DataRobot's own words for a refusal: its `message`, then the fields of `errors`. */
function said(answer: any): string {
  const parts: string[] = [];
  if (typeof answer?.message === "string" && answer.message) { parts.push(answer.message); }
  if (answer?.errors && typeof answer.errors === "object") {
    for (const [field, text] of Object.entries(answer.errors)) {
      parts.push(`${field}: ${typeof text === "string" ? text : JSON.stringify(text)}`);
    }
  }
  return parts.join("; ").slice(0, 300);
}

function refused(status: number, answer: any, doing: string): UserError {
  if (status === 401 || status === 403) {
    return new UserError(`DataRobot refused the API token (HTTP ${status}) while ${doing}. Check the DataRobot API ` +
      "token in the user attribute your Looker admin chose for this action (DataRobot: Developer Tools > API Keys).");
  }
  if (status === 404) {
    return new UserError(`DataRobot answered HTTP 404 while ${doing}: the DataRobot URL does not lead to DataRobot's ` +
      "API. Ask your Looker admin to check the action's DataRobot URL (e.g. https://app.datarobot.com).");
  }
  const words = said(answer);
  return new UserError(`DataRobot did not accept the request while ${doing} (HTTP ${status}${words ? `: ${words}` : ""}). ` +
    "Check the form and the action's settings, then try again.");
}

interface Answer { status: number; answer: any; location?: string; }

async function call(api: DataRobotApi, method: string, url: string, doing: string, body?: unknown): Promise<Answer> {
  let response: HttpResponse;
  try {
    response = await api.http.request({
      url, method, trusted: api.trusted, who: WHO, logger: api.logger, headers: headers(api, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      // 4xx carry DataRobot's reasons, worded below; 429 and 5xx are retried by the client.
      acceptStatus: (s) => s < 500 && s !== 429,
    });
  } catch (err) {
    if (err instanceof HttpUnavailableError && err.failure.status === undefined) {
      // No answer at all: the shared client's words say why (refused, cut, too slow) and what to do.
      throw new RetryableError(err.message.replace(/^DataRobot /, `While ${doing}, DataRobot `));
    }
    if (err instanceof HttpUnavailableError) {
      throw new UserError(`DataRobot ${err.failure.status === 429 ? "kept answering that it is busy (HTTP 429)"
        : "could not be reached or kept failing"} while ${doing}. Try again later.`);
    }
    throw err;
  }
  let answer: any;
  try { answer = response.json(); } catch { answer = undefined; }
  const location = response.headers.location;
  return { status: response.status, answer, location: location ? new URL(location, url).toString() : undefined };
}

/** Throws a UserError unless DataRobot accepts the token (it has no "who am I" call: list projects). */
export async function checkToken(api: DataRobotApi): Promise<void> {
  const answer = await call(api, "GET", `${api.apiUrl}/projects/`, "checking the API token");
  if (answer.status >= 300) { throw refused(answer.status, answer.answer, "checking the API token"); }
  // Another site answers 200 too (a page, not DataRobot's project list).
  if (!Array.isArray(answer.answer) && !Array.isArray(answer.answer?.data)) {
    throw new UserError("The DataRobot URL does not lead to DataRobot's API (its answer is not DataRobot's project " +
      "list). Ask your Looker admin to check the action's DataRobot URL (e.g. https://app.datarobot.com).");
  }
}

/** Asks DataRobot to make a project from the data at `url`; answers the status URL to follow. */
export async function createProject(api: DataRobotApi, projectName: string, url: string): Promise<string | undefined> {
  const doing = "creating the project";
  const answer = await call(api, "POST", `${api.apiUrl}/projects/`, doing, { projectName, url });
  if (answer.status >= 300) { throw refused(answer.status, answer.answer, doing); }
  return answer.location;
}

/** Follows a creation's status until it ends or `waitMs` passes. */
export async function followCreation(api: DataRobotApi, statusUrl: string, waitMs: number, pollMs: number):
  Promise<Creation> {
  const until = Date.now() + waitMs;
  for (;;) {
    const answer = await call(api, "GET", statusUrl, "following the project's creation");
    if (answer.status >= 300) { throw refused(answer.status, answer.answer, "following the project's creation"); }
    const body = answer.answer ?? {};
    const status = typeof body.status === "string" ? body.status.toUpperCase() : undefined;
    if (status === "ERROR" || status === "ABORTED") {
      return { state: "failed", message: typeof body.message === "string" ? body.message.slice(0, 300) : "" };
    }
    // The 303 was followed: the answer is the project itself.
    if (status === undefined || status === "COMPLETED") {
      return { state: "created", projectId: stringOr(body.id ?? body.pid), projectName: stringOr(body.projectName) };
    }
    if (Date.now() + pollMs > until) { return { state: "running" }; }
    // Looker hanging up ends the wait: nobody reads its answer.
    await abortableSleep(pollMs, currentSignal());
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}
