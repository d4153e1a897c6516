// A Jira site as the params name it: Jira Cloud (REST API v3, an Atlassian account's email and API
// token) or Jira Data Center / Server (REST API v2), told apart by the host (*.atlassian.net) or the
// site's own serverInfo. On Data Center the Password is what the official hub sent, a password
// (Basic, with the Username), or a personal access token (Bearer): a PAT has its own shape, and a
// password refused as Basic is tried once as a token. The address is typed by an admin, so every
// call goes through the URL guard. Jira's errors become sentences.
import { ActionRequest } from "../../hub/action_request";
import { FormOption } from "../../hub/action_form";
import { UserError } from "../../lib/errors";
import { HttpBody, HttpClient } from "../../lib/http_client";
import { requestJson } from "../../lib/vendor_json";

/** Pages asked of a listing at most (50 items each): enough for any real site, bounded for a broken one. */
const MAX_PAGES = 100;

export class JiraSite {
  private constructor(
    private readonly http: HttpClient,
    private readonly request: ActionRequest,
    /** The site's base URL without a trailing slash (Data Center may have a context path). */
    readonly baseUrl: string,
    readonly cloud: boolean,
    private authorization: string,
    /** The Bearer token to try when Basic is refused (Data Center, a password that may be a PAT). */
    private tokenFallback?: string,
  ) {}

  get api(): string { return `${this.baseUrl}/rest/api/${this.cloud ? "3" : "2"}`; }

  static async connect(http: HttpClient, request: ActionRequest): Promise<JiraSite> {
    const baseUrl = siteUrl(request.params.address);
    const username = (request.params.username ?? "").trim();
    const secret = (request.params.password ?? "").trim();
    let cloud = /\.atlassian\.net$/i.test(new URL(baseUrl).hostname);
    if (!cloud) {
      // serverInfo answers without signing in on Cloud and Data Center alike.
      const info = await requestJson(http, {
        url: `${baseUrl}/rest/api/2/serverInfo`, who: "Jira", logger: request.logger,
      });
      cloud = !info.unavailable && info.answer?.deploymentType === "Cloud";
    }
    const basic = `Basic ${Buffer.from(`${username}:${secret}`).toString("base64")}`;
    if (cloud) { return new JiraSite(http, request, baseUrl, true, basic); }
    if (!username || isDataCenterToken(secret)) {
      return new JiraSite(http, request, baseUrl, false, `Bearer ${secret}`);
    }
    return new JiraSite(http, request, baseUrl, false, basic, `Bearer ${secret}`);
  }

  /** Calls the REST API; a refusal becomes a UserError naming what to do. */
  async call(method: string, path: string, body?: HttpBody, headers: Record<string, string> = {}): Promise<any> {
    const send = () => requestJson(this.http, {
      url: `${this.api}${path}`, method, body, who: "Jira", logger: this.request.logger,
      headers: { "authorization": this.authorization, "accept": "application/json", ...headers },
      maxAttempts: method === "POST" && !path.endsWith("/attachments") ? 1 : undefined,
    });
    let result = await send();
    // A refused sign-in created nothing, so the same call is safe to send again with the token
    // (the first call of a request is a listing or the issue's JSON, never a stream).
    const fallback = this.tokenFallback;
    this.tokenFallback = undefined;
    if (result.status === 401 && fallback && (body === undefined || typeof body === "string")) {
      this.authorization = fallback;
      result = await send();
    }
    if (result.unavailable) {
      throw new UserError(result.unavailable === "rate_limited"
        ? "Jira is rate limiting this account; try again in a few minutes."
        : result.message);
    }
    if (result.status >= 300) { throw new UserError(jiraRefusal(result.status, result.answer, this.cloud)); }
    return result.answer;
  }

