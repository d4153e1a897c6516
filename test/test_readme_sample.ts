// The try-out sample of docs/console.md (linked from the README's "Try it without Looker") is a
// delivery both debug and webhook accept, as
// Looker sends it (a CSV push); the webhook receiver gets the CSV.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import request from "supertest";
import { allIntegrations } from "../src/integrations";
import { HttpReceiver } from "./fakes/http_receiver";
import { authHeader, buildTestApp, testConfig } from "./helpers/app";

const ROOT = path.join(__dirname, "..");

describe("the try-out sample delivery (docs/console.md)", () => {
  it("reaches debug and, through webhook, a local receiver", async () => {
    const readme = fs.readFileSync(path.join(ROOT, "docs/console.md"), "utf8");
    expect(readme).to.contain("--data @docs/samples/looker_csv_push.json");
    const sample = JSON.parse(fs.readFileSync(path.join(ROOT, "docs/samples/looker_csv_push.json"), "utf8"));
    const receiver = await new HttpReceiver().start();
    try {
      const env = { DEBUG_INTEGRATION: "true", ALLOW_HTTP_URLS: "true", ALLOW_PRIVATE_URLS: "true" };
      const { app } = buildTestApp(allIntegrations(testConfig(env)), env);
      const post = (name: string, body: object) => request(app).post(`/actions/${name}/execute`)
        .set("Authorization", authHeader()).send(body).expect(200);
      const debug = await post("debug", sample);
      expect(debug.body.looker).to.include({ success: true, message: "received 70 bytes, 2 rows" });
      // The sample's receiver is 127.0.0.1:9000; here the test's receiver stands in.
      expect(sample.form_params.url).to.equal("http://127.0.0.1:9000/looker");
      const webhook = await post("webhook", { ...sample, form_params: { url: receiver.url("/looker") } });
      expect(webhook.body.looker).to.include({ success: true, message: "Sent 70 bytes to 127.0.0.1 (HTTP 200)." });
      expect(receiver.received[0].body.toString()).to.equal(sample.attachment.data);
      expect(readme).to.contain("received 70 bytes, 2 rows").and.contain("Sent 70 bytes to 127.0.0.1 (HTTP 200).");
    } finally {
      await receiver.stop();
    }
  });
});
