// The official hub's test cases of twilio and twilio_message (looker-open-source/actions
// src/actions/twilio/test_twilio.ts and test_twilio_message.ts), replayed through the real app
// against the fake Messages API: the same To, From and Body at Twilio, the same success or failure.
import { expect } from "chai";
import { TwilioIntegration } from "../../../src/integrations/twilio/twilio";
import { TwilioMessageIntegration } from "../../../src/integrations/twilio/twilio_message";
import { TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, TwilioFake } from "../../fakes/twilio_api";
import { buildTestApp } from "../../helpers/app";
import { execute, Payload } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { cellPayload, queryPayload } from "./ops_payloads";

const PARAMS = { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: TWILIO_FROM };
/** The official tests' "tophone", as a number Twilio takes: unformatted, no +. */
const TO = "12122222222";
const MYLOOK = { title: "mylook", url: "http://my.looker.com/looks/12345" };
/** `count` lines of the numbers 0..width-1 joined by commas, each ending in a line break. */
const lines = (width: number, count: number) => (Array.from({ length: width }, (_, i) => i).join(",") + "\n")
  .repeat(count);

describe("twilio: the official hub's test cases (test_twilio.ts)", () => {
  let fake: TwilioFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new TwilioFake().start();
    hub = buildTestApp([new TwilioIntegration(testHttpClient(), fake.url("/"))]);
  });
  afterEach(() => fake.stop());
  const send = (csv: string | null, plan: Record<string, unknown> | null, formParams: Record<string, string> =
    { to: TO }) => execute(hub.app, "twilio", { type: "query", scheduled_plan: plan, data: PARAMS,
    attachment: csv === null ? null : { mimetype: "text/csv", extension: "csv", data: csv }, form_params: formParams,
  } as Payload);

  // Official: "errors if there is no to".
  it("refuses a delivery without a number, nothing sent", async () => {
    const answer = await send("1,2,3,4\n5,6,7,8\n", null, {});
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors).to.have.property("to");
    expect(fake.received).to.have.length(0);
  });

  // Official: "sends right body" (no schedule: the rows alone), with a number Twilio takes unformatted.
  it("sends the rows as they are, to the number as typed", async () => {
    const answer = await send("1,2,3,4\n5,6,7,8\n", null);
    expect(answer.looker.success).to.equal(true);
    expect(fake.sent).to.deep.equal([{ To: TO, From: TWILIO_FROM, Body: "1,2,3,4\n5,6,7,8\n" }]);
  });

  // Official: "sends right body with look title and url".
  it("puts the title with a colon and the URL on their own lines first", async () => {
    await send("1,2,3,4\n5,6,7,8\n", MYLOOK);
    expect(fake.sent[0].Body).to.equal("mylook:\nhttp://my.looker.com/looks/12345\n1,2,3,4\n5,6,7,8\n");
  });

  // Official: "sends truncates body at 10 lines".
  it("keeps the first 10 lines", async () => {
    await send(lines(10, 100), null);
    expect(fake.sent[0].Body).to.equal(lines(10, 10));
  });

  // Official: "sends truncates body at 10 lines with title and url".
  it("keeps the first 10 lines after the title and URL", async () => {
    await send(lines(10, 100), MYLOOK, { to: TO, title: "mylook" });
    expect(fake.sent[0].Body).to.equal("mylook:\nhttp://my.looker.com/looks/12345\n" + lines(10, 10));
  });

  // Official: "sends truncates body at 1600 with title on newline".
  it("cuts at 1,600 characters, back to the last whole line", async () => {
    await send(lines(100, 100), MYLOOK, { to: TO, title: "mylook" });
    expect(fake.sent[0].Body).to.equal("mylook:\nhttp://my.looker.com/looks/12345\n" + lines(100, 5));
  });

  it("reads the same start from a download URL as from a push", async () => {
    const { startDownloadServer } = await import("../../fakes/download_server");
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); res.end(lines(100, 2000)); });
    try {
      const answer = await execute(hub.app, "twilio", { type: "query", data: PARAMS, form_params: { to: TO },
        scheduled_plan: { ...MYLOOK, download_url: `${download.url}/once` } } as Payload);
      expect(answer.looker.success).to.equal(true);
      expect(fake.sent[0].Body).to.equal("mylook:\nhttp://my.looker.com/looks/12345\n" + lines(100, 5));
    } finally {
      await download.close();
    }
  });

  // Official: "errors if the input has no attachment" (there a failure; here the people are told, see the README).
  it("without data, says there were no results", async () => {
    const answer = await send(null, MYLOOK);
    expect(answer.looker.success).to.equal(true);
    expect(fake.sent[0].Body).to.equal("mylook:\nhttp://my.looker.com/looks/12345\n(no results)");
  });
});

describe("twilio_message: the official hub's test cases (test_twilio_message.ts)", () => {
  let fake: TwilioFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new TwilioFake().start();
    hub = buildTestApp([new TwilioMessageIntegration(testHttpClient(), fake.url("/"))]);
  });
  afterEach(() => fake.stop());

  // Official: "errors if there is no phone tag".
  it("refuses a query without a field tagged phone", async () => {
    const answer = await execute(hub.app, "twilio_message",
      queryPayload(PARAMS, { message: "My Message" }, { tag: "coolfield", values: [TO] }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/No field of this query is tagged "phone"/);
    expect(fake.received).to.have.length(0);
  });

  // Official: "errors if the input has no message".
  it("refuses a query without a message", async () => {
    const answer = await execute(hub.app, "twilio_message",
      queryPayload(PARAMS, {}, { tag: "phone", values: [TO, "12122222223"] }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors).to.have.property("message");
    expect(fake.received).to.have.length(0);
  });

  // Official: "sends right body": the tagged field's number as it is, the message as typed.
  it("texts the message to the tagged field's number, unformatted as Twilio takes it", async () => {
    const answer = await execute(hub.app, "twilio_message",
      queryPayload(PARAMS, { message: "My Message" }, { tag: "phone", values: [TO] }));
    expect(answer.looker.success).to.equal(true);
    expect(fake.sent).to.deep.equal([{ To: TO, From: TWILIO_FROM, Body: "My Message" }]);
  });

  // Official: "errors if there is no attachment for cell".
  it("refuses a cell action without the cell's value", async () => {
    const body = cellPayload(PARAMS, { message: "My Message" });
    delete (body.data as Record<string, unknown>).value;
    delete (body.data as Record<string, unknown>).rendered;
    const answer = await execute(hub.app, "twilio_message", body);
    expect(answer.looker.success).to.equal(false);
    expect(fake.received).to.have.length(0);
  });

  // Official: "sends right params for cell".
  it("texts the clicked cell's number", async () => {
    const answer = await execute(hub.app, "twilio_message", cellPayload(PARAMS, { message: "My Message" }, TO));
    expect(answer.looker.success).to.equal(true);
    expect(fake.sent).to.deep.equal([{ To: TO, From: TWILIO_FROM, Body: "My Message" }]);
  });
});
