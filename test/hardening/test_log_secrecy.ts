// Runs every registered integration with a sentinel in every param, form field, state and
// row, through success and failure paths, and fails if a sentinel reaches the log.
import { expect } from "chai";
import request from "supertest";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor, Mood } from "../fakes/any_vendor";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { walked } from "../helpers/suite_wide";
import { loginData } from "./oauth_states";
import { vendorEnv } from "./vendor_env";
import {
  firstFormat, SENTINEL, sentinel, sentinelAttachment, sentinelFieldValue, sentinelParams,
} from "./sentinel_requests";

describe("secrets and data stay out of logs", function() {
  this.timeout(120_000);
  let vendor: AnyVendor;
  before(async () => { vendor = await new AnyVendor().start(); });
  after(async () => { await vendor.stop(); });

  for (const mood of ["ok", "error", "garbage", "reset"] as Mood[]) {
    it(`for every integration, vendor ${mood}`, async () => {
      vendor.mood = mood;
      const env = vendorEnv(vendor.url);
      const integrations = allIntegrations(testConfig(env));
      const { app, logs } = buildTestApp(integrations, env);
      const statuses: string[] = [];
      for (const integration of walked(integrations)) {
        const data = { ...sentinelParams(integration), state_json: sentinel("state"),
          state_url: sentinel("state_url"), ...loginData(integration, sentinel("token")) };
        const post = (route: string) => request(app).post(`/actions/${integration.name}/${route}`)
          .set("Authorization", authHeader()).set("X-Looker-Webhook-Id", `hook-${integration.name}`);
        const form = await post("form").send({ data, form_params: { channelType: "manual" } });
        statuses.push(`${integration.name} form ${form.status}`);
        const fields: any[] = Array.isArray(form.body.fields) ? form.body.fields : [];
        const formParams = Object.fromEntries(fields.map((f) => [f.name, sentinelFieldValue(f, vendor.url)]));
        for (const type of integration.supportedActionTypes) {
          const body: Record<string, unknown> = {
            type, data: type === "cell" ? { ...data, value: sentinel("cell"), rendered: sentinel("cellr") } : data,
            form_params: formParams,
            scheduled_plan: { scheduled_plan_id: 1, title: sentinel("title"), url: `https://looker.example.com/looks/1`,
              query: { vis_config: { hidden_fields: [] } } },
          };
          if (type !== "cell") { body.attachment = sentinelAttachment(firstFormat(integration)); }
          const res = await post("execute").send(body);
          statuses.push(`${integration.name} ${type} ${res.status} ${res.body?.looker?.success}`);
          expect(res.status, `${integration.name} ${type}`).to.be.oneOf([200, 400]);
        }
        if (integration.oauth) {
          const base = `/actions/${integration.name}`;
          const link = fields.find((f) => f.oauth_url)?.oauth_url;
          const browser = [`${base}/oauth?state=${sentinel("browser_state")}`,
            `${base}/oauth_redirect?code=${sentinel("code")}&state=${sentinel("redirect_state")}`,
            `${base}/oauth_redirect?error=${sentinel("error")}`];
          if (link) { browser.push(new URL(link).pathname + new URL(link).search); }
          for (const path of browser) {
            statuses.push(`${integration.name} GET ${(await request(app).get(path)).status}`);
          }
          await post("oauth_token").send({ state: sentinel("sealed_code") });
          await post("oauth_check").send({ data });
        }
      }
      const text = logs();
      expect(text.length).to.be.greaterThan(0);
      const leaks = text.split("\n").filter((line) => line.includes(SENTINEL));
      expect(leaks, `${statuses.join("\n")}\nleaked:\n${leaks.join("\n")}`).to.deep.equal([]);
      expect(integrations.length).to.be.greaterThan(1);
    });
  }
});
