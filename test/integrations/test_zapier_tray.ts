// Zapier and Tray through the full path. Their vendor host names resolve (stubbed DNS) to
// the local receiver on 127.0.0.1, so the host check sees real vendor names.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Integration } from "../../src/hub/integration";
import { HttpClient } from "../../src/lib/http_client";
import { TrayIntegration } from "../../src/integrations/tray/tray";
import { ZapierIntegration } from "../../src/integrations/zapier/zapier";
import { HttpReceiver } from "../fakes/http_receiver";
import { buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const DETAIL = fs.readFileSync(path.join(__dirname, "../fixtures/json_detail_example.json"), "utf8");

const VENDORS = [
  { name: "zapier", make: (http: HttpClient): Integration => new ZapierIntegration(http, ["zapier.com"]),
    host: "hooks.zapier.com", hookPath: "/hooks/catch/123/abc/", label: "Zapier Webhook URL", domain: "zapier.com",
    vendor: "Zapier" },
  { name: "tray", make: (http: HttpClient): Integration => new TrayIntegration(http, ["trayapp.io"]),
    host: "0a1b2c3d-4e5f.trayapp.io", hookPath: "/", label: "Tray Webhook URL", domain: "trayapp.io", vendor: "Tray" },
];

for (const v of VENDORS) {
  describe(`${v.name} integration`, () => {
    let receiver: HttpReceiver;
    beforeEach(async () => { receiver = await new HttpReceiver().start(); });
    afterEach(async () => { await receiver.stop(); });
    const app = () => buildTestApp([v.make(testHttpClient())]).app;
    const deliver = (url: string) => execute(app(), v.name, {
      type: "query", scheduled_plan: PLAN,
      attachment: { mimetype: "application/json", extension: "json", data: DETAIL }, form_params: { url },
    });

    // Official (src/actions/{tray,zapier}/test_{tray,zapier}.ts): "has form" and "has form with url param".
    it("has the official hub's form field and formats", async () => {
      const f = await form(app(), v.name);
      expect(f.fields).to.have.length(1);
      expect(f.fields[0]).to.deep.include({ name: "url", label: v.label, required: true, type: "string" });
      const definition = buildTestApp([v.make(testHttpClient())]).registry.integrations[0];
      expect(definition.supportedFormats).to.deep.equal(["json_detail"]);
      expect(definition.supportedActionTypes).to.deep.equal(["query"]);
    });

    it("posts the json_detail to the vendor's hook", async () => {
      const answer = await deliver(receiver.url(v.hookPath, v.host));
      expect(answer.looker.success).to.equal(true);
      expect(answer.looker.message).to.equal(`Sent ${Buffer.byteLength(DETAIL).toLocaleString("en-US")} bytes to ${v.vendor}.`);
      const got = receiver.received[0];
      expect(got.path).to.equal(v.hookPath);
      expect(got.headers.host).to.equal(`${v.host}:${receiver.port}`);
      expect(got.headers["content-type"]).to.equal("application/json");
      expect(got.headers["x-looker-webhook-id"]).to.equal("wh-7f3a");
      expect(got.body.toString("utf8")).to.equal(DETAIL);
    });

    it("retries when the vendor is briefly unavailable", async () => {
      receiver.reply({ status: 502, body: "bad gateway" });
      const answer = await deliver(receiver.url(v.hookPath, v.host));
      expect(answer.looker.success).to.equal(true);
      expect(receiver.received).to.have.length(2);
      expect(receiver.received[1].body.equals(receiver.received[0].body)).to.equal(true);
    });

    it("names the vendor and the status when the hook is gone", async () => {
      receiver.reply({ status: 404, body: "not found" });
      const answer = await deliver(receiver.url(v.hookPath, v.host));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.equal(`${v.vendor} answered HTTP 404: "not found".`);
    });

    for (const host of ["example.com", `${v.domain}.evil.io`, `evil${v.domain}`]) {
      it(`refuses ${host}, naming the accepted hosts, with no request made`, async () => {
        const answer = await deliver(receiver.url("/hook", host));
        expect(answer.looker.success).to.equal(false);
        expect(answer.looker.message).to.contain(`${v.vendor} webhook URLs must be on ${v.domain} (or a subdomain)`);
        expect(answer.looker.message).to.contain(`this URL's host is ${host}`);
        expect(answer.looker.validation_errors.url).to.equal(answer.looker.message);
        expect(receiver.received).to.have.length(0);
      });
    }
  });
}
