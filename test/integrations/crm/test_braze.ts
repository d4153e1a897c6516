// braze through the real app against a local Braze REST API (names resolve to 127.0.0.1).
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { BrazeIntegration } from "../../../src/integrations/braze/braze";
import { HttpClient } from "../../../src/lib/http_client";
import { BRAZE_KEY, FakeBraze } from "../../fakes/braze_api";
import { cells, crmApp, detail, execute, executeBody, form, servedDetail } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) => [new BrazeIntegration(http, settings)];

const FIELDS = {
  dimensions: [{ name: "users.id", tags: ["braze_id"] }, { name: "users.plan", tags: ["braze[plan_name]"] },
    { name: "users.city" }, { name: "users.score", tags: ["braze[score]", "braze[score_copy]"] }],
};

function users(n: number) {
  return detail(FIELDS, cells(Array.from({ length: n }, (_, i) => ({
    "users.id": `u-${i}`, "users.plan": i % 2 ? "pro" : null, "users.city": "Rome", "users.score": i,
  }))));
}

describe("Braze", () => {
  let fake: FakeBraze;
  let app: ReturnType<typeof crmApp>;
  const params = (extra: Record<string, string> = {}) => ({ braze_api_key: BRAZE_KEY,
    braze_api_endpoint: `http://rest.iad-01.braze.com:${new URL(fake.url).port}`, ...extra });
  const body = (payload: unknown, formParams: Record<string, string> = {}, extra: Record<string, string> = {},
                as?: { url: string }) =>
    executeBody(payload, { params: params(extra), formParams: { braze_key: "external_id",
      braze_segment: "SPRING_PROMO", ...formParams }, as });
  beforeEach(async () => {
    fake = await new FakeBraze().start();
    app = crmApp(build, { BRAZE_ENDPOINT_DOMAINS: "braze.com,braze.eu" });
  });
  afterEach(async () => { await fake.stop(); });

  it("tracks each user's tagged attributes and the export segment, 75 objects a request, Bearer key", async () => {
    const answer = await execute(app, "braze", body(users(200)));
    expect(answer).to.include({ success: true,
      message: "Updated 200 users in Braze and added them to \"SPRING_PROMO\" (looker_export)." });
    const [request] = fake.to(/users\/track/);
    expect(request.headers.authorization).to.equal(`Bearer ${BRAZE_KEY}`);
    expect(request.headers.host).to.match(/^rest\.iad-01\.braze\.com:/);
    expect(request.body.attributes.slice(0, 2)).to.deep.equal([
      { _update_existing_only: true, external_id: "u-0", score: 0, score_copy: 0,
        looker_export: { add: ["SPRING_PROMO"] } },
      { _update_existing_only: true, external_id: "u-1", plan_name: "pro", score: 1, score_copy: 1,
        looker_export: { add: ["SPRING_PROMO"] } },
    ]);
    expect(fake.batches.map((b) => b.length).sort()).to.deep.equal([50, 75, 75]);
    expect(fake.tracked).to.have.length(200);
  });

  it("keys users by braze_id when the form says so, from a download URL", async () => {
    const served = await servedDetail(users(3));
    try {
      const answer = await execute(app, "braze", body(null, { braze_key: "braze_id" }, {}, served));
      expect(answer.success).to.equal(true);
      expect(fake.tracked.map((t) => t.braze_id)).to.deep.equal(["u-0", "u-1", "u-2"]);
      expect(fake.tracked.every((t) => !("external_id" in t))).to.equal(true);
    } finally {
      await served.server.close();
    }
  });

  it("counts the objects Braze reports as errors, and fails past the threshold", async () => {
    fake.badIds = new Set(["u-7"]);
    const answer = await execute(app, "braze", body(users(100)));
    expect(answer).to.include({ success: true, message: "Updated 99 users in Braze and added them to " +
      "\"SPRING_PROMO\" (looker_export); 1 rejected: 1 'external_id' contains invalid characters (first: row 8, \"u-7\")." });
    fake.badIds = new Set(["u-1", "u-2"]);
    const strict = await execute(app, "braze", body(users(10), {}, { max_rejected_percent: "10" }));
    expect(strict.success).to.equal(false);
    expect(strict.message).to.include("20.0% of the rows were rejected, more than the 10% allowed");
  });

  it("waits until Braze's X-RateLimit-Reset after a 429", async () => {
    fake.script.push({ status: 429, headers: { "x-ratelimit-limit": "250000", "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) }, body: { message: "Rate limit exceeded" } });
    const answer = await execute(app, "braze", body(users(5)));
    expect(answer.success).to.equal(true);
    expect(fake.to(/users\/track/)).to.have.length(2);
    expect(fake.tracked).to.have.length(5);
  });

  it("refuses an endpoint outside Braze and a missing braze_id tag before any call; a wrong key says so", async () => {
    const elsewhere = await execute(app, "braze", executeBody(users(3), { params: params({
      braze_api_endpoint: `http://127.0.0.1:${new URL(fake.url).port}` }),
      formParams: { braze_key: "external_id", braze_segment: "S" } }));
    expect(elsewhere.success).to.equal(false);
    expect(elsewhere.message).to.include("is not a Braze REST endpoint (a host under braze.com or braze.eu");
    expect(elsewhere.message).to.not.include("127.0.0.1:");
    const untagged = await execute(app, "braze", body(detail({ dimensions: [{ name: "users.id" }] },
      cells([{ "users.id": "x" }]))));
    expect(untagged.message).to.include('needs a field tagged "braze_id"');
    expect(fake.requests).to.have.length(0);
    const wrong = await execute(app, "braze", body(users(3), {}, { braze_api_key: "wrong" }));
    expect(wrong.success).to.equal(false);
    expect(wrong.message).to.include("Braze refused the API key (HTTP 401: Invalid API key: wrong)");
  });

  it("offers the official form", async () => {
    const shown = await form(app, "braze");
    expect(shown.fields.map((f: { name: string; default?: string }) => [f.name, f.default]))
      .to.deep.equal([["braze_key", "external_id"], ["braze_segment", "LOOKER_EXPORT"]]);
  });
});
