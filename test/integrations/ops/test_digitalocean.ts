// digitalocean_droplet through the real app against a local fake of DigitalOcean's API.
import { expect } from "chai";
import { DigitalOceanDropletIntegration } from "../../../src/integrations/digitalocean/digitalocean";
import { DigitalOceanFake, DO_TOKEN } from "../../fakes/digitalocean_api";
import request from "supertest";
import { authHeader, buildTestApp } from "../../helpers/app";
import { execute } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { cellPayload, queryPayload } from "./ops_payloads";

const TAG = "digitalocean_droplet_id";

describe("digitalocean_droplet integration", () => {
  let fake: DigitalOceanFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new DigitalOceanFake().start();
    hub = buildTestApp([new DigitalOceanDropletIntegration(testHttpClient(), fake.url("/"))]);
  });
  afterEach(() => fake.stop());
  const params = { digitalocean_api_key: DO_TOKEN };
  const query = (values: Array<string | number | null>, p = params) =>
    execute(hub.app, "digitalocean_droplet", queryPayload(p, {}, { tag: TAG, values }));

  it("declares the official name, param, tag and formats", () => {
    const def = hub.registry.definition(hub.registry.get("digitalocean_droplet", null), null) as any;
    expect(def).to.deep.include({ label: "DigitalOcean - Stop Droplet", form_url: null,
      supported_action_types: ["cell", "query"], supported_formats: ["json_detail"] });
    expect(def.required_fields).to.deep.equal([{ tag: TAG }]);
    expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal([
      ["digitalocean_api_key", true, true]]);
  });

  it("powers off the clicked droplet and says so in one sentence", async () => {
    const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params, {}, "101"));
    expect(answer.looker).to.deep.include({ success: true,
      message: "Started powering off droplet 101 (action 9000, in-progress) in DigitalOcean." });
    const got = fake.received[0];
    expect(got.headers.authorization).to.equal(`Bearer ${DO_TOKEN}`);
    expect(JSON.parse(got.body.toString())).to.deep.equal({ type: "power_off" });
  });

  it("answers a cell whose droplet is already off with DigitalOcean's reason", async () => {
    const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params, {}, "103"));
    expect(answer.looker).to.deep.include({ success: false,
      message: "Could not power off droplet 103 in DigitalOcean: Droplet is already powered off." });
  });

  it("refuses the fixture's cell value, which is no droplet ID, without calling DigitalOcean", async () => {
    const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal(
      "Could not power off \"acme-corp-1042\" in DigitalOcean: not a droplet ID, which is a number.");
    expect(fake.received).to.have.length(0);
  });

  it("awaits and reports every droplet of a query, once each", async () => {
    const answer = await query(["101", "102", "101", null]);
    expect(answer.looker).to.deep.include({ success: true, message: "Started powering off 2 droplets in " +
      "DigitalOcean: droplet 101 (action 9000, in-progress), droplet 102 (action 9001, in-progress)." });
    expect(fake.poweredOff.sort()).to.deep.equal(["101", "102"]);
    expect(fake.droplets.get("102")).to.equal("off");
  });

  it("counts and names each failure of a partly failed query", async () => {
    const answer = await query(["101", "103", "999", "abc"]);
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Started powering off 1 of 4 droplets in DigitalOcean; 3 failed: " +
      "droplet 103 (Droplet is already powered off); droplet 999 (no such droplet in this DigitalOcean account); " +
      "\"abc\" (not a droplet ID, which is a number).");
    expect(fake.poweredOff.sort()).to.deep.equal(["101", "103", "999"]);
  });

  it("stops at a refused API key and says what to do", async () => {
    const answer = await query(["101", "102", "103", "104", "105", "106"], { digitalocean_api_key: "wrong" });
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^DigitalOcean refused the API key: it is wrong, expired or revoked\. Ask .*token\. Nothing was sent\.$/);
    expect(fake.received.length).to.be.at.most(4);
  });

  it("waits out a rate limit and then powers off", async () => {
    fake.reply({ status: 429, headers: { "retry-after": "0", "ratelimit-remaining": "0" },
      body: JSON.stringify({ id: "too_many_requests", message: "API Rate limit exceeded." }) });
    const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params, {}, "102"));
    expect(answer.looker.success).to.equal(true);
    expect(fake.poweredOff).to.deep.equal(["102", "102"]);
  });

  it("reports a rate limit that does not lift as a sentence", async () => {
    const limited = { status: 429,
      body: JSON.stringify({ id: "too_many_requests", message: "API Rate limit exceeded." }) };
    fake.reply(limited, limited, limited);
    const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params, {}, "102"));
    expect(answer.looker).to.deep.include({ success: false, message: "Could not power off droplet 102 in " +
      "DigitalOcean: DigitalOcean's rate limit was reached; try again in a minute." });
  });

  it("says which field to tag when the query has none", async () => {
    const answer = await execute(hub.app, "digitalocean_droplet",
      queryPayload(params, {}, { tag: "other", values: ["101"] }));
    expect(answer.looker.message).to.match(/No field of this query is tagged "digitalocean_droplet_id"/);
  });

  it("answers Looker's connection test by reading the account", async () => {
    const answer = await execute(hub.app, "digitalocean_droplet", { data: { ...params, test: true } });
    expect(answer.looker).to.deep.include({ success: true, message: "Connected to DigitalOcean as ops@example.com." });
  });

  it("a dry run tries the key with the connection test's GET /v2/account and powers nothing off", async () => {
    const dry = (p: Record<string, string>) => request(hub.app).post("/actions/digitalocean_droplet/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(queryPayload(p, {}, { tag: TAG, values: ["101"] })).then((res) => res.body.looker);
    const ok = await dry(params);
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to DigitalOcean - Stop Droplet: DigitalOcean took the API key \(GET \/v2\/account\); it would get/);
    const bad = await dry({ digitalocean_api_key: "wrong" });
    expect(bad.success).to.equal(false);
    expect(bad.message).to.match(/DigitalOcean refused the API key/);
    expect(fake.poweredOff).to.deep.equal([]);
  });

  it("logs no token", async () => {
    await query(["101", "999"]);
    expect(hub.logs()).to.include("delivery failed");
    expect(hub.logs()).to.not.include("droplet 999");
    expect(hub.logs()).to.not.include(DO_TOKEN);
  });

  describe("the official hub's test cases (src/actions/digitalocean/test_digitalocean_droplet.ts)", () => {
    // Official: "errors if there is no attachment for query".
    it("refuses a query without data, nothing sent", async () => {
      const answer = await execute(hub.app, "digitalocean_droplet",
        { ...queryPayload(params, {}, { tag: TAG, values: [] }), attachment: null });
      expect(answer.looker.success).to.equal(false);
      expect(fake.received).to.have.length(0);
    });

    // Official: "sends right params for query": POST /v2/droplets/12345/actions {type: "power_off"}.
    it("powers off the tagged field's droplet", async () => {
      fake.droplets.set("12345", "active");
      const answer = await query(["12345"]);
      expect(answer.looker.success).to.equal(true);
      expect(fake.received[0].path).to.equal("/v2/droplets/12345/actions");
      expect(JSON.parse(fake.received[0].body.toString())).to.deep.equal({ type: "power_off" });
    });

    // Official: "errors if there is no attachment for cell".
    it("refuses a cell action without the cell's value, nothing sent", async () => {
      const body = cellPayload(params);
      delete (body.data as Record<string, unknown>).value;
      delete (body.data as Record<string, unknown>).rendered;
      const answer = await execute(hub.app, "digitalocean_droplet", body);
      expect(answer.looker.success).to.equal(false);
      expect(fake.received).to.have.length(0);
    });

    // Official: "sends right params for cell".
    it("powers off the clicked cell's droplet", async () => {
      fake.droplets.set("12345", "active");
      const answer = await execute(hub.app, "digitalocean_droplet", cellPayload(params, {}, "12345"));
      expect(answer.looker.success).to.equal(true);
      expect(fake.received[0].path).to.equal("/v2/droplets/12345/actions");
    });

    // Official: "doesn't have form" is form_url: null in "declares the official name, param, tag and formats".
  });
});

