// MAX_CONCURRENT_DELIVERIES: deliveries past the limit wait their turn (kept alive with
// newlines), run in arrival order, and are never refused; a client that hangs up while
// waiting gives its place up. Behaviour only: nothing here measures time.
import { expect } from "chai";
import * as http from "http";
import * as path from "path";
import { defaultMaxConcurrentDeliveries, usableMemory } from "../../src/config/capacity";
import { ConfigError } from "../../src/config";
import { ActionRequest, ActionType } from "../../src/hub/action_request";
import { ActionResponse } from "../../src/hub/action_response";
import { ALL_FORMATS, DownloadSetting, Format, Integration, Param } from "../../src/hub/integration";
import { DeliveryGate } from "../../src/server/delivery_gate";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { eventually as soon } from "../helpers/deliveries";

/** Conditions met on a loaded machine too (no timing is asserted). */
const eventually = (check: () => boolean) => soon(check, 20_000);

/** Runs until the test lets each delivery go, by its plan title. */
class HoldingIntegration extends Integration {
  readonly name = "holding";
  readonly label = "Holding";
  readonly description = "Holds each delivery until the test releases it.";
  readonly icon = path.join(__dirname, "../../src/integrations/debug/debug.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push"];
  readonly started: string[] = [];
  private readonly held = new Map<string, () => void>();

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const title = request.scheduledPlan?.title ?? "";
    let bytes = 0;
    for await (const chunk of await request.delivery!.stream()) { bytes += (chunk as Buffer).length; }
    this.started.push(title);
    await new Promise<void>((resolve) => this.held.set(title, resolve));
    return ActionResponse.ok(`${title}: ${bytes} bytes`);
  }

  release(title: string): void {
    this.held.get(title)!();
  }
}

interface Sent { text: () => string; done: Promise<string>; request: http.ClientRequest; }

