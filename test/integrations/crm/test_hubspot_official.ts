// The official hub's HubSpot cases (looker-open-source/actions src/actions/hubspot/
// test_hubspot_contacts.ts and test_hubspot_companies.ts), replayed through the real app against
// the local HubSpot. Each `it` names the official file and case.
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { HubspotCompaniesIntegration, HubspotContactsIntegration } from "../../../src/integrations/hubspot/hubspot";
import { HttpClient } from "../../../src/lib/http_client";
import { FakeHubspot, HUBSPOT_TOKEN } from "../../fakes/hubspot_api";
import { cells, crmApp, detail, execute, executeBody } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) =>
  [new HubspotContactsIntegration(http, settings), new HubspotCompaniesIntegration(http, settings)];

function sample(idTag: string | undefined, third = "property.two") {
  return detail({ dimensions: [{ name: "contact_id", ...(idTag ? { tags: [idTag] } : {}) },
    { name: "property_one" }, { name: third }] }, cells([
    { "contact_id": "0123456", "property_one": "property_one_value_1", [third]: "property_two_value_1" },
    { "contact_id": "9876543", "property_one": "property_one_value_2", [third]: "property_two_value_2" },
  ]));
}

const EXPECTED = [
  { id: "0123456", properties: { property_one: "property_one_value_1", property_two: "property_two_value_1" } },
  { id: "9876543", properties: { property_one: "property_one_value_2", property_two: "property_two_value_2" } },
];

describe("HubSpot: the official hub's test cases", () => {
  let fake: FakeHubspot;
  let app: ReturnType<typeof crmApp>;
  const run = (name: string, payload: unknown, hiddenFields: string[] = []) => execute(app, name,
    executeBody(payload, { params: { hubspot_access_token: HUBSPOT_TOKEN }, hiddenFields }));
  beforeEach(async () => {
    fake = await new FakeHubspot().start();
    app = crmApp(build, { HUBSPOT_API_URL: fake.url });
  });
  afterEach(async () => { await fake.stop(); });

  // test_hubspot_contacts.ts: "works with hubspot_contact_id"
  it("contacts: the tagged id and every other field as a property, '.' as '_'", async () => {
    const answer = await run("hubspot_contacts", sample("hubspot_contact_id"));
    expect(answer.success).to.equal(true);
    expect(fake.to(/batch\/update$/)[0].path).to.equal("/crm/v3/objects/contacts/batch/update");
    expect(fake.batches).to.deep.equal([EXPECTED]);
  });

  // test_hubspot_contacts.ts: "should fail without a hubspot_contact_id and"
  it("contacts: no field tagged hubspot_contact_id fails, nothing sent", async () => {
    const answer = await run("hubspot_contacts", sample(undefined));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include('needs a field tagged "hubspot_contact_id"');
    expect(fake.requests).to.have.length(0);
  });

  // test_hubspot_contacts.ts: "doesn't send hidden fields"
  it("contacts: a hidden field is not sent", async () => {
    const answer = await run("hubspot_contacts", sample("hubspot_contact_id", "hidden_property"), ["hidden_property"]);
    expect(answer.success).to.equal(true);
    expect(fake.batches).to.deep.equal([[
      { id: "0123456", properties: { property_one: "property_one_value_1" } },
      { id: "9876543", properties: { property_one: "property_one_value_2" } },
    ]]);
  });

  // test_hubspot_companies.ts: "works with hubspot_company_id"
  it("companies: the tagged id and every other field as a property", async () => {
    const answer = await run("hubspot_companies", sample("hubspot_company_id"));
    expect(answer.success).to.equal(true);
    expect(fake.to(/batch\/update$/)[0].path).to.equal("/crm/v3/objects/companies/batch/update");
    expect(fake.batches).to.deep.equal([EXPECTED]);
  });

  // test_hubspot_companies.ts: "should fail without a hubspot_contact_id and return proper error message"
  it("companies: no field tagged hubspot_company_id fails, nothing sent", async () => {
    const answer = await run("hubspot_companies", sample(undefined));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include('needs a field tagged "hubspot_company_id"');
    expect(fake.requests).to.have.length(0);
  });
});
