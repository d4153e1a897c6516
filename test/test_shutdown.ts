import { expect } from "chai";
import * as http from "http";
import { childServerPort } from "./fakes/closed_port";
import { metricValue } from "./hardening/raw_http";
import { debugDelivery, eventually, HubProcess, listeningUrl, startHubProcess } from "./helpers/process";

const SECRET = "shutdown-secret-0123456789";

const slowDelivery = (url: string, sleepMs: number) => debugDelivery(url, SECRET, sleepMs);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => { res.resume(); resolve(res.statusCode!); }).on("error", reject);
  });
}

function start(env: Record<string, string>): HubProcess {
  return startHubProcess([], { PORT: "0", INTEGRATION_SERVICE_SECRET: SECRET, BASE_URL: "https://hub.example.com",
    DEBUG_INTEGRATION: "true", ...env });
}

/** Every worker listening, for a cluster. */
async function allListening(hub: HubProcess, workers: number): Promise<void> {
  await eventually(() => (hub.stdout().match(/"hub listening"/g) ?? []).length === workers, 90_000, "every worker");
}

describe("graceful shutdown", function() {
  this.timeout(120_000);
  for (const workers of ["1", "2"]) {
    it(`finishes a delivery in flight on SIGTERM, then exits 0 (WEB_CONCURRENCY=${workers})`, async () => {
      // A port no listen(0) is given: once the hub has exited, no server the other mocha worker starts
      // meanwhile can take it, so a connection accepted there would be the hub's.
      const hub = start({ WEB_CONCURRENCY: workers, SHUTDOWN_GRACE_SECONDS: "20", PORT: String(await childServerPort()) });
      try {
        const url = await listeningUrl(hub);
        await allListening(hub, Number(workers));
        const delivery = slowDelivery(url, 1500);
        await eventually(async () => await metricValue(Number(new URL(url).port), "hub_deliveries_in_flight") === 1,
          30_000, "the delivery in flight");
        hub.child.kill("SIGTERM");
        const answer = await delivery;
        expect(answer.status).to.equal(200);
        expect(JSON.parse(answer.body).looker).to.include({ success: true, message: "received 6 bytes, 2 rows" });
        expect(await hub.exited).to.equal(0);
        // Nothing accepts connections any more.
        let refused = false;
        await get(`${url}/status`).catch(() => { refused = true; });
        expect(refused).to.equal(true);
      } finally {
        hub.child.kill("SIGKILL");
      }
    });
  }

  it("closes what is left after the grace period and still exits 0", async () => {
    const hub = start({ WEB_CONCURRENCY: "1", SHUTDOWN_GRACE_SECONDS: "0.3" });
    try {
      const url = await listeningUrl(hub);
      const delivery = slowDelivery(url, 10_000).then(() => "answered", () => "cut");
      await eventually(async () => await metricValue(Number(new URL(url).port), "hub_deliveries_in_flight") === 1,
        30_000, "the delivery in flight");
      hub.child.kill("SIGTERM");
      expect(await hub.exited).to.equal(0);
      expect(await delivery).to.equal("cut");
      expect(hub.stdout()).to.include("shut down after the grace period");
    } finally {
      hub.child.kill("SIGKILL");
    }
  });
});

describe("cluster", function() {
  this.timeout(120_000);
  it("runs WEB_CONCURRENCY workers and aggregates their metrics", async () => {
    const hub = start({ WEB_CONCURRENCY: "2" });
    try {
      const url = await listeningUrl(hub);
      await allListening(hub, 2);
      for (let i = 0; i < 6; i++) {
        await slowDelivery(url, 0);
      }
      const text = await new Promise<string>((resolve, reject) => {
        http.get(`${url}/metrics`, { agent: false }, (res) => {
          let body = "";
          res.on("data", (c) => { body += c; });
          res.on("end", () => resolve(body));
        }).on("error", reject);
      });
      const line = text.split("\n").find((l) => l.startsWith("hub_deliveries_total{integration=\"debug\",outcome=\"success\"}"));
      expect(line, text.slice(0, 500)).to.not.equal(undefined);
      expect(Number(line!.split(" ").pop())).to.equal(6);
      expect(hub.stdout().match(/"hub listening"/g)).to.have.length(2);
    } finally {
      hub.child.kill("SIGTERM");
      expect(await hub.exited).to.equal(0);
    }
  });
});
