// `npm run new-integration -- <name>` (shape `message`, the default): a message and the delivery
// as a file, posted to a webhook URL the user types (a Discord- or chat-style incoming webhook),
// on the webhook family's URL check and multipart body (src/families/webhook/).
import { Names, readmeTail, Template } from "./new_integration_templates";
import { GENERIC_DRY_RUN_CHECKS } from "../src/hub/integration";

function integration(n: Names): string {
  return `// ${n.label}: a message and the delivery as a file, posted to a ${n.label} webhook URL the user
// types. Made by \`npm run new-integration\`: replace every PLACEHOLDER with what ${n.label} really
// calls things, and the placeholder multipart fields with the ones its API documents.
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { multipartFile } from "../../families/webhook/multipart_file";
import { checkedUrl } from "../../families/webhook/webhook_post";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError } from "../../lib/http_errors";

export class ${n.className} extends FileIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "${n.name}";
  readonly label = "${n.label}";
  readonly description = "Post a message with the data as a file to a ${n.label} channel.";
  readonly icon = iconBeside(__dirname, "${n.name}.svg");
  readonly params: Param[] = [];

  constructor(private readonly http: HttpClient) { super(); }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "webhook_url", label: "Webhook URL", type: "string", required: true,
      description: "PLACEHOLDER: where in ${n.label} the user copies the channel's webhook URL.",
    }, {
      name: "message", label: "Message", type: "textarea", required: false,
      description: "Text posted with the file; the schedule's title when empty.",
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    // A URL the user typed: the private-address guard checks it now, before any data is read (and
    // the HTTP client again on every connection). Never mark it trusted.
    const url = await checkedUrl(this.http, request.formParams.webhook_url ?? "", "webhook_url");
    if (!request.delivery) {
      throw new UserError("There was no data to send: the query returned nothing. Nothing was posted to ${n.label}.");
    }
    const fileName = requestFileName(request, undefined);
    const text = (request.formParams.message ?? "").trim() || request.suggestedTitle();
    // PLACEHOLDER VENDOR CALL: the parts ${n.label} documents (here a JSON message part and the file).
    const file = await multipartFile(request.delivery, fileName, requestContentType(request), {
      fields: { payload_json: JSON.stringify({ content: text }) }, fileField: "file",
    });
    try {
      await this.http.request({
        url, method: "POST", headers: { "content-type": file.contentType }, body: file.body,
        who: this.label, logger: request.logger,
      });
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.failure.status : undefined;
      if (status === 401 || status === 403 || status === 404) {
        throw new UserError(\`${n.label} refused the webhook URL (HTTP \${status}): it may have been deleted. \` +
          "Check the URL in the schedule's settings, or make a new webhook.", { webhook_url: "Check this URL." });
      }
      throw err;
    }
    return ActionResponse.ok(\`Posted "\${fileName}" (\${formatBytes(file.bytes())}) to ${n.label}.\`);
  }
}
`;
}

