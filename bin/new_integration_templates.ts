// The files `npm run new-integration` writes: a class with placeholder declarations and one
// placeholder vendor call, an icon, a test through the real app against a fake vendor that
// passes as generated (and fails once the placeholder call is replaced), and a README.

export interface Names {
  /** snake_case wire name. */
  name: string;
  /** PascalCase class name, ending in Integration. */
  className: string;
  label: string;
}

export function integrationSource(n: Names): string {
  return `// ${n.label}: sends query results to ${n.label}. Made by \`npm run new-integration\`: replace every
// PLACEHOLDER with what the vendor really calls things, and the placeholder vendor call with the real one.
import { requestContentType } from "../../data/files/file_naming";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError } from "../../lib/http_errors";

/**
 * PLACEHOLDER: the vendor's public API base URL, ending in a slash. Before shipping, read it from
 * an environment variable (src/config/<family>.ts, docs/configuration.md's tables, .env.example) with this default.
 */
export const ${n.name.toUpperCase()}_API_URL = "https://api.${n.name.replace(/_/g, "-")}.example/";

export class ${n.className} extends Integration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "${n.name}";
  readonly label = "${n.label}";
  readonly description = "Send query results to ${n.label}.";
  readonly icon = iconBeside(__dirname, "${n.name}.svg");
  readonly params: Param[] = [{
    name: "api_key",
    label: "API Key",
    description: "PLACEHOLDER: where the admin finds ${n.label}'s API key, and what it must be allowed to do.",
    required: true,
    sensitive: true,
  }];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly http: HttpClient, private readonly apiUrl = ${n.name.toUpperCase()}_API_URL) {
    super();
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "destination",
      label: "Destination",
      description: "PLACEHOLDER: what in ${n.label} receives the data (a list, a table, a project).",
      type: "string",
      required: true,
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (!request.delivery) {
      throw new UserError("There was no data to send: the query returned nothing. Nothing was sent to ${n.label}.");
    }
    const destination = (request.formParams.destination ?? "").trim();
    // PLACEHOLDER VENDOR CALL: replace it with ${n.label}'s documented API call (endpoint, auth,
    // body). The generated test then fails: make its fake vendor speak the real API and assert
    // what the vendor receives.
    const url = new URL("v1/placeholder/deliveries", this.apiUrl);
    url.searchParams.set("destination", destination);
    try {
      await this.http.request({
        url,
        method: "POST",
        trusted: true,
        who: this.label,
        logger: request.logger,
        headers: {
          "authorization": \`Bearer \${request.params.api_key}\`,
          "content-type": requestContentType(request),
        },
        body: await request.delivery.stream(),
      });
    } catch (err) {
      if (err instanceof HttpStatusError && (err.failure.status === 401 || err.failure.status === 403)) {
        throw new UserError(\`${n.label} refused the API key (HTTP \${err.failure.status}). Ask your Looker admin \` +
          "to check it under Admin > Platform > Actions > ${n.label}.");
      }
      throw err;
    }
    return ActionResponse.ok(\`Sent the data to ${n.label} (\${destination}).\`);
  }
}
`;
}

export function iconSvg(n: Names): string {
  const letter = n.label.trim().charAt(0).toUpperCase() || "?";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <!-- PLACEHOLDER icon: replace with the vendor's logo (as their brand guidelines allow). -->
  <rect width="64" height="64" rx="12" fill="#5f6b7a"/>
  <text x="32" y="43" font-family="Arial, Helvetica, sans-serif" font-size="32" font-weight="bold"
    fill="#ffffff" text-anchor="middle">${letter.replace(/[<&>"]/g, "?")}</text>
</svg>
`;
}

export function testSource(n: Names): string {
  return `// ${n.label} through the real app against a fake vendor server on 127.0.0.1. Made with the
// integration by \`npm run new-integration\`: it passes against the placeholder vendor call. When you
// write the real call, make the fake speak ${n.label}'s wire format (a file in test/fakes/) and assert
// what it received: bytes, headers, auth.
import { expect } from "chai";
import request from "supertest";
import { ${n.className} } from "../../src/integrations/${n.name}/${n.name}";
import { HttpReceiver } from "../fakes/http_receiver";
import { authHeader, buildTestApp } from "../helpers/app";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders ID,Orders Total\\n1,10.50\\n2,7.00\\n";

describe("${n.name} integration", () => {
  let vendor: HttpReceiver;
  beforeEach(async () => { vendor = await new HttpReceiver().start(); });
  afterEach(async () => { await vendor.stop(); });

  function hub() {
    return buildTestApp([new ${n.className}(testHttpClient(), vendor.url("/"))]).app;
  }

  function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: "query",
      data: { api_key: "test-api-key" },
      form_params: { destination: "weekly" },
      scheduled_plan: {
        scheduled_plan_id: 12, title: "Weekly orders", type: "Look", url: "https://looker.example.com/looks/4",
      },
      attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
      ...overrides,
    };
  }

  function execute(payload: Record<string, unknown>) {
    return request(hub()).post("/actions/${n.name}/execute").set("Authorization", authHeader())
      .send(payload).expect(200);
  }

  it("sends the delivery to the vendor with the admin's key", async () => {
    const res = await execute(body());
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(vendor.received).to.have.length(1);
    const got = vendor.received[0];
    expect(got.method).to.equal("POST");
    expect(got.path).to.equal("/v1/placeholder/deliveries?destination=weekly");
    expect(got.headers.authorization).to.equal("Bearer test-api-key");
    expect(got.headers["content-type"]).to.match(/^text\\/csv/);
    expect(got.body.toString()).to.equal(CSV);
  });

  it("asks for the API key, and for the form's destination, before calling the vendor", async () => {
    const noKey = await execute(body({ data: {} }));
    expect(noKey.body.looker.success).to.equal(false);
    expect(noKey.body.looker.message).to.include("API Key");
    const noDestination = await execute(body({ form_params: {} }));
    expect(noDestination.body.looker.validation_errors).to.have.property("destination");
    expect(vendor.received).to.have.length(0);
  });

  it("tells the user to check the key when the vendor refuses it", async () => {
    vendor.reply({ status: 401, body: JSON.stringify({ message: "invalid key" }) });
    const res = await execute(body());
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.include("refused the API key");
  });

  it("offers its form", async () => {
    const res = await request(hub()).post("/actions/${n.name}/form").set("Authorization", authHeader())
      .send({}).expect(200);
    expect(res.body.fields.map((f: { name: string }) => f.name)).to.deep.equal(["destination"]);
  });
});
`;
}

export function readmeSource(n: Names): string {
  return `# ${n.label} (\`${n.name}\`)

PLACEHOLDER: one paragraph on what this integration does with a Looker delivery.

## Setting it up

- Admin param **API Key** (\`api_key\`, required, sensitive): PLACEHOLDER: where to make the key in
  ${n.label} and the permissions it needs.
- Form field **Destination** (\`destination\`, required): PLACEHOLDER: what receives the data.

## What it sends

Query results as CSV, pushed or fetched from Looker's download URL, streamed to the vendor.

## Failure messages

| message | what to do |
| --- | --- |
| ${n.label} refused the API key (HTTP 401) | Check the key under Admin > Platform > Actions > ${n.label}. |
| ${n.label} answered HTTP … | What the vendor said; fix the setting it names. |
`;
}
