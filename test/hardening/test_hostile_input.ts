// Hostile input at every route, against a real hub process: every case gets a clear 4xx (or
// the connection closed), never a crash, a 5xx, HTML or a stack trace; the hub stays up and
// its memory returns near its baseline.
import { expect } from "chai";
import { eventually, HubProcess, listeningUrl, startHubProcess } from "../helpers/process";
import { AUTH, expectClearRefusal, HOSTILE_ENV, jsonOf, metricValue, post, raw, rssKb } from "./raw_http";

const ROUTES = ["/", "/actions/debug", "/actions/debug/form", "/actions/debug/execute",
  "/integrations/debug/action", "/actions/nope/execute"];

/** V8's heap in use plus memory outside it (buffers), as the hub's /metrics reports them. */
async function heapAndExternal(port: number): Promise<number> {
  return await metricValue(port, "nodejs_heap_size_used_bytes") + await metricValue(port, "nodejs_external_memory_bytes");
}

describe("hostile input", function() {
  this.timeout(120_000);
  let hub: HubProcess;
  let port: number;
  let baselineKb: number;
  let baselineHeap: number;
  const cases: string[] = [];

  before(async () => {
    hub = startHubProcess([], HOSTILE_ENV);
    port = Number(new URL(await listeningUrl(hub)).port);
    for (let i = 0; i < 20; i++) { await raw(port, post("/", "")); }
    baselineKb = rssKb(hub.child.pid!);
    baselineHeap = await heapAndExternal(port);
  });

  after(async () => {
    hub.child.kill("SIGTERM");
    await hub.exited;
  });

  afterEach(async () => {
    // The process is still up and healthy after every case.
    const health = await raw(port, ["GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    expect(health.status).to.equal(200);
    expect(hub.child.exitCode).to.equal(null);
  });

  it("malformed and truncated JSON at every route", async () => {
    const bodies = ["{", "{\"type\": ", "{\"type\":\"query\",\"attachment\":{\"data\":\"abc", "nul", "{]", "\u0000\u0001",
      "{\"a\":1}}", "[1,2", "{\"type\":\"query\"} trailing", "\"unterminated"];
    for (const route of ROUTES) {
      for (const body of bodies) {
        const answer = await raw(port, post(route, body));
        cases.push(`${route} ${JSON.stringify(body)}`);
        expectClearRefusal(answer, `${route} ${JSON.stringify(body)}`);
        if (route !== "/actions/nope/execute" && answer.status !== undefined) {
          expect(answer.status, `${route} ${body}`).to.be.oneOf([400, 200, 404]);
        }
      }
    }
  });

  it("wrong types in every payload field", async () => {
    const values = [1, "x", true, [1], { a: 1 }, null, -1e308, "\ud800"];
    const fields = ["type", "data", "form_params", "scheduled_plan", "attachment", "state"];
    for (const field of fields) {
      for (const value of values) {
        for (const route of ["/actions/debug/execute", "/actions/debug/form"]) {
          const answer = await raw(port, post(route, JSON.stringify({ type: "query", [field]: value })));
          cases.push(`${route} ${field}=${JSON.stringify(value)}`);
          expectClearRefusal(answer, `${route} ${field}=${JSON.stringify(value)}`);
        }
      }
    }
    const nested = [{ attachment: { data: 5 } }, { attachment: { mimetype: 7, data: "a" } },
      { scheduled_plan: { query: "x", download_url: 5 } }, { data: { value: { deep: [1] } } }];
    for (const body of nested) {
      const answer = await raw(port, post("/actions/debug/execute", JSON.stringify({ type: "query", ...body })));
      cases.push(`nested ${JSON.stringify(body)}`);
      expectClearRefusal(answer, JSON.stringify(body));
    }
  });

  it("invalid base64 in an attachment", async () => {
    for (const data of ["!!!not base64!!!", "QUJD=", "=====", "QUJDRA", "\\u00ff\\u00fe"]) {
      const answer = await raw(port, post("/actions/debug/execute",
        `{"type":"query","attachment":{"mimetype":"text/csv;base64","extension":"csv","data":"${data}"}}`));
      cases.push(`base64 ${data}`);
      expectClearRefusal(answer, data);
      if (data === "QUJDRA") {
        // Unpadded but valid: "ABCD".
        expect(jsonOf(answer).looker?.success, answer.body).to.equal(true);
        expect(jsonOf(answer).looker.message, answer.body).to.match(/^received 4 bytes/);
      } else {
        expect(jsonOf(answer).looker?.success, `${data}: ${answer.body}`).to.equal(false);
        expect(jsonOf(answer).looker.message, data).to.match(/not valid base64/);
      }
    }
  });

  it("deeply nested and huge JSON", async () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const deepObject = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    for (const [what, body] of [["deep array", deep], ["deep object", deepObject],
      ["deep in attachment", `{"type":"query","attachment":{"data":${deep}}}`],
      ["deep in data", `{"type":"query","data":${deepObject}}`]] as Array<[string, string]>) {
      for (const route of ["/", "/actions/debug/form", "/actions/debug/execute"]) {
        const answer = await raw(port, post(route, body), { waitMs: 20_000 });
        cases.push(`${what} ${route}`);
        expectClearRefusal(answer, `${what} ${route}`);
      }
    }
    // 80 MB of JSON in a key no one reads.
    const filler = Buffer.alloc(80 * 1024 * 1024, 0x61);
    const huge = Buffer.concat([Buffer.from("{\"type\":\"query\",\"junk\":\""), filler, Buffer.from("\"}")]);
    const hugeAnswer = await raw(port, post("/actions/debug/execute", huge), { waitMs: 60_000 });
    cases.push("80 MB unused key");
    expectClearRefusal(hugeAnswer, "80 MB unused key");
    expect(hugeAnswer.status).to.equal(200);
  });

  it("oversized headers", async () => {
    const big = "X-Big: " + "a".repeat(64 * 1024);
    const answer = await raw(port, [`POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n${big}\r\n\r\n`]);
    cases.push("64 KB header");
    expectClearRefusal(answer, "oversized header");
    expect(answer.status, answer.head).to.equal(431);
    const many = Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join("\r\n");
    const answer2 = await raw(port, [`POST / HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`]);
    cases.push("3000 headers");
    expectClearRefusal(answer2, "many headers");
    expect(answer2.status, answer2.head).to.equal(431);
  });

  it("a client that disconnects mid-body", async () => {
    for (const route of ["/actions/debug/execute", "/actions/debug/form", "/"]) {
      const from = hub.stdout().length;
      // Announced under the route's limit (1 MiB for whole bodies), so the hub is still reading.
      const [head] = post(route, "x".repeat(route.endsWith("execute") ? 10_000_000 : 500_000));
      const answer = await raw(port, [head, "{\"type\":\"query\",\"attachment\":{\"data\":\"" + "a".repeat(100_000)],
        { destroyAfterSend: true });
      cases.push(`disconnect ${route}`);
      expect(answer.status, "the client left before any answer").to.equal(undefined);
      // The hub saw the request end unfinished (its access line says aborted), and nothing is
      // left in flight.
      const accessLine = () => hub.stdout().slice(from).split("\n").filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l)).find((l) => l.message === "request" && l.path === route);
      await eventually(() => accessLine() !== undefined, 10_000, `the access line of ${route}`);
      expect(accessLine(), JSON.stringify(accessLine())).to.include({ method: "POST", aborted: true });
      await eventually(async () => await metricValue(port, "hub_deliveries_in_flight") === 0);
    }
  });

  it("a client that sends its headers too slowly is cut off", async () => {
    const parts = "POST / HTTP/1.1\r\nHost: x\r\n".split("").concat(Array(40).fill("X-Slow: 1\r\n"));
    const answer = await raw(port, parts, { gapMs: 100, waitMs: 15_000 });
    cases.push("slow headers");
    expect(answer.closed).to.equal(true);
    // Cut off by the 1 s headers timeout: answered 408 and closed long before the 4 s the
    // headers would take.
    expect(answer.status, answer.head).to.equal(408);
    expect(answer.ms).to.be.below(parts.length * 100);
  });

  it("a client that stalls mid-body is cut off", async () => {
    const [head] = post("/actions/debug/execute", "x".repeat(1000));
    const answer = await raw(port, [head, "{\"type\":\"query\","], { waitMs: 15_000 });
    cases.push("stalled body");
    // Closed by the hub's 2 s idle timeout, not by the test's 15 s wait.
    expect(answer.closed).to.equal(true);
  });

  it("keeps its memory near the baseline after all of it", async () => {
    expect(cases.length).to.be.greaterThan(150);
    // What the hub holds (V8's heap and the buffers outside it, from its own /metrics) comes back
    // below 40 MB over the baseline once garbage is collected, which the hub does when idle: a leak
    // of the 80 MB body or of the many requests never does. (RSS alone depended on when the
    // allocator returned freed pages to the OS, which varied with the machine's load: 68-79 MB
    // of growth under a loaded CI, 20-50 MB when quiet.)
    let heap = 0;
    await eventually(async () => {
      heap = await heapAndExternal(port);
      return heap - baselineHeap < 40 * 1024 * 1024;
    }, 30_000, `heap and external memory back near the baseline (${Math.round(baselineHeap / 1048576)} MB)`);
    const afterKb = rssKb(hub.child.pid!);
    // RSS as a gross bound besides: the 80 MB body held twice would not pass it.
    expect(afterKb - baselineKb, `baseline ${baselineKb} KB, after ${afterKb} KB`).to.be.below(150 * 1024);
  });
});
