import { expect } from "chai";
import request from "supertest";
import { startHubProcess as startBoot, waitFor } from "./helpers/process";

describe("starting the hub", function() {
  // Generous: on a loaded machine ts-node takes long to start a hub.
  this.timeout(120_000);
  it("in development with nothing configured, prints the URL and a key that works", async () => {
    const hub = startBoot(["--dev"], { PORT: "0", DEBUG_INTEGRATION: "true" });
    try {
      const url = (await waitFor(() => hub.stdout().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)))[1];
      const key = (await waitFor(() => hub.stdout().match(/API key:\s+(\S+)/)))[1];
      expect(hub.stdout()).to.include("Hub URL:");
      const res = await request(url).post("/").set("Authorization", `Token token="${key}"`)
        .set("User-Agent", "LookerOutgoingWebhook/7.20.0").expect(200);
      expect(res.body.integrations.map((i: any) => i.name)).to.include("debug");
      await request(url).post("/").set("Authorization", "Token token=\"a/b\"").expect(403);
    } finally {
      hub.child.kill("SIGTERM");
      expect(await hub.exited).to.equal(0);
    }
  });

  it("in production without a secret or base URL, stops with one clear line", async () => {
    const hub = startBoot([], { PORT: "0" });
    expect(await hub.exited).to.equal(1);
    const lines = hub.stderr().trim().split("\n");
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Cannot start in production: set INTEGRATION_SERVICE_SECRET.*BASE_URL/);
  });

  it("in production with its settings, serves and logs JSON lines", async () => {
    const hub = startBoot([], { PORT: "0", INTEGRATION_SERVICE_SECRET: "prod-secret-0123456789",
      BASE_URL: "https://hub.example.com" });
    try {
      const line = await waitFor(() => hub.stdout().match(/^\{.*"hub listening".*\}$/m));
      const logged = JSON.parse(line[0]);
      expect(logged.mode).to.equal("production");
      expect(hub.stdout()).not.to.include("API key");
      const res = await request(logged.url).get("/status").expect(200);
      expect(res.body.ok).to.equal(true);
    } finally {
      hub.child.kill("SIGTERM");
      await hub.exited;
    }
  });
});
