// A Jira site: Cloud (REST API v3, Basic email:API token) or Data Center (REST API v2, Basic
// username:password or a personal access token as Bearer; a PAT is refused as a Basic password, as
// Jira Data Center does), as the jira_create_issue action uses it: serverInfo, the project and
// issue type listings in pages of two (so paging is exercised), issue creation, and attachments,
// which Jira accepts only with `X-Atlassian-Token: no-check` and as multipart/form-data.
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const JIRA_EMAIL = "ops@example.com";
export const JIRA_TOKEN = "ATATT3xFfGF0-jira-api-token";
/** A Data Center personal access token has this shape: base64 of "<numeric id>:<20 random bytes>". */
export const JIRA_PAT = Buffer.concat([Buffer.from("638484939207:"), Buffer.alloc(20, 0x5a)]).toString("base64");
export const JIRA_DC_USER = "jsmith";
export const JIRA_DC_PASSWORD = "correct horse battery staple";
/** Basic credentials as an Authorization header. */
export const basicAuth = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;

export interface JiraAttachment { filename: string; contentType: string; bytes: Buffer; }

const PROJECTS = [
  { id: "10000", key: "OPS", name: "Operations" }, { id: "10001", key: "FIN", name: "Finance" },
  { id: "10002", key: "WEB", name: "Website" },
];
const ISSUE_TYPES: Record<string, Array<{ id: string; name: string; subtask: boolean }>> = {
  10000: [{ id: "1", name: "Bug", subtask: false }, { id: "3", name: "Task", subtask: false },
    { id: "5", name: "Sub-task", subtask: true }, { id: "7", name: "Incident", subtask: false }],
  10001: [{ id: "3", name: "Task", subtask: false }],
  10002: [{ id: "3", name: "Task", subtask: false }],
};
const PAGE = 2;

export class JiraFake extends HttpReceiver {
  readonly issues: Array<{ key: string; fields: any }> = [];
  readonly attachments: Record<string, JiraAttachment[]> = {};

  /** A Data Center token of another shape than today's, still accepted as Bearer. */
  readonly oddPat = "future-format-token-0123456789";

  constructor(readonly mode: "cloud" | "datacenter" = "cloud") {
    super();
    this.handler = (r) => this.route(r);
  }

  private get v(): string { return this.mode === "cloud" ? "3" : "2"; }

  private route(r: Received): Reply {
    const [path, query = ""] = r.path.split("?");
    const q = new URLSearchParams(query);
    if (path === "/rest/api/2/serverInfo") {
      return json(200, { deploymentType: this.mode === "cloud" ? "Cloud" : "Server", version: "1001.0.0" });
    }
    const accepted = this.mode === "cloud" ? [basicAuth(JIRA_EMAIL, JIRA_TOKEN)]
      : [basicAuth(JIRA_DC_USER, JIRA_DC_PASSWORD), `Bearer ${JIRA_PAT}`, `Bearer ${this.oddPat}`];
    if (!accepted.includes(String(r.headers.authorization))) {
      return json(401,
        { errorMessages: ["You are not authenticated. Authentication required to perform this operation."] });
    }
    const base = `/rest/api/${this.v}`;
    if (!path.startsWith(base)) { return json(404, { errorMessages: ["No such API version here."] }); }
    const rest = path.slice(base.length);
    const startAt = Number(q.get("startAt") ?? 0);
    if (r.method === "GET" && rest === "/project/search" && this.mode === "cloud") {
      const values = PROJECTS.slice(startAt, startAt + PAGE);
      return json(200, { startAt, maxResults: PAGE, total: PROJECTS.length,
        isLast: startAt + PAGE >= PROJECTS.length, values });
    }
    if (r.method === "GET" && rest === "/project" && this.mode === "datacenter") { return json(200, PROJECTS); }
    const meta = /^\/issue\/createmeta\/([^/]+)\/issuetypes$/.exec(rest);
    if (r.method === "GET" && meta) {
      const types = ISSUE_TYPES[meta[1]];
      if (!types) { return json(404, { errorMessages: ["No project could be found with id '" + meta[1] + "'."] }); }
      const page = types.slice(startAt, startAt + PAGE);
      return this.mode === "cloud"
        ? json(200, { startAt, maxResults: PAGE, total: types.length, issueTypes: page })
        : json(200, { startAt, maxResults: PAGE, isLast: startAt + PAGE >= types.length, values: page });
    }
    if (r.method === "POST" && rest === "/issue") { return this.create(r); }
    const attach = /^\/issue\/([^/]+)\/attachments$/.exec(rest);
    if (r.method === "POST" && attach) { return this.attach(r, decodeURIComponent(attach[1])); }
    return json(404, { errorMessages: ["Not found."] });
  }

  private create(r: Received): Reply {
    const fields = JSON.parse(r.body.toString("utf8")).fields ?? {};
    const project = PROJECTS.find((p) => p.id === fields.project?.id);
    const errors: Record<string, string> = {};
    if (!project) { errors.project = "valid project is required"; }
    if (project && !ISSUE_TYPES[project.id].some((t) => t.id === fields.issuetype?.id)) {
      errors.issuetype = "Specify a valid issue type";
    }
    if (!fields.summary) { errors.summary = "You must specify a summary of the issue."; }
    const adf = fields.description?.type === "doc" && fields.description.version === 1;
    if (this.mode === "cloud" ? !adf : typeof fields.description !== "string") {
      errors.description = "Operation value must be " + (this.mode === "cloud" ? "an Atlassian Document" : "a string");
    }
    if (Object.keys(errors).length) { return json(400, { errorMessages: [], errors }); }
    const key = `${project!.key}-${this.issues.length + 1}`;
    this.issues.push({ key, fields });
    return json(201, { id: String(20000 + this.issues.length), key, self: `${this.url("")}/rest/api/${this.v}/issue/${key}` });
  }

  private attach(r: Received, key: string): Reply {
    if (r.headers["x-atlassian-token"] !== "no-check") { return { status: 403, body: "XSRF check failed" }; }
    if (!this.issues.some((i) => i.key === key)) { return json(404, { errorMessages: ["Issue does not exist."] }); }
    const boundary = /boundary=([^;]+)/.exec(String(r.headers["content-type"]))?.[1];
    if (!boundary) { return json(415, { errorMessages: ["Expected multipart/form-data."] }); }
    const text = r.body.toString("latin1");
    const start = text.indexOf(`--${boundary}\r\n`);
    const headEnd = text.indexOf("\r\n\r\n", start);
    const end = text.lastIndexOf(`\r\n--${boundary}--`);
    if (start !== 0 || headEnd < 0 || end < headEnd) { return json(400, { errorMessages: ["Bad multipart body."] }); }
    const head = text.slice(start, headEnd);
    const filename = decodeURIComponent(/filename\*=UTF-8''([^\r\n;]+)/.exec(head)?.[1] ?? "");
    const contentType = /Content-Type: ([^\r\n]+)/.exec(head)?.[1] ?? "";
    if (!/name="file"/.test(head) || !filename) { return json(400, { errorMessages: ["No file part."] }); }
    const bytes = r.body.subarray(headEnd + 4, end);
    (this.attachments[key] = this.attachments[key] ?? []).push({ filename, contentType, bytes });
    return json(200, [{ id: "30001", filename, size: bytes.length, mimeType: contentType }]);
  }
}

function json(status: number, body: unknown): Reply {
  return { status, headers: { "content-type": "application/json;charset=UTF-8" }, body: JSON.stringify(body) };
}
