// No body is read before the token, on any method and path; methods a route does not serve
// get 405 unread; compressed bodies are bounded as they inflate, on every route; execute paths
// are told by the router's own matching, whatever their case. Against a real hub process,
// with /status probed and the hub's memory watched throughout.
import { expect } from "chai";
import * as zlib from "zlib";
import { HubProcess, listeningUrl, startHubProcess } from "../helpers/process";
import {
  expectClearRefusal, getStatus, HOSTILE_ENV, jsonOf, post, raw, RawAnswer, rawRequest, rssKb, streamUntilClosed,
} from "./raw_http";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const PATHS = ["/", "/status", "/metrics", "/actions/debug", "/actions/debug/form", "/actions/debug/execute",
  "/integrations/debug", "/integrations/debug/form", "/integrations/debug/action", "/Actions/Debug/Execute",
  "/actions/debug/execute/", "/actions/nope/execute", "/anything", "/actions/%0Aforged/form",
  "/actions/debug/oauth", "/actions/debug/oauth_redirect", "/actions/debug/oauth_token", "/actions/debug/oauth_check"];
/** Pages for a person's browser (no token): GET answers them, as HTML. */
const BROWSER_PATHS = ["/", "/actions/debug/oauth", "/actions/debug/oauth_redirect"];
/** The routes that take a body (with a token). */
const BODY_ROUTES = ["/", "/actions/debug", "/actions/debug/form", "/actions/debug/execute",
  "/integrations/debug/action", "/ACTIONS/debug/EXECUTE"];

/** `[{},{},...]` of `bytes` bytes, gzipped: about a thousand times smaller. */
function jsonBomb(bytes: number): Buffer {
  return zlib.gzipSync(Buffer.concat([Buffer.from("["), Buffer.alloc(bytes, "{},"), Buffer.from("{}]")]));
}

/** An execute body whose attachment inflates to `bytes` of CSV. */
function executeBomb(bytes: number): Buffer {
  const head = "{\"type\":\"query\",\"attachment\":{\"mimetype\":\"text/csv\",\"extension\":\"csv\",\"data\":\"";
  return zlib.gzipSync(Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, "a,b\\n1,2\\n"), Buffer.from("\"}}")]));
}

