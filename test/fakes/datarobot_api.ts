// DataRobot's REST API (v2) as the datarobot integration meets it, on 127.0.0.1: every call needs
// `Authorization: Token <key>` (or Bearer) and answers 401 `{"message"}` otherwise; GET /projects/
// lists projects; POST /projects/ with `{projectName, url}` answers 202 with the status URL in
// Location, then DataRobot downloads the URL itself (only loopback URLs are dialled: any other
// host plays a Looker DataRobot cannot reach); GET /status/<id>/ answers 200 `{status, message}`
// while it runs or failed, and 303 to the project once created.
import * as crypto from "crypto";
import * as http from "http";
import { LoopbackServer } from "./loopback_server";

export const DATAROBOT_TOKEN = "NjRmZDc0ZjQxYjM3ZDM0MWQ4NzA2YzQ2OmRhdGFyb2JvdA";

export interface DataRobotProject {
  id: string;
  projectName: string;
  url: string;
  status: "RUNNING" | "COMPLETED" | "ERROR";
  message: string;
  /** What DataRobot read from the URL. */
  data?: Buffer;
}

export interface DataRobotRequest { method: string; path: string; authorization?: string; body: any; }

export class FakeDataRobot extends LoopbackServer {
  token = DATAROBOT_TOKEN;
  readonly requests: DataRobotRequest[] = [];
  readonly projects = new Map<string, DataRobotProject>();
  /** A slow DataRobot: its download of Looker's URL starts this many milliseconds after the project. */
  downloadDelayMs = 0;
  /** Project creations answered 503 before one is accepted (a DataRobot briefly down). */
  unavailable = 0;

  get creations(): DataRobotRequest[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === "/api/v2/projects/");
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", this.url).pathname;
      let body: any;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      } catch {
        body = "bad";
      }
      this.requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body });
      const send = (status: number, answer?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(answer === undefined ? "" : JSON.stringify(answer));
      };
      const auth = /^(?:Token|Bearer) (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (auth !== this.token) { return send(401, { message: "Invalid API token" }); }
      if (req.method === "GET" && path === "/api/v2/projects/") {
        return send(200, [...this.projects.values()].map((p) => ({ id: p.id, projectName: p.projectName })));
      }
      if (req.method === "POST" && path === "/api/v2/projects/") {
        if (this.unavailable > 0) {
          this.unavailable--;
          return send(503, { message: "Service Unavailable" });
        }
        return this.create(body, send);
      }
      const statusPath = /^\/api\/v2\/status\/([0-9a-f]+)\/$/.exec(path);
      if (req.method === "GET" && statusPath) {
        const project = this.projects.get(statusPath[1]);
        if (!project) { return send(404, { message: "Not Found" }); }
        if (project.status === "COMPLETED") {
          return send(303, undefined, { location: `/api/v2/projects/${project.id}/` });
        }
        return send(200, { status: project.status, message: project.message, statusId: project.id });
      }
      const one = /^\/api\/v2\/projects\/([0-9a-f]+)\/$/.exec(path);
      if (req.method === "GET" && one && this.projects.has(one[1])) {
        const p = this.projects.get(one[1])!;
        return send(200, { id: p.id, projectName: p.projectName, stage: "aim", fileName: "data.csv" });
      }
      send(404, { message: "Not Found" });
    });
  }

  private create(body: any, send: (status: number, answer?: unknown, headers?: Record<string, string>) => void) {
    if (!body || typeof body !== "object" || typeof body.url !== "string" || !body.url) {
      return send(422, { message: "Invalid field data", errors: { url: "This field is required" } });
    }
    const id = crypto.randomBytes(12).toString("hex");
    const project: DataRobotProject = { id, projectName: String(body.projectName ?? "Untitled Project"), url: body.url,
      status: "RUNNING", message: "" };
    this.projects.set(id, project);
    send(202, { pid: id }, { location: `${this.url}/api/v2/status/${id}/` });
    this.download(project);
  }

  private download(project: DataRobotProject): void {
    const fail = (why: string) => {
      project.status = "ERROR";
      project.message = `Unable to retrieve data from url: ${why}`;
    };
    let url: URL;
    try { url = new URL(project.url); } catch { return fail("invalid url"); }
    // Tests dial loopback only: any other host is a Looker DataRobot's cloud cannot reach.
    if (url.hostname !== "127.0.0.1" || url.protocol !== "http:") { return fail(`could not connect to ${url.host}`); }
    setTimeout(() => {
      http.get(url, (res) => {
        const got: Buffer[] = [];
        res.on("data", (c: Buffer) => got.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) { return fail(`HTTP ${res.statusCode}`); }
          project.data = Buffer.concat(got);
          project.status = "COMPLETED";
        });
      }).on("error", (err) => fail(err.message));
    }, this.downloadDelayMs);
  }
}