  /** Every project the account can see, over all pages. */
  async projects(): Promise<FormOption[]> {
    if (!this.cloud) {
      const list = await this.call("GET", "/project");
      return (Array.isArray(list) ? list : []).map(projectOption);
    }
    return this.pages((startAt) => `/project/search?startAt=${startAt}&maxResults=50&orderBy=name`, "values",
      projectOption);
  }

  /** The issue types one can create in the project (sub-tasks left out: they need a parent), over all pages. */
  async issueTypes(projectId: string): Promise<FormOption[]> {
    const id = encodeURIComponent(projectId);
    const all = await this.pages((startAt) => `/issue/createmeta/${id}/issuetypes?startAt=${startAt}&maxResults=50`,
      "issueTypes", (t: any) => t);
    return all.filter((t: any) => !t.subtask).map((t: any) => ({ name: String(t.id), label: String(t.name ?? t.id) }));
  }

  private async pages<T>(path: (startAt: number) => string, key: string, map: (item: any) => T): Promise<T[]> {
    const out: T[] = [];
    let startAt = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.call("GET", path(startAt));
      const list = answer?.[key] ?? answer?.values;
      const items: any[] = Array.isArray(list) ? list : [];
      out.push(...items.map(map));
      startAt += items.length;
      const total = Number(answer?.total);
      if (!items.length || answer?.isLast === true || (Number.isFinite(total) && startAt >= total)) { break; }
    }
    return out;
  }

  browseUrl(key: string): string { return `${this.baseUrl}/browse/${encodeURIComponent(key)}`; }
}

/**
 * True for a Jira Data Center personal access token: 44 characters of base64 holding the token's
 * numeric id, a colon and random bytes. No password a person types has that shape.
 */
export function isDataCenterToken(secret: string): boolean {
  if (!/^[A-Za-z0-9+/]{44}$/.test(secret)) { return false; }
  return /^\d{6,20}:/.test(Buffer.from(secret, "base64").toString("latin1"));
}

function projectOption(p: any): FormOption {
  return { name: String(p.id), label: p.key ? `${p.name ?? p.key} (${p.key})` : String(p.name ?? p.id) };
}

/** The site URL from the Address param: https:// added when left out, trailing slashes removed. */
export function siteUrl(address: string | undefined): string {
  const typed = (address ?? "").trim().replace(/\/+$/, "");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  try {
    const url = new URL(withScheme);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    throw new UserError("The Jira Address setting is not a web address; ask your Looker admin to set the site's " +
      "URL, such as https://your-company.atlassian.net.");
  }
}

/** Jira's `{errorMessages: [...], errors: {field: message}}` as a sentence with what to do. */
export function jiraRefusal(status: number, answer: any, cloud: boolean): string {
  const messages: string[] = Array.isArray(answer?.errorMessages) ? answer.errorMessages.map(String) : [];
  const fields = answer?.errors && typeof answer.errors === "object"
    ? Object.entries(answer.errors).map(([k, v]) => `${k}: ${v}`) : [];
  const said = [...messages, ...fields].join("; ").replace(/\.$/, "").slice(0, 300);
  switch (status) {
    case 401:
      return cloud
        ? "Jira refused the sign-in: check that the Username is the Atlassian account's email and the Password an " +
          "API token of that account (id.atlassian.com > Security > API tokens)."
        : "Jira refused the sign-in: check the Username and Password (the account's password, or a current " +
          "personal access token from Profile > Personal Access Tokens).";
    case 403:
      return `Jira did not allow it${said ? ` (${said})` : ""}: ask a Jira admin to give the account the Browse, ` +
        "Create Issues and Create Attachments permissions in this project.";
    case 404:
      return `Jira found no such project, issue type or issue${said ? ` (${said})` : ""}; check the Address ` +
        "setting and pick the project again.";
    case 413:
      return "The file is larger than this Jira site accepts as an attachment; send a smaller result or ask a Jira " +
        "admin to raise the attachment size limit.";
  }
  return `Jira refused it (HTTP ${status}${said ? `: ${said}` : ""}); check the form and try again.`;
}