/** Polls /status while `work` runs; answers the worst latency and whether every probe got 200. */
async function probingStatus<T>(port: number, work: () => Promise<T>): Promise<{ result: T; worstMs: number }> {
  let running = true;
  let worstMs = 0;
  const probes = (async () => {
    while (running) {
      const answer = await getStatus(port, 30_000);
      expect(answer.status, "GET /status while hostile bodies arrive").to.equal(200);
      worstMs = Math.max(worstMs, answer.ms);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    return { result: await work(), worstMs };
  } finally {
    running = false;
    await probes;
  }
}

describe("unread bodies: no body before the token, 405 unread, bounded inflation", function() {
  this.timeout(180_000);
  let hub: HubProcess;
  let port: number;
  let baselineKb: number;

  before(async () => {
    // A bomb before the params is spooled until it is refused: a loaded disk may pause the socket
    // longer than the hostile suite's 2 s idle timeout.
    hub = startHubProcess([], { ...HOSTILE_ENV, IDLE_TIMEOUT_SECONDS: "20" });
    port = Number(new URL(await listeningUrl(hub)).port);
    for (let i = 0; i < 10; i++) { await raw(port, post("/", "")); }
    baselineKb = rssKb(hub.child.pid!);
  });

  after(async () => {
    hub.child.kill("SIGTERM");
    await hub.exited;
  });

  afterEach(async () => {
    expect((await getStatus(port)).status).to.equal(200);
    expect(hub.child.exitCode).to.equal(null);
  });

  it("answers an unauthenticated body on every method and path without reading it", async () => {
    const bomb = jsonBomb(64 * 1024 * 1024);
    const answers: Array<[string, RawAnswer]> = [];
    const { worstMs } = await probingStatus(port, async () => {
      // One method at a time, every path at once.
      for (const method of METHODS) {
        await Promise.all(PATHS.map(async (path) => {
          // The head announces 64 MiB, only the first bytes follow: an answer proves nothing waited for the rest.
          const announced = rawRequest(method, path, "{bad", {}, { auth: false, announce: 64 * 1024 * 1024 });
          answers.push([`${method} ${path} (64 MiB announced)`, await raw(port, announced, { waitMs: 10_000 })]);
          answers.push([`${method} ${path} (gzip bomb)`, await raw(port,
            rawRequest(method, path, bomb, { "Content-Encoding": "gzip" }, { auth: false }), { waitMs: 10_000 })]);
        }));
      }
    });
    expect(answers.length).to.equal(METHODS.length * PATHS.length * 2);
    for (const [what, answer] of answers) {
      const [method, path] = what.split(" ");
      const isGet = method === "GET" || method === "HEAD";
      if (isGet && ["/status", "/metrics"].includes(path)) {
        expect(answer.status, what).to.equal(200);
        continue;
      }
      if (isGet && BROWSER_PATHS.includes(path)) {
        expect(answer.status, what).to.be.below(500);
        continue;
      }
      expectClearRefusal(answer, what);
      // 403 (no token), 405 (method not served) or 404 (nothing there): never a parse of the body.
      expect(answer.status, `${what}: ${answer.head}`).to.be.oneOf([403, 404, 405]);
      expect(answer.body, what).not.to.match(/JSON|too large|compress/i);
      if (answer.status === 405) { expect(answer.head, what).to.match(/\r\nallow: /i); }
    }
    // Unread bodies cost the event loop nothing (one bomb used to block it for 90 s).
    expect(worstMs, "worst GET /status latency meanwhile").to.be.below(5000);
    expect(rssKb(hub.child.pid!) - baselineKb, "RSS growth (KB)").to.be.below(100 * 1024);
  });

  it("answers a keep-alive request whose body it does not read, then closes instead of reading the body", async () => {
    const GiB = 1024 * 1024 * 1024;
    const cases = [["GET", "/"], ["GET", "/status"], ["GET", "/metrics"], ["HEAD", "/status"], ["GET", "/console"],
      ["GET", "/console/api/integrations"], ["OPTIONS", "/"], ["OPTIONS", "/actions/debug/execute"],
      ["GET", "/actions/debug/oauth"], ["POST", "/actions/debug/execute"]];
    for (const [method, path] of cases) {
      // No Connection: close from the client: Node would read the body to its end to reuse the connection.
      const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${GiB}\r\n\r\n`;
      const { answer, bytesSent, closed } = await streamUntilClosed(port, head);
      expect(answer, `${method} ${path}`).to.match(/^HTTP\/1\.1 \d{3} /);
      // The whole answer arrives (the close lingers, so no reset makes the client drop it).
      const [answerHead, answerBody] = answer.split("\r\n\r\n");
      const length = /\r\ncontent-length: (\d+)/i.exec(answerHead);
      if (length && method !== "HEAD") {
        expect(Buffer.byteLength(answerBody, "latin1"), `${method} ${path}`).to.equal(Number(length[1]));
      }
      expect(closed, `${method} ${path}: the connection was kept to read the body`).to.equal(true);
      // What the socket buffers take on both sides before the close, not the body.
      expect(bytesSent, `${method} ${path}: body bytes taken`).to.be.below(64 * 1024 * 1024);
    }
  });

  it("refuses a method a route does not serve with 405, token or not, and reads nothing", async () => {
    for (const [method, path, allow] of [["PUT", "/actions/debug/execute", "POST"], ["GET", "/actions/debug/form", "POST"],
      ["DELETE", "/", "GET, HEAD, POST"], ["POST", "/status", "GET, HEAD"], ["PATCH", "/metrics", "GET, HEAD"]]) {
      const answer = await raw(port, rawRequest(method, path, "{\"type\":", {}, { announce: 10_000_000 }),
        { waitMs: 10_000 });
      expect(answer.status, `${method} ${path}`).to.equal(405);
      expect(answer.head.toLowerCase(), `${method} ${path}`).to.include(`allow: ${allow.toLowerCase()}`);
      expect(answer.head.toLowerCase()).to.include("connection: close");
    }
  });

  it("bounds the inflation of a gzip bomb on every route that takes a body", async () => {
    const jsonBody = jsonBomb(64 * 1024 * 1024);
    const executeBody = executeBomb(64 * 1024 * 1024);
    const { result: answers, worstMs } = await probingStatus(port, async () => {
      const out: Array<[string, RawAnswer]> = [];
      for (const route of BODY_ROUTES) {
        const execute = /execute|action$/i.test(route);
        out.push([route, await raw(port, post(route, execute ? executeBody : jsonBody, { "Content-Encoding": "gzip" }),
          { waitMs: 60_000 })]);
      }
      return out;
    });
    for (const [route, answer] of answers) {
      expectClearRefusal(answer, route);
      expect(answer.status, `${route}: ${answer.body}`).to.equal(413);
      const message = jsonOf(answer).error;
      expect(message, route).to.match(/execute$/i.test(route) || /action$/.test(route)
        ? /inflates to more than 200 times/ : /larger than this integration service accepts/);
    }
    expect(worstMs, "worst GET /status latency meanwhile").to.be.below(5000);
    expect(rssKb(hub.child.pid!) - baselineKb, "RSS growth (KB)").to.be.below(100 * 1024);
  });

  it("says so when a body claims gzip but is not", async () => {
    for (const route of ["/actions/debug/execute", "/actions/debug/form", "/"]) {
      const answer = await raw(port, post(route, "{\"type\":\"query\"}", { "Content-Encoding": "gzip" }));
      expect(answer.status, route).to.equal(400);
      expect(jsonOf(answer).error, route).to.match(/not valid (gzip|compressed) data/);
    }
  });

  it("streams an execute body on case variants of the execute paths", async () => {
    // 3 MiB: more than a whole-body route reads, so only the streaming reader takes it.
    const csv = "a,b\n" + "1,2\n".repeat(768 * 1024);
    const body = JSON.stringify({ type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: csv } });
    for (const path of ["/Actions/debug/Execute", "/ACTIONS/debug/EXECUTE/", "/Integrations/debug/Action"]) {
      const answer = await raw(port, post(path, body), { waitMs: 30_000 });
      expect(answer.status, `${path}: ${answer.head}`).to.equal(200);
      expect(jsonOf(answer).looker, path).to.deep.include({ success: true, message: `received ${csv.length} bytes, ` +
        `${768 * 1024} rows` });
    }
  });
});
