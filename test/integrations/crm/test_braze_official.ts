// The official hub's Braze cases (looker-open-source/actions src/actions/braze/test_braze.ts),
// replayed through the real app against the local Braze (its host names resolve to 127.0.0.1
// in tests, on the fake's port). Each `it` names the official one.
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { BrazeIntegration } from "../../../src/integrations/braze/braze";
import { HttpClient } from "../../../src/lib/http_client";
import { BRAZE_KEY, FakeBraze } from "../../fakes/braze_api";
import { cells, crmApp, detail, execute, executeBody } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) => [new BrazeIntegration(http, settings)];

// The official sample: the id, two attributes (one field with a second, non-Braze tag), one untagged field.
const SAMPLE = detail({ dimensions: [
  { name: "external_id", tags: ["braze_id"] },
  { name: "field_1_attribute", tags: ["braze[field_1]", "user_field 1"] },
  { name: "field_2_attribute", tags: ["braze[field_2]"] },
  { name: "field_3_no_tag", tags: [] },
] }, cells([
  { external_id: "abc123", field_1_attribute: "abc123 field 1 value ", field_2_attribute: "abc123 field 2 value ",
    field_3_no_tag: "abc123 field 3 value " },
  { external_id: "xyz987", field_1_attribute: "xyz987 field 1 value ", field_2_attribute: "xyz987 field 2 value ",
    field_3_no_tag: "xyz987 field 3 value " },
]));

describe("Braze: the official hub's test cases", () => {
  let fake: FakeBraze;
  let app: ReturnType<typeof crmApp>;
  const port = () => new URL(fake.url).port;
  const run = (params: Record<string, string>) => execute(app, "braze", executeBody(SAMPLE, { params,
    formParams: { braze_key: "external_id", braze_segment: "looker_export" } }));
  beforeEach(async () => {
    fake = await new FakeBraze().start();
    app = crmApp(build, { BRAZE_ENDPOINT_DOMAINS: "braze.com,braze.eu" });
  });
  afterEach(async () => { await fake.stop(); });

  describe("refused before any call", () => {
    afterEach(() => { expect(fake.requests).to.have.length(0); });

    // "errors if there is no configuration for query"
    it("no settings", async () => {
      const answer = await run({});
      expect(answer.success).to.equal(false);
      expect(answer.message).to.include('"Braze API Key", "Braze REST Endpoint" are missing');
    });

    // "errors if there is no endpoint"
    it("no endpoint", async () => {
      const answer = await run({ braze_api_key: "AAACCCKKKATTT" });
      expect(answer.message).to.include('"Braze REST Endpoint" is missing');
    });

    // "errors if the protocal is missing from the endpoint"
    it("an endpoint without its protocol", async () => {
      const answer = await run({ braze_api_key: "AAACCCKKKATTT", braze_api_endpoint: "rest.notbraze.com" });
      expect(answer.message).to.include("is not a Braze REST endpoint");
    });

    // "errors if is a not a Braze endpoint"
    it("an endpoint that is not Braze's", async () => {
      const answer = await run({ braze_api_key: "AAACCCKKKATTT", braze_api_endpoint: "https://rest.notbraze.com" });
      expect(answer.message).to.include("is not a Braze REST endpoint");
    });

    // "errors if missing API key"
    it("no API key", async () => {
      const answer = await run({ braze_api_key: "", braze_api_endpoint: "https://rest.braze.com" });
      expect(answer.message).to.include('"Braze API Key" is missing');
    });
  });

  // "success with sample data" and "success with sample data and EU endpoint"
  for (const host of ["rest.braze.com", "rest.braze.eu"]) {
    it(`tracks the sample's users at ${host}`, async () => {
      const answer = await run({ braze_api_key: BRAZE_KEY, braze_api_endpoint: `http://${host}:${port()}` });
      expect(answer.success).to.equal(true);
      const [track] = fake.to(/users\/track$/);
      expect(track.body.attributes).to.deep.equal([
        { _update_existing_only: true, external_id: "abc123", field_1: "abc123 field 1 value ",
          field_2: "abc123 field 2 value ", looker_export: { add: ["looker_export"] } },
        { _update_existing_only: true, external_id: "xyz987", field_1: "xyz987 field 1 value ",
          field_2: "xyz987 field 2 value ", looker_export: { add: ["looker_export"] } },
      ]);
    });
  }
});
