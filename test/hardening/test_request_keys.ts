// Names from the request are never keys into Object.prototype, and header material from the
// request is checked: a format, extension, mimetype, field or param named `constructor`,
// `__proto__` or `toString` is an unknown name, and CR/LF in the mimetype is bad input.
import { expect } from "chai";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { ActionRequest } from "../../src/hub/action_request";
import { requestFromBody } from "../../src/data/body/request_body";
import { rowToMessage } from "../../src/integrations/segment/segment_mapper";
import { createLogger } from "../../src/lib/logger";
import { HttpReceiver, loopbackLookup } from "../fakes/http_receiver";
import { buildTestApp } from "../helpers/app";
import { execute } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { queryBody, slackHarness } from "../integrations/slack/slack_setup";

const PROTO_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
const CONTEXT = { requestId: "r", lookerVersion: [7, 20, 0] as any, logger: createLogger({ level: "error", format: "json" }) };

describe("request data as keys and headers", () => {
  describe("webhook", () => {
    let receiver: HttpReceiver;
    beforeEach(async () => { receiver = await new HttpReceiver().start(); });
    afterEach(async () => { await receiver.stop(); });

    it("sends a plain content type and format header for formats named like Object.prototype's members", async () => {
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({}, loopbackLookup()))]);
      for (const name of PROTO_NAMES) {
        const answer = await execute(app, "webhook", {
          type: "query", form_params: { url: receiver.url("/in"), format: name },
          attachment: { mimetype: name, extension: name, data: "a,b\n1,2\n" },
        });
        expect(answer.looker, `${name}: ${JSON.stringify(answer)}`).to.deep.include({ success: true });
        const got = receiver.received[receiver.received.length - 1];
        expect(got.headers["content-type"], name).to.equal("application/octet-stream");
        expect(JSON.stringify(got.headers), name).not.to.match(/function|\[native code\]|\[object/);
      }
    });

    it("answers CR/LF in the mimetype as bad input, with a clear message", async () => {
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({}, loopbackLookup()))]);
      for (const mimetype of ["text/csv\r\nX-Injected: 1", "text/csv\n", "text/\u0000csv"]) {
        const answer = await execute(app, "webhook", {
          type: "query", form_params: { url: receiver.url("/in") },
          attachment: { mimetype, extension: "csv", data: "a,b\n1,2\n" },
        });
        // Refused as the body is read, before any delivery: a 400 naming the field.
        expect(answer.success, mimetype).to.equal(false);
        expect(answer.error, mimetype).to.match(/"attachment.mimetype" contains a line break or control/);
      }
      expect(receiver.received).to.have.length(0);
    });
  });

  it("names a Slack file by the schedule, not by Object.prototype's members", async () => {
    const h = await slackHarness();
    try {
      for (const name of PROTO_NAMES) {
        const res = await h.post("execute", queryBody(h.fake, {
          formParams: { filename: "", format: name }, attachment: { mimetype: name, extension: name, data: "a\n1\n" },
        })).expect(200);
        expect(res.body.looker, name).to.include({ success: true });
        const filename = h.fake.callsOf("files.getUploadURLExternal").pop()!.args.filename;
        expect(filename, name).not.to.match(/function|native code|\[object/);
        expect(filename.startsWith("Weekly revenue"), filename).to.equal(true);
      }
    } finally {
      await h.close();
    }
  });

  it("keeps request keys named like Object.prototype's members as plain keys", () => {
    const request: ActionRequest = requestFromBody({ type: "query", form_params: JSON.parse(
      "{\"__proto__\":\"a\",\"constructor\":\"b\"}"), data: { toString: "c" } }, CONTEXT);
    expect(Object.keys(request.formParams)).to.deep.equal(["__proto__", "constructor"]);
    expect(request.formParams.constructor).to.equal("b");
    expect(request.params.toString).to.equal("c");
    const empty = requestFromBody({ type: "query" }, CONTEXT);
    for (const name of PROTO_NAMES) { expect(empty.formParams[name], name).to.equal(undefined); }
  });

  it("maps only a row's own fields to Segment traits", () => {
    const roles = { valueFields: ["users.name", "constructor"], emailField: "toString",
      userIdField: "users.id" } as any;
    const mapped = rowToMessage({ "users.id": { value: 7 }, "users.name": { value: "Zoë" } } as any, roles,
      { call: "identify" } as any, new Date(0), "m-1", () => "anon");
    expect(JSON.stringify(mapped)).not.to.match(/function|native code/);
    expect((mapped as any).message?.traits ?? {}).not.to.have.property("email");
  });
});
