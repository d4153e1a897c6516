// twilio and twilio_message through the real app against a local fake of Twilio's Messages API.
import { expect } from "chai";
import { TwilioIntegration } from "../../../src/integrations/twilio/twilio";
import { twilioAddress } from "../../../src/integrations/twilio/twilio_api";
import { TwilioMessageIntegration } from "../../../src/integrations/twilio/twilio_message";
import { TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, TwilioFake } from "../../fakes/twilio_api";
import request from "supertest";
import { authHeader, buildTestApp } from "../../helpers/app";
import { execute, form, PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { cellPayload, queryPayload } from "./ops_payloads";

const PARAMS = { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: TWILIO_FROM };
const CSV = "Region,Revenue\nNorth,100\nSouth,200\n" + Array.from({ length: 20 }, (_, i) => `R${i},${i}`).join("\n");

describe("twilio integrations", () => {
  let fake: TwilioFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new TwilioFake().start();
    const http = testHttpClient();
    hub = buildTestApp([new TwilioIntegration(http, fake.url("/")), new TwilioMessageIntegration(http, fake.url("/"))]);
  });
  afterEach(() => fake.stop());
  const phones = (numbers: Array<string | null>, formParams: Record<string, string> = { message: "Server down" },
    params: Record<string, string> = PARAMS) =>
    execute(hub.app, "twilio_message", queryPayload(params, formParams, { tag: "phone", values: numbers }));

  // docs/dry_run.md: the credentials are read with Fetch an Account (a GET); no message is sent.
  it("a dry run reads the account with the credentials; refused credentials fail it; nothing is sent", async () => {
    const dry = (params: Record<string, string>) => request(hub.app).post("/actions/twilio_message/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(queryPayload(params, { message: "Server down" }, { tag: "phone", values: ["+15550100001"] }))
      .then((res) => res.body.looker);
    const ok = await dry(PARAMS);
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to .*: Twilio took the Account SID and Auth Token \(Fetch an Account\); it would get/);
    const bad = await dry({ ...PARAMS, authToken: "wrong" });
    expect(bad.success).to.equal(false);
    expect(bad.message).to.match(/^Twilio refused the Account SID and Auth Token; ask your Looker admin to check them\. \(ref /);
    expect(fake.received.map((r) => r.method)).to.deep.equal(["GET", "GET"]);
    expect(fake.sent).to.have.length(0);
  });

  it("declares the official names, params, forms and tag", async () => {
    for (const name of ["twilio", "twilio_message"]) {
      const def = hub.registry.definition(hub.registry.get(name, null), null) as any;
      expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal([
        ["accountSid", true, false], ["authToken", true, true], ["from", true, false]]);
    }
    const message = hub.registry.definition(hub.registry.get("twilio_message", null), null) as any;
    expect(message.required_fields).to.deep.equal([{ tag: "phone" }]);
    expect(message.supported_action_types).to.deep.equal(["cell", "query"]);
    expect((await form(hub.app, "twilio")).fields.map((f: any) => [f.name, f.type])).to.deep.equal([["to", "string"]]);
    expect((await form(hub.app, "twilio_message")).fields.map((f: any) => [f.name, f.type]))
      .to.deep.equal([["message", "textarea"]]);
  });

  it("sends what can be a number (Twilio judges the rest), spaces, dashes and brackets removed", () => {
    expect(twilioAddress("+1 (555) 010-2030")).to.equal("+15550102030");
    expect(twilioAddress("12122222222")).to.equal("12122222222");
    expect(twilioAddress("(212) 222-2222")).to.equal("2122222222");
    expect(twilioAddress("whatsapp:+15550102030")).to.equal("whatsapp:+15550102030");
    expect(twilioAddress("acme-corp-1042")).to.equal(undefined);
    expect(twilioAddress("tophone")).to.equal(undefined);
    expect(twilioAddress("+1234567890123456")).to.equal(undefined);
  });

  describe("twilio (Send Data)", () => {
    const send = (to: string, attachment: Record<string, unknown> | null = { mimetype: "text/csv", extension: "csv",
      data: CSV }) => execute(hub.app, "twilio", { type: "query", scheduled_plan: PLAN, attachment, data: PARAMS,
      form_params: { to } });

    it("texts the title, link and first ten lines of the CSV to each number once", async () => {
      const answer = await send("+15550100001, +1 555 010 0002,+15550100001");
      expect(answer.looker).to.deep.include({ success: true,
        message: "Sent 2 messages through Twilio: +15550100001, +15550100002." });
      expect(fake.sent.map((m) => m.To)).to.have.members(["+15550100001", "+15550100002"]);
      const body = fake.sent[0].Body.split("\n");
      expect(body.slice(0, 4)).to.deep.equal(["Weekly revenue:", PLAN.url, "Region,Revenue", "North,100"]);
      expect(body).to.have.length(13);
      expect(body[12]).to.equal("");
      expect(fake.sent[0].From).to.equal(TWILIO_FROM);
      const got = fake.received[0];
      expect(got.headers.authorization).to.equal(`Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString("base64")}`);
    });

    it("says there were no results rather than sending nothing", async () => {
      const answer = await send("+15550100001", null);
      expect(answer.looker.success).to.equal(true);
      expect(fake.sent[0].Body).to.equal(`Weekly revenue:\n${PLAN.url}\n(no results)`);
    });
  });

  describe("twilio_message (Send Message)", () => {
    it("texts the number in the clicked cell and answers in one sentence", async () => {
      const answer = await execute(hub.app, "twilio_message",
        cellPayload(PARAMS, { message: "Call me" }, "+1 555 010 0009"));
      expect(answer.looker).to.deep.include({ success: true,
        message: "Sent the message to +15550100009 through Twilio." });
      expect(fake.sent).to.deep.equal([{ To: "+15550100009", From: TWILIO_FROM, Body: "Call me" }]);
    });

    it("refuses the fixture's cell value, which is no phone number, without calling Twilio", async () => {
      const answer = await execute(hub.app, "twilio_message", cellPayload(PARAMS, { message: "Hi" }));
      expect(answer.looker).to.deep.include({ success: false, message: "Could not send the message to acme-corp-1042 " +
        "through Twilio: not a phone number: use E.164 form, + and the country code (+15551234567)." });
      expect(fake.received).to.have.length(0);
    });

    it("asks for the message on a cell action too", async () => {
      const answer = await execute(hub.app, "twilio_message", cellPayload(PARAMS, {}, "+15550100009"));
      expect(answer.looker).to.deep.include({ success: false, message: "Type the message to send." });
      expect(answer.looker.validation_errors).to.have.property("message");
    });

    it("sends one message per distinct number of the phone field", async () => {
      const answer = await phones(["+15550100001", "+15550100002", "+15550100001", null, "+1 555 010 0002"]);
      expect(answer.looker).to.deep.include({ success: true,
        message: "Sent 2 messages through Twilio: +15550100001, +15550100002." });
      expect(fake.sent).to.have.length(2);
    });

    it("counts and names each failure: invalid, unverified on a trial account, blocked", async () => {
      fake.unverified.add("+15550100003");
      fake.blocked.add("+15550100004");
      const answer = await phones(["+15550100001", "555-0100", "+15550100003", "+15550100004", "+15550100005"]);
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.equal("Sent 2 of 5 messages through Twilio; 3 failed: " +
        "5550100 (invalid number: Twilio could not read it; use E.164 form (+15551234567)); " +
        "+15550100003 (unverified number: a Twilio trial account sends only to numbers verified in the Console); " +
        "+15550100004 (blocked: the recipient replied STOP to this sender).");
      expect(fake.sent.map((m) => m.To)).to.have.members(["+15550100001", "+15550100005"]);
    });

    it("stops at refused credentials and says so once", async () => {
      const answer = await phones(["+15550100001", "+15550100002", "+15550100003", "+15550100004", "+15550100005",
        "+15550100006"], { message: "x" }, { ...PARAMS, authToken: "wrong" });
      expect(answer.looker).to.deep.include({ success: false,
        message: "Twilio refused the Account SID and Auth Token; " +
        "ask your Looker admin to check them. Nothing was sent." });
      expect(fake.received.length).to.be.at.most(4);
    });

    it("names a From number the account does not own", async () => {
      const answer = await phones(["+15550100001"], { message: "x" }, { ...PARAMS, from: "+15550199999" });
      expect(answer.looker.message).to.match(/^Twilio will not send from the "From" setting: it is not an SMS-capable number .*; ask your Looker admin .*Nothing was sent\.$/);
    });

    it("checks the Account SID and the message length before calling Twilio", async () => {
      const badSid = await phones(["+15550100001"], { message: "x" }, { ...PARAMS, accountSid: "12345" });
      expect(badSid.looker.message).to.match(/Account SID is not one/);
      const long = await phones(["+15550100001"], { message: "x".repeat(1601) });
      expect(long.looker.validation_errors).to.have.property("message");
      expect(fake.received).to.have.length(0);
    });

    it("waits out Twilio's 429 and sends; a limit that lasts is named", async () => {
      const limited = { status: 429, body: JSON.stringify({ code: 20429, message: "Too Many Requests", status: 429 }) };
      fake.reply(limited);
      expect((await phones(["+15550100001"])).looker.success).to.equal(true);
      fake.reply(limited, limited, limited);
      const answer = await phones(["+15550100001"]);
      expect(answer.looker.message).to.equal("Could not send the message to +15550100001 through Twilio: " +
        "Twilio's rate limit was reached; try again in a minute.");
    });

    it("says which field to tag when none is tagged phone", async () => {
      const answer = await execute(hub.app, "twilio_message",
        queryPayload(PARAMS, { message: "x" }, { tag: "email", values: ["+15550100001"] }));
      expect(answer.looker.message).to.match(/No field of this query is tagged "phone".*tags: \["phone"\]/);
    });

    it("logs no token, number or message, even when a failure names the numbers to the person", async () => {
      fake.blocked.add("+15550100002");
      const answer = await phones(["+15550100001", "+15550100002"], { message: "secret words" });
      expect(answer.looker.message).to.include("+15550100002 (blocked");
      expect(hub.logs()).to.include("twilio messages sent");
      expect(hub.logs()).to.include(
        "Sent 1 of 2 messages through Twilio; 1 failed (targets and reasons went to Looker");
      for (const s of [TWILIO_TOKEN, "5550100001", "5550100002", "secret words"]) {
        expect(hub.logs()).to.not.include(s);
      }
    });
  });
});
