import { expect } from "chai";
import request from "supertest";
import { isAtLeast, parseLookerVersion } from "../../src/hub/looker_version";
import { authHeader, buildTestApp } from "../helpers/app";
import { NewLookerIntegration, ParamsIntegration } from "../helpers/integrations";

describe("Looker versions", () => {
  it("parses the User-Agent leniently", () => {
    expect(parseLookerVersion("LookerOutgoingWebhook/7.20.0")).to.deep.equal([7, 20, 0]);
    expect(parseLookerVersion("lookeroutgoingwebhook/6.2")).to.deep.equal([6, 2, 0]);
    expect(parseLookerVersion("Mozilla LookerOutgoingWebhook/22.4.15-beta (x)")).to.deep.equal([22, 4, 15]);
    expect(parseLookerVersion("LookerOutgoingWebhook/v23")).to.deep.equal([23, 0, 0]);
    expect(parseLookerVersion(undefined)).to.equal(null);
    expect(parseLookerVersion("curl/8.0")).to.equal(null);
    expect(parseLookerVersion("LookerOutgoingWebhook/")).to.equal(null);
  });

  it("compares against a minimum, unknown counting as newest", () => {
    expect(isAtLeast([6, 2, 0], "6.2")).to.equal(true);
    expect(isAtLeast([6, 1, 99], "6.2")).to.equal(false);
    expect(isAtLeast([10, 0, 0], "6.2.0")).to.equal(true);
    expect(isAtLeast(null, "99.0")).to.equal(true);
  });

  describe("in the action list", () => {
    const { app, registry } = buildTestApp([new ParamsIntegration(), new NewLookerIntegration()]);
    const list = (agent?: string) => {
      const req = request(app).post("/").set("Authorization", authHeader());
      if (agent !== undefined) { req.set("User-Agent", agent); }
      return req.expect(200);
    };

    it("hides integrations from Lookers older than their minimum", async () => {
      const old = await list("LookerOutgoingWebhook/6.24.0");
      expect(old.body.integrations.map((i: any) => i.name)).to.deep.equal(["with_params"]);
      const current = await list("LookerOutgoingWebhook/7.0.1");
      expect(current.body.integrations.map((i: any) => i.name)).to.deep.equal(["with_params", "new_looker_only"]);
      await request(app).post("/actions/new_looker_only").set("Authorization", authHeader())
        .set("User-Agent", "LookerOutgoingWebhook/6.24.0").expect(404);
    });

    it("treats no or an unknown User-Agent as the newest Looker", async () => {
      for (const agent of [undefined, "", "SomethingElse/1.0"]) {
        const res = await list(agent);
        expect(res.body.integrations.map((i: any) => i.name)).to.include("new_looker_only");
      }
    });

    it("computes version-dependent formats", async () => {
      const old = await list("LookerOutgoingWebhook/6.1.0");
      expect(old.body.integrations[0].supported_formats).to.deep.equal(["json_detail"]);
      const newer = await list("LookerOutgoingWebhook/6.2.0");
      expect(newer.body.integrations[0].supported_formats).to.deep.equal(["json_detail_lite_stream"]);
      const def = await request(app).post("/actions/with_params").set("Authorization", authHeader())
        .set("User-Agent", "LookerOutgoingWebhook/5.5.0").expect(200);
      expect(def.body.supported_formats).to.deep.equal(["json_detail"]);
    });

    it("builds each version's list once and serves it from memory", () => {
      const first = registry.listJson([7, 1, 0]);
      expect(registry.listJson([7, 1, 0])).to.equal(first);
      expect(registry.listJson(null)).to.equal(registry.listJson(null));
    });
  });
});
