// kloudio, auger and google_analytics_data_import: the official hub's names whose vendors' APIs
// are gone. Not listed; a schedule still pointing at one is told so, with what to use instead.
import { expect } from "chai";
import request from "supertest";
import { allIntegrations } from "../../../src/integrations";
import { authHeader, buildTestApp, testConfig } from "../../helpers/app";

const INSTEAD: Record<string, RegExp> = {
  kloudio: /Google Sheets \(google_sheets\)/,
  auger: /datarobot/,
  google_analytics_data_import: /Google Analytics 4.*SFTP or from a bucket.*sftp, google_cloud_storage or amazon_s3/,
};

describe("retired official names", () => {
  const { app } = buildTestApp(allIntegrations(testConfig()));

  it("are not listed to any Looker", async () => {
    for (const version of ["5.24.0", "7.20.0", "25.10.0"]) {
      const res = await request(app).post("/").set("Authorization", authHeader())
        .set("User-Agent", `LookerOutgoingWebhook/${version}`).expect(200);
      const names = res.body.integrations.map((i: any) => i.name);
      for (const name of Object.keys(INSTEAD)) { expect(names).not.to.include(name); }
    }
    const page = await request(app).get("/").expect(200);
    expect(page.text).not.to.include("kloudio");
  });

  for (const [name, instead] of Object.entries(INSTEAD)) {
    it(`${name}: a stored schedule's execute fails with HTTP 200, saying it was retired and what to use`, async () => {
      // What the official hub's schedules carried: its params, a form, a url delivery.
      const res = await request(app).post(`/actions/${name}/execute`).set("Authorization", authHeader())
        .send({ type: "query", data: { api_token: "t", state_json: "{}" }, form_params: { project_name: "p" },
          scheduled_plan: { title: "Weekly", download_url: "https://looker.example.com/one-time" } });
      expect(res.status).to.equal(200);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.match(/was retired and nothing was sent/);
      expect(res.body.looker.message).to.match(instead);
      const pushed = await request(app).post(`/actions/${name}/execute`).set("Authorization", authHeader())
        .send({ type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } }).expect(200);
      expect(pushed.body.looker.success).to.equal(false);
    });

    it(`${name}: its form says the same`, async () => {
      const res = await request(app).post(`/actions/${name}/form`).set("Authorization", authHeader())
        .send({ data: {}, form_params: {} }).expect(200);
      expect(res.body.fields).to.deep.equal([]);
      expect(res.body.error).to.match(/was retired/).and.to.match(instead);
    });
  }
});
