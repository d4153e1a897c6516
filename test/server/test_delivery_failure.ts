// A failed delivery's message ends with a reference, and that reference finds exactly one log
// line holding the message, the integration, the request id and Looker's webhook id, and no
// secret or row of the request.
import { expect } from "chai";
import request from "supertest";
import { ActionRequest, ActionType } from "../../src/hub/action_request";
import { ActionResponse } from "../../src/hub/action_response";
import { ALL_FORMATS, Format, iconBeside, Integration, Param } from "../../src/hub/integration";
import { failureRef, withRef } from "../../src/server/delivery_failure";
import { authHeader, buildTestApp } from "../helpers/app";
import { FAILURE_REF } from "../helpers/execute";
import { FailingIntegration } from "../helpers/integrations";
import { pushBody } from "../helpers/looker_payloads";

const SECRET = "sk-live-SECRETVALUE42";
const ROW = "ROWDATA-ada@example.com";

/** Answers a failure (rather than throwing one), as an integration may. */
class RefusingIntegration extends Integration {
  readonly name = "refusing";
  readonly label = "Refusing";
  readonly description = "Answers that the vendor refused the delivery.";
  readonly icon = iconBeside(`${__dirname}/../../src/integrations/debug`, "debug.svg");
  readonly params: Param[] = [
    { name: "api_key", label: "API Key", description: "Key.", required: true, sensitive: true },
  ];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];

  async execute(req: ActionRequest): Promise<ActionResponse> {
    const list = req.formParams.list ? ` "${req.formParams.list}"` : "";
    return ActionResponse.failure(`The vendor refused the list${list}: it is full. Remove old entries and send again.`);
  }
}

describe("a failed delivery's reference", () => {
  const hub = buildTestApp([new RefusingIntegration(), new FailingIntegration()]);
  const lines = () => hub.logs().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const send = (name: string, body: object, webhookId: string) => request(hub.app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader()).set("X-Looker-Webhook-Id", webhookId).send(body);

  it("is the request id's first 8 hex digits, at the end of the message", () => {
    expect(failureRef("1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d")).to.equal("1a2b3c4d");
    expect(withRef("Check the token.", "1a2b3c4d")).to.equal("Check the token. (ref 1a2b3c4d)");
  });

  for (const [what, name, form, status] of [
    ["a failure the integration answers", "refusing", {}, 200],
    ["a user error it throws", "failing", { mode: "user" }, 200],
    ["an internal error", "failing", { mode: "internal" }, 500],
  ] as Array<[string, string, Record<string, string>, number]>) {
    it(`finds the one log line of ${what}`, async () => {
      const webhookId = `wh-${name}-${form.mode ?? "answer"}`;
      const body = pushBody("csv", { data: { api_key: SECRET }, form_params: form }, `email\n${ROW}\n`);
      const res = await send(name, body, webhookId);
      expect(res.status).to.equal(status);
      const message: string = res.body.looker.message;
      expect(res.body.looker.success).to.equal(false);
      const ref = FAILURE_REF.exec(message)![1];
      expect(ref).to.equal(failureRef(res.headers["x-request-id"]));
      const found = lines().filter((l) => JSON.stringify(l).includes(ref) && l.message === "delivery failed");
      expect(found).to.have.length(1);
      expect(found[0]).to.include({ ref, userMessage: message, integration: name, webhookId,
        requestId: res.headers["x-request-id"], level: "warn" });
      expect(hub.logs()).to.not.include(SECRET).and.not.include(ROW);
    });
  }

  it("names what the user typed in the answer, never in the log line", async () => {
    const typed = "Q3-audience-PERSONAL-9";
    const body = pushBody("csv", { data: { api_key: SECRET }, form_params: { list: typed } }, `email\n${ROW}\n`);
    const res = await send("refusing", body, "wh-typed");
    expect(res.body.looker.message).to.include(`the list "${typed}": it is full`);
    const ref = FAILURE_REF.exec(res.body.looker.message)![1];
    const found = lines().filter((l) => l.ref === ref && l.message === "delivery failed");
    expect(found).to.have.length(1);
    expect(found[0].userMessage).to.include('the list "[typed value]": it is full');
    expect(hub.logs()).to.not.include(typed);
  });

  it("is not added to successes", async () => {
    const res = await send("failing", { type: "query", form_params: { mode: "sleep" } }, "wh-ok");
    expect(res.body.looker).to.deep.include({ success: true, message: "slept" });
  });
});
