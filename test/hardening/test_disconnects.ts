// A delivery nobody waits for stops, end to end, against a real hub process: when Looker hangs
// up on url deliveries, the download server sees its connections closed, nothing stays in
// flight, memory and /status stay as they were; when it hangs up while the vendor is being
// retried, the retries stop.
import { expect } from "chai";
import * as http from "http";
import * as net from "net";
import { startDownloadServer } from "../fakes/download_server";
import { eventually, HubProcess, listeningUrl, startHubProcess } from "../helpers/process";
import { getStatus, HOSTILE_ENV, metricValue, post, raw, rssKb } from "./raw_http";

/** Sends an execute and hangs up `afterMs` later, without reading an answer. */
function executeAndLeave(port: number, integration: string, body: unknown, afterMs: number): Promise<void> {
  return raw(port, post(`/actions/${integration}/execute`, JSON.stringify(body)), { waitMs: afterMs })
    .then(() => undefined);
}

describe("disconnects: a delivery nobody waits for stops", function() {
  this.timeout(180_000);
  let hub: HubProcess;
  let port: number;

  // A Slack that accepts calls and never answers: the SDK's call must end when the client leaves.
  const silentSlack = new Set<http.ServerResponse>();
  let slackCalls = 0;
  const slack = http.createServer((req, res) => { slackCalls++; req.resume(); silentSlack.add(res);
    res.once("close", () => silentSlack.delete(res)); });

  before(async () => {
    await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
    const slackUrl = `http://127.0.0.1:${(slack.address() as net.AddressInfo).port}/api/`;
    hub = startHubProcess([], { ...HOSTILE_ENV, IDLE_TIMEOUT_SECONDS: "60", KEEPALIVE_INTERVAL_SECONDS: "1",
      ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true", HTTP_MAX_ATTEMPTS: "20",
      HTTP_RETRY_BASE_DELAY_MS: "300", HTTP_RETRY_MAX_DELAY_MS: "300", SLACK_API_URL: slackUrl });
    port = Number(new URL(await listeningUrl(hub)).port);
  });

  after(async () => {
    hub.child.kill("SIGTERM");
    await hub.exited;
    slack.closeAllConnections();
    slack.close();
  });

  it("ends a Slack call (through Slack's SDK) when the client leaves", async () => {
    const body = { type: "cell", data: { slack_api_token: "xoxb-disconnect-test", value: "42" },
      form_params: { channelType: "manual", channel: "C0123ABCD" } };
    await executeAndLeave(port, "slack", body, 1500);
    expect(slackCalls, "Slack was called").to.be.at.least(1);
    await eventually(() => silentSlack.size === 0, 30_000, "the Slack connection closed");
    await eventually(async () => await metricValue(port, "hub_deliveries_in_flight") === 0, 30_000,
      "no delivery in flight");
  });

  it("closes the downloads of five url deliveries whose clients left", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a,b\n1,2\n");
    const open = new Set<http.ServerResponse>();
    let bytesSent = 0;
    let closedEarly = 0;
    const server = await startDownloadServer((_req, res) => {
      // Endless CSV, as fast as the hub reads it.
      res.writeHead(200, { "Content-Type": "text/csv" });
      open.add(res);
      res.once("close", () => { open.delete(res); if (!res.writableFinished) { closedEarly++; } });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) { bytesSent += chunk.length; }
        if (!res.destroyed) { res.once("drain", pump); }
      };
      pump();
    });
    try {
      const baselineKb = rssKb(hub.child.pid!);
      const body = { type: "query", form_params: { format: "csv" },
        scheduled_plan: { scheduled_plan_id: "1", download_url: `${server.url}/download` } };
      await Promise.all(Array.from({ length: 5 }, () => executeAndLeave(port, "debug", body, 1500)));
      // Each client has gone: the hub closes every download, and nothing stays in flight.
      await eventually(() => closedEarly === 5 && open.size === 0, 30_000, "the download connections closed");
      expect(server.requests).to.have.length(5);
      await eventually(async () => await metricValue(port, "hub_deliveries_in_flight") === 0, 30_000,
        "no delivery in flight");
      const sentThen = bytesSent;
      await new Promise((r) => setTimeout(r, 1000));
      expect(bytesSent, "bytes sent after the downloads closed").to.equal(sentThen);
      const status = await getStatus(port);
      expect(status.status).to.equal(200);
      expect(status.ms, "GET /status latency").to.be.below(5000);
      expect(rssKb(hub.child.pid!) - baselineKb, "RSS growth (KB)").to.be.below(100 * 1024);
      const stopped = hub.stdout().split("\n").filter((l) => l.includes("ClientGoneError") ||
        l.includes("Looker closed the connection before the delivery finished"));
      expect(stopped.length, `deliveries stopped for a client gone:\n${hub.stdout().slice(-3000)}`).to.be.at.least(5);
    } finally {
      await server.close();
    }
  });

  it("stops retrying the vendor when the client leaves", async () => {
    let attempts = 0;
    const vendor = http.createServer((req, res) => {
      attempts++;
      req.resume();
      res.writeHead(503).end("down");
    });
    await new Promise<void>((resolve) => vendor.listen(0, "127.0.0.1", resolve));
    const vendorPort = (vendor.address() as net.AddressInfo).port;
    try {
      const body = { type: "query",
        form_params: { url: `http://127.0.0.1:${vendorPort}/hook`, envelope: "none" },
        attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" } };
      await executeAndLeave(port, "webhook", body, 1000);
      await eventually(async () => await metricValue(port, "hub_deliveries_in_flight") === 0, 30_000,
        "no delivery in flight");
      const after = attempts;
      // At 300 ms between attempts, retries going on would show several more.
      await new Promise((r) => setTimeout(r, 2000));
      expect(attempts, "vendor attempts after the client left").to.be.at.most(after + 1);
      expect(after).to.be.at.least(1).and.below(20);
    } finally {
      vendor.close();
    }
  });
});
