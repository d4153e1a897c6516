// `npm run send` as a process against a running hub: exit 0 on success, 1 on a failure the hub
// answers (with the validation errors printed), 2 when it cannot ask.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nodeArgs } from "../helpers/compiled";
import { parseArgs } from "../../bin/send";
import { sampleBytes } from "../../src/console/samples";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { HttpReceiver } from "../fakes/http_receiver";
import { ConsoleHub, startConsoleHub } from "../helpers/console_hub";
import { testHttpClient } from "../helpers/http";

const ROOT = path.join(__dirname, "..", "..");

interface Ran { code: number | null; stdout: string; stderr: string; }

/** Runs a command in an empty folder (no developer .env leaks in) and waits for it to end. */
function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd, env: { PATH: process.env.PATH!, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => { stdout += c; });
    child.stderr.on("data", (c) => { stderr += c; });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function send(cwd: string, ...args: string[]): Promise<Ran> {
  return run(process.execPath, [...nodeArgs("bin/send.ts").args, ...args], cwd);
}

describe("npm run send", function () {
  this.timeout(120_000);
  let hub: ConsoleHub;
  let receiver: HttpReceiver;
  let cwd: string;

  before(async () => {
    receiver = await new HttpReceiver().start();
    hub = await startConsoleHub([new DebugIntegration(), new WebhookIntegration(testHttpClient())]);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), "hub-send-"));
  });

  after(async () => {
    await hub?.close();
    await receiver?.stop();
    if (cwd) { fs.rmSync(cwd, { recursive: true, force: true }); }
  });

  it("reads its arguments: repeatable params, form fields and tags; a dashboard sample is a dashboard", () => {
    const options = parseArgs(["segment_event", "--param", "segment_write_key=k=v", "--form", "a=1", "--form", "b=",
      "--tag", "users.email=email, crm", "--sample", "dashboard_png", "--url", "--hub", "http://h/", "--key", "K"]);
    expect(options.integration).to.equal("segment_event");
    expect(options.choice).to.deep.include({ type: "dashboard", sample: "dashboard_png", download: "url" });
    expect(options.choice.params).to.deep.equal({ segment_write_key: "k=v" });
    expect(options.choice.formParams).to.deep.equal({ a: "1", b: "" });
    expect(options.choice.tags).to.deep.equal({ "users.email": ["email", "crm"] });
    expect(options.hub).to.equal("http://h");
    expect(() => parseArgs([])).to.throw(/Name the integration/);
    expect(() => parseArgs(["x", "--form", "novalue"])).to.throw(/key=value/);
    expect(() => parseArgs(["x", "--format", "docx"])).to.throw(/not a Looker format/);
    expect(() => parseArgs(["x", "--type", "report"])).to.throw(/query, dashboard or cell/);
  });

  it("sends the built-in sample through `npm run send` and exits 0 with the answer", async () => {
    const args = ["run", "-s", "--prefix", ROOT, "send", "--", "debug", "--hub", hub.url, "--key", hub.key];
    const out = await run("npm", args, cwd);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.include(`Success: received ${sampleBytes("users", "json_detail")!.length} bytes, 5 rows`);
    expect(out.stdout).to.match(/Request id: [0-9a-f-]{36}/);
  });

  it("sends a file on a one-time URL of the hub to a webhook, whose receiver gets the bytes", async () => {
    const file = path.join(cwd, "orders.csv");
    fs.writeFileSync(file, "id,total\n1,10.5\n2,7\n");
    const out = await send(cwd, "webhook", "--data", file, "--url", "--form", `url=${receiver.url("/cli")}`,
      "--hub", hub.url, "--key", hub.key);
    expect(out.code, out.stderr).to.equal(0);
    const got = receiver.received.pop()!;
    expect(got.path).to.equal("/cli");
    expect(got.body.toString()).to.equal("id,total\n1,10.5\n2,7\n");
    expect(got.headers["content-type"]).to.match(/^text\/csv/);
  });

  it("--dry-run: the hub reports what would be sent, and the receiver gets only a HEAD", async () => {
    const file = path.join(cwd, "dry.csv");
    fs.writeFileSync(file, "id,total\n1,10.5\n2,7\n");
    const before = receiver.received.length;
    const out = await send(cwd, "webhook", "--data", file, "--dry-run", "--form", `url=${receiver.url("/dry")}`,
      "--hub", hub.url, "--key", hub.key);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.match(/^Success: Dry run, nothing was sent to Webhook: the URL's server \(127\.0\.0\.1\) answered a HEAD request with 200: .*; it would get Looker's csv data, 20 bytes, 2 rows\./);
    expect(receiver.received.slice(before).map((r) => `${r.method} ${r.path}`)).to.deep.equal(["HEAD /dry"]);
  });

  it("--webhook-id replays one delivery under Looker's id; without it each run is a new delivery", async () => {
    const file = path.join(cwd, "replay.csv");
    fs.writeFileSync(file, "id\n1\n");
    const ids = [];
    for (const extra of [["--webhook-id", "wh-replay-1"], ["--webhook-id", "wh-replay-1"], [], []]) {
      const out = await send(cwd, "webhook", "--data", file, "--form", `url=${receiver.url("/replay")}`, ...extra,
        "--hub", hub.url, "--key", hub.key);
      expect(out.code, out.stderr).to.equal(0);
      ids.push(receiver.received[receiver.received.length - 1].headers["x-looker-webhook-id"]);
    }
    expect(ids.slice(0, 2)).to.deep.equal(["wh-replay-1", "wh-replay-1"]);
    expect(ids[2]).to.match(/^[0-9a-f]{32}$/);
    expect(ids[3]).to.match(/^[0-9a-f]{32}$/).and.not.equal(ids[2]);
  });

  it("exits 1 with the hub's message and validation errors when the delivery fails, 2 when it cannot ask", async () => {
    const failed = await send(cwd, "webhook", "--hub", hub.url, "--key", hub.key);
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.include("Failed: Please fill in \"Webhook URL\" before sending.");
    expect(failed.stderr).to.include("url: Webhook URL is required.");
    const refused = await send(cwd, "debug", "--hub", hub.url, "--key", "wrong/key");
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include("The hub answered HTTP 403: Invalid 'Authorization' header.");
  });
});