function test(n: Names): string {
  return `// ${n.label} through the real app against a fake webhook on 127.0.0.1. Made with the integration
// by \`npm run new-integration\`: it passes against the placeholder parts. When you write the real call,
// make the fake answer as ${n.label} does and assert what it received: parts, bytes, headers.
import { expect } from "chai";
import request from "supertest";
import { ${n.className} } from "../../src/integrations/${n.name}/${n.name}";
import { createHttpClient } from "../../src/lib/http_client";
import { HttpReceiver } from "../fakes/http_receiver";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { testHttpClient } from "../helpers/http";
import { parseMultipart } from "../helpers/multipart";

const CSV = "Orders ID,Orders Total\\n1,10.50\\n2,7.00\\n";

describe("${n.name} integration", () => {
  let vendor: HttpReceiver;
  beforeEach(async () => { vendor = await new HttpReceiver().start(); });
  afterEach(async () => { await vendor.stop(); });

  const hub = (http = testHttpClient()) => buildTestApp([new ${n.className}(http)]).app;

  function body(form: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: "query", data: {},
      form_params: { webhook_url: vendor.url("/api/webhooks/42/token"), message: "Weekly orders", ...form },
      scheduled_plan: { scheduled_plan_id: 12, title: "Weekly orders", type: "Look", url: "https://looker.example.com/looks/4" },
      attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
    };
  }

  const execute = (payload: Record<string, unknown>, app = hub()) =>
    request(app).post("/actions/${n.name}/execute").set("Authorization", authHeader()).send(payload).expect(200);

  it("posts the message and the delivery as a file to the webhook URL", async () => {
    const res = await execute(body());
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(vendor.received).to.have.length(1);
    const got = vendor.received[0];
    expect(got.method).to.equal("POST");
    expect(got.path).to.equal("/api/webhooks/42/token");
    const parts = parseMultipart(got.body, got.headers["content-type"]);
    expect(parts.map((p) => p.name)).to.deep.equal(["payload_json", "file"]);
    expect(JSON.parse(parts[0].data.toString())).to.deep.equal({ content: "Weekly orders" });
    expect(parts[1].fileName).to.match(/\\.csv$/);
    expect(parts[1].data.toString()).to.equal(CSV);
  });

  it("refuses a webhook URL at a private address before reading the data", async () => {
    const guarded = createHttpClient(testConfig({ ALLOW_HTTP_URLS: "true" }));
    const res = await execute(body({ webhook_url: "http://10.0.0.7/api/webhooks/1/x" }), hub(guarded));
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.validation_errors).to.have.property("webhook_url");
    expect(vendor.received).to.have.length(0);
  });

  it("asks for the webhook URL before calling the vendor", async () => {
    const res = await execute(body({ webhook_url: undefined }));
    expect(res.body.looker.validation_errors).to.have.property("webhook_url");
    expect(vendor.received).to.have.length(0);
  });

  it("tells the user when the vendor refuses the webhook", async () => {
    vendor.reply({ status: 404, body: JSON.stringify({ message: "Unknown Webhook" }) });
    const res = await execute(body());
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.include("refused the webhook URL");
  });

  it("offers its form", async () => {
    const res = await request(hub()).post("/actions/${n.name}/form").set("Authorization", authHeader()).send({})
      .expect(200);
    expect(res.body.fields.map((f: { name: string }) => f.name)).to.deep.equal(["webhook_url", "message"]);
  });
});
`;
}

function settings(n: Names): string {
  return `// ${n.label} as the suite-wide tests run it (test/helpers/suite_settings.ts): the webhook URL a
// user types points at a fake on 127.0.0.1 (the hardening suites point it at theirs by its name).
import { expect } from "chai";
import { HttpReceiver } from "../fakes/http_receiver";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["${n.name}"],
  async lookerShapes() {
    const vendor = await new HttpReceiver().start();
    return {
      deliveries: { ${n.name}: { data: {}, form: { webhook_url: vendor.url("/api/webhooks/shapes") } } },
      arrived: () => expect(vendor.received.length, "messages reached ${n.label}").to.be.greaterThan(0),
      stop: () => vendor.stop(),
    };
  },
};
`;
}

function readme(n: Names): string {
  return `# ${n.label} (\`${n.name}\`)

PLACEHOLDER: one paragraph on what this integration does with a Looker delivery: a message and the
data as a file, posted to a ${n.label} channel's webhook.

## Setting it up

- Form field **Webhook URL** (\`webhook_url\`, required): PLACEHOLDER: where in ${n.label} to make the
  channel's webhook. The URL is checked by the hub's private-address guard (docs/SECURITY.md).
- Form field **Message** (\`message\`): the text posted with the file; the schedule's title when empty.

## What it sends

Any format Looker makes, pushed or fetched from Looker's download URL, streamed to ${n.label} as the file
part of a multipart/form-data POST (src/families/webhook/multipart_file.ts).

## Failure messages

| message | what to do |
| --- | --- |
| ${n.label} refused the webhook URL (HTTP 404) | The webhook was deleted: make a new one and update the schedule. |
| The URL points at … a private network address | Use the webhook URL ${n.label} gave, not an internal address. |
${readmeTail(n, GENERIC_DRY_RUN_CHECKS)}`;
}

export const messageTemplate: Template = {
  summary: "a message and the delivery as a file, posted to a webhook URL the user types (the default)",
  integration, test, settings, readme,
  registration: (n) => ({ imports: `import { ${n.className} } from "./${n.name}/${n.name}";`,
    entry: `new ${n.className}(http),` }),
  placeholder: { find: "fields: { payload_json:", replace: "fields: { message_json:", expected: "message_json" },
};