/** Sends chunked (no declared length, as a streamed push comes) unless `declared`. */
function send(port: number, title: string, declared = false): Sent {
  let text = "";
  const body = JSON.stringify({
    type: "query", scheduled_plan: { title },
    attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" },
  });
  const request = http.request({
    host: "127.0.0.1", port, path: "/actions/holding/execute", method: "POST",
    headers: { "authorization": authHeader(), "content-type": "application/json",
      ...(declared ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
  });
  const done = new Promise<string>((resolve, reject) => {
    request.on("response", (res) => {
      res.setEncoding("utf8");
      res.on("data", (c: string) => { text += c; });
      res.on("end", () => resolve(text));
    });
    request.on("error", reject);
  });
  request.write(body.slice(0, 10));
  request.end(body.slice(10));
  return { text: () => text, done, request };
}

describe("deliveries past MAX_CONCURRENT_DELIVERIES wait their turn", () => {
  let server: http.Server;
  let port: number;
  let holding: HoldingIntegration;

  beforeEach(async () => {
    holding = new HoldingIntegration();
    const { app } = buildTestApp([holding], { MAX_CONCURRENT_DELIVERIES: "1", KEEPALIVE_INTERVAL_SECONDS: "0.05" });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("runs them one after another in arrival order, keeping the waiting ones alive with newlines", async () => {
    const a = send(port, "a");
    await eventually(() => holding.started.length === 1);
    const b = send(port, "b");
    // b is kept alive while it waits, and has not started.
    await eventually(() => b.text().includes("\n"));
    expect(b.text().trim()).to.equal("");
    const c = send(port, "c");
    await eventually(() => c.text().includes("\n"));
    expect(holding.started).to.deep.equal(["a"]);

    holding.release("a");
    expect(JSON.parse(await a.done).looker).to.deep.include({ success: true, message: "a: 8 bytes" });
    await eventually(() => holding.started.length === 2);
    expect(holding.started).to.deep.equal(["a", "b"]);
    holding.release("b");
    await eventually(() => holding.started.length === 3);
    holding.release("c");
    for (const [sent, title] of [[b, "b"], [c, "c"]] as const) {
      const answer = await sent.done;
      expect(answer.startsWith("\n"), "kept alive with newlines").to.equal(true);
      expect(JSON.parse(answer).looker).to.deep.include({ success: true, message: `${title}: 8 bytes` });
    }
  });

  it("lets a small declared body (a cell action, a few rows) run at once, past the limit", async () => {
    const a = send(port, "a");
    await eventually(() => holding.started.length === 1);
    const small = send(port, "small", true);
    await eventually(() => holding.started.length === 2);
    expect(holding.started).to.deep.equal(["a", "small"]);
    holding.release("small");
    holding.release("a");
    for (const sent of [a, small]) { expect(JSON.parse(await sent.done).looker.success).to.equal(true); }
  });

  it("gives up the place of a client that hangs up while it waits", async () => {
    const a = send(port, "a");
    await eventually(() => holding.started.length === 1);
    const b = send(port, "b");
    await eventually(() => b.text().includes("\n"));
    const c = send(port, "c");
    await eventually(() => c.text().includes("\n"));
    b.request.destroy();
    b.done.catch(() => undefined);
    // The hub has seen b go once only a's and c's connections are left.
    let connections = 3;
    await eventually(() => {
      server.getConnections((_err, n) => { connections = n; });
      return connections === 2;
    });
    holding.release("a");
    await a.done;
    await eventually(() => holding.started.length === 2);
    expect(holding.started).to.deep.equal(["a", "c"]);
    holding.release("c");
    expect(JSON.parse(await c.done).looker.success).to.equal(true);
  });
});

describe("DeliveryGate", () => {
  it("lets `limit` in, then one per release in order; a release counts once", async () => {
    const gate = new DeliveryGate(2);
    const order: number[] = [];
    const first = await gate.enter();
    const second = await gate.enter();
    const waiting = [3, 4].map((n) => gate.enter().then((release) => { order.push(n); return release; }));
    await new Promise((resolve) => setImmediate(resolve));
    expect([gate.active, gate.waiting, order]).to.deep.equal([2, 2, []]);
    first();
    first();
    const third = await waiting[0];
    expect([gate.active, gate.waiting, order]).to.deep.equal([2, 1, [3]]);
    second();
    (await waiting[1])();
    third();
    expect([gate.active, gate.waiting]).to.deep.equal([0, 0]);
  });

  it("ends a wait when its signal aborts, with the signal's reason", async () => {
    const gate = new DeliveryGate(1);
    const held = await gate.enter();
    const abort = new AbortController();
    const waiting = gate.enter(abort.signal);
    abort.abort(new Error("gone"));
    let reason: unknown;
    try { await waiting; } catch (err) { reason = err; }
    expect((reason as Error).message).to.equal("gone");
    expect(gate.waiting).to.equal(0);
    held();
    expect(gate.active).to.equal(0);
  });
});

describe("MAX_CONCURRENT_DELIVERIES", () => {
  it("defaults by memory and cores per worker, between 4 and 64, and takes a positive integer", () => {
    const GiB = 1024 ** 3;
    expect(defaultMaxConcurrentDeliveries(24 * GiB, 2, 16)).to.equal(64);
    expect(defaultMaxConcurrentDeliveries(24 * GiB, 1, 2)).to.equal(16);
    expect(defaultMaxConcurrentDeliveries(24 * GiB, 2, 2)).to.equal(8);
    expect(defaultMaxConcurrentDeliveries(24 * GiB, 1, 1)).to.equal(8);
    expect(defaultMaxConcurrentDeliveries(24 * GiB, 4, 1)).to.equal(4);
    expect(defaultMaxConcurrentDeliveries(0.5 * GiB, 1, 16)).to.equal(8);
    // A 512 MB container on a 24 GiB host counts its own limit; no limit reads as 0 or 2^64.
    expect(usableMemory(24 * GiB, 0.5 * GiB)).to.equal(0.5 * GiB);
    expect(usableMemory(24 * GiB, 2 ** 64)).to.equal(24 * GiB);
    expect(usableMemory(24 * GiB, 0)).to.equal(24 * GiB);
    expect(usableMemory(24 * GiB, undefined)).to.equal(24 * GiB);
    expect(defaultMaxConcurrentDeliveries(0.25 * GiB, 4, 16)).to.equal(4);
    expect(testConfig({ MAX_CONCURRENT_DELIVERIES: "3" }).maxConcurrentDeliveries).to.equal(3);
    expect(() => testConfig({ MAX_CONCURRENT_DELIVERIES: "0" })).to.throw(ConfigError, /MAX_CONCURRENT_DELIVERIES/);
  });
});
