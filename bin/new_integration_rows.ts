// `npm run new-integration -- <name> --shape rows`: a row destination (a CRM, a marketing list)
// on the row pipeline (src/families/rows/row_integration.ts, src/data/rows/row_pipeline.ts): the
// query's json_detail rows, streamed, mapped to the vendor's records and sent in batches.
import { camelName, envPrefix, Names, readmeTail, Template } from "./new_integration_templates";
import { ROW_DRY_RUN_CHECKS } from "../src/families/rows/row_integration";

function integration(n: Names): string {
  const env = envPrefix(n);
  return `// ${n.label}: each row of a query becomes one ${n.label} record, keyed by the field tagged "email",
// sent in batches through the shared row pipeline. Made by \`npm run new-integration\`: replace every
// PLACEHOLDER with what ${n.label} really calls things, and the placeholder call with its API.
import { Config } from "../../config";
import { allFields, cellValue, idValue, missingTagMessage, taggedField } from "../../data/rows/detail_fields";
import { BatchOutcome, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import { JsonDetailFields } from "../../data/rows/rows";
import { RowIntegration } from "../../families/rows/row_integration";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError } from "../../lib/http_errors";

/** PLACEHOLDER: ${n.label}'s public API, ending in a slash; ${env}_API_URL replaces it (docs/configuration.md). */
export const ${env}_API_URL = "https://api.${n.name.replace(/_/g, "-")}.example/";

export interface ${n.className.replace(/Integration$/, "")}Settings {
  apiUrl: string;
  /** MAX_REJECTED_ROWS_PERCENT, when the admin leaves the threshold empty. */
  maxRejectedPercent: number;
}

/** The settings from the hub's configuration (src/config/index.ts reads the environment). */
export function ${camelName(n)}Settings(config: Config): ${n.className.replace(/Integration$/, "")}Settings {
  return {
    apiUrl: config.vendorUrl("${env}_API_URL", ${env}_API_URL),
    maxRejectedPercent: config.crm.maxRejectedPercent,
  };
}

/** One person as ${n.label} takes it. PLACEHOLDER: the vendor's record shape. */
interface PersonRecord {
  email: string;
  attributes: Record<string, unknown>;
}

export class ${n.className} extends RowIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "${n.name}";
  readonly label = "${n.label}";
  readonly description = "Send a query's rows to a ${n.label} list, one person per row.";
  readonly icon = iconBeside(__dirname, "${n.name}.svg");
  readonly params: Param[];

  constructor(private readonly http: HttpClient,
              private readonly settings: ${n.className.replace(/Integration$/, "")}Settings) {
    super(settings.maxRejectedPercent);
    this.params = this.withThreshold([{
      name: "api_key", label: "API Key", required: true, sensitive: true,
      description: "PLACEHOLDER: where the admin makes a ${n.label} API key, and what it must be allowed to do.",
    }]);
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "list", label: "List", type: "string", required: true,
      description: "PLACEHOLDER: the ${n.label} list (or audience) the people go to.",
    }]);
  }

  protected destination(request: ActionRequest): RowDestination<PersonRecord> {
    const list = (request.formParams.list ?? "").trim();
    return {
      wording: { vendor: this.label, noun: "person", plural: "people",
        accepted: (count) => \`Sent \${count} to \${this.label} (\${list})\` },
      batchSize: 100,
      concurrency: 2,
      prepare: (fields, hidden) => personMapper(fields, hidden),
      send: (batch) => this.send(request, list, batch),
    };
  }

  private async send(request: ActionRequest, list: string, batch: Array<NumberedRecord<PersonRecord>>)
    : Promise<BatchOutcome> {
    // PLACEHOLDER VENDOR CALL: the vendor's documented batch endpoint, auth and body. The base URL is
    // the operator's; the HTTP client still checks it with the guard (no template marks a URL trusted).
    const url = new URL("v1/placeholder/records", this.settings.apiUrl);
    url.searchParams.set("list", list);
    try {
      await this.http.request({
        url, method: "POST", who: this.label, logger: request.logger, maxResponseBytes: 64 * 1024,
        headers: { "authorization": \`Bearer \${request.params.api_key}\`, "content-type": "application/json" },
        body: JSON.stringify({ records: batch.map((b) => b.record) }),
      });
    } catch (err) {
      if (err instanceof HttpStatusError && (err.failure.status === 401 || err.failure.status === 403)) {
        throw new UserError(\`${n.label} refused the API key (HTTP \${err.failure.status}). Ask your Looker admin \` +
          "to check it under Admin > Platform > Actions > ${n.label}.");
      }
      throw err;
    }
    return { accepted: batch.length, rejected: [] };
  }
}

/** Each row as a person: the field tagged "email" is the key, the other visible fields attributes. */
function personMapper(fields: JsonDetailFields, hidden: Set<string>): RowMapper<PersonRecord> {
  const visible = allFields(fields).filter((f) => !hidden.has(f.name));
  const email = taggedField(visible, "email");
  if (!email) { throw new UserError(missingTagMessage(["email"], "to say who each row is")); }
  const others = visible.filter((f) => f.name !== email);
  return {
    map(row) {
      const value = idValue(row[email]);
      if (!value) { return { rejected: "no email" }; }
      const attributes = Object.fromEntries(others.map((f) => [f.name, cellValue(row[f.name])]));
      return { record: { email: value, attributes } };
    },
  };
}
`;
}

function test(n: Names): string {
  const settingsOf = `${camelName(n)}Settings`;
  return `// ${n.label} through the real app against a fake vendor on 127.0.0.1. Made with the integration by
// \`npm run new-integration\`: it passes against the placeholder call. When you write the real call,
// make the fake answer as ${n.label} does (a file in test/fakes/) and assert what it received.
import { expect } from "chai";
import request from "supertest";
import { ${n.className}, ${settingsOf} } from "../../src/integrations/${n.name}/${n.name}";
import { HttpReceiver } from "../fakes/http_receiver";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { testHttpClient } from "../helpers/http";

const FIELDS = { dimensions: [
  { name: "users.email", label: "Users Email", tags: ["email"] }, { name: "users.name", label: "Users Name" }] };

function detail(rows: Array<[string | null, string]>): string {
  return JSON.stringify({ fields: FIELDS, data: rows.map(([email, name]) =>
    ({ "users.email": { value: email }, "users.name": { value: name } })) });
}

describe("${n.name} integration", () => {
  let vendor: HttpReceiver;
  beforeEach(async () => { vendor = await new HttpReceiver().start(); });
  afterEach(async () => { await vendor.stop(); });

  function hub() {
    const settings = ${settingsOf}(testConfig({ ${envPrefix(n)}_API_URL: vendor.url("/") }));
    return buildTestApp([new ${n.className}(testHttpClient(), settings)]).app;
  }

  function execute(data: string, params: Record<string, string> = { api_key: "test-api-key" }) {
    return request(hub()).post("/actions/${n.name}/execute").set("Authorization", authHeader()).send({
      type: "query", data: params, form_params: { list: "weekly" },
      attachment: { mimetype: "application/json", extension: "json", data },
    }).expect(200);
  }

  it("sends each row as a person, in a batch, with the admin's key", async () => {
    const res = await execute(detail([["ada@example.com", "Ada"], ["bob@example.com", "Bob"]]));
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(vendor.received).to.have.length(1);
    const got = vendor.received[0];
    expect(got.path).to.equal("/v1/placeholder/records?list=weekly");
    expect(got.headers.authorization).to.equal("Bearer test-api-key");
    expect(JSON.parse(got.body.toString())).to.deep.equal({ records: [
      { email: "ada@example.com", attributes: { "users.name": "Ada" } },
      { email: "bob@example.com", attributes: { "users.name": "Bob" } },
    ] });
  });

  it("counts a row without an email as rejected, and fails past the threshold", async () => {
    const res = await execute(detail([[null, "Nobody"], ["ada@example.com", "Ada"]]), { api_key: "k", max_rejected_percent: "0" });
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/reject/i);
  });

  it("names the tag to add when no field is tagged email, before calling the vendor", async () => {
    const res = await execute(JSON.stringify({ fields: { dimensions: [{ name: "users.name" }] }, data: [] }));
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.include("tagged");
    expect(vendor.received).to.have.length(0);
  });

  it("tells the user to check the key when the vendor refuses it", async () => {
    vendor.reply({ status: 401, body: JSON.stringify({ message: "invalid key" }) });
    const res = await execute(detail([["ada@example.com", "Ada"]]));
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.include("refused the API key");
  });
});
`;
}

function settings(n: Names): string {
  const env = envPrefix(n);
  return `// ${n.label} as the suite-wide tests run it (test/helpers/suite_settings.ts): its API at a fake on
// 127.0.0.1 (the hardening suites point ${env}_API_URL at theirs).
import { expect } from "chai";
import { HttpReceiver } from "../fakes/http_receiver";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["${n.name}"],
  vendorEnv: (url) => ({ ${env}_API_URL: url }),
  async lookerShapes() {
    const vendor = await new HttpReceiver().start();
    return {
      env: { ${env}_API_URL: vendor.url("/") },
      deliveries: { ${n.name}: { data: { api_key: "test-api-key" }, form: { list: "weekly" } } },
      arrived: () => expect(vendor.received.length, "people reached ${n.label}").to.be.greaterThan(0),
      stop: () => vendor.stop(),
    };
  },
};
`;
}

function readme(n: Names): string {
  return `# ${n.label} (\`${n.name}\`)

PLACEHOLDER: one paragraph on what this integration does with a query's rows.

## Setting it up

- Admin param **API Key** (\`api_key\`, required, sensitive): PLACEHOLDER: where to make the key in
  ${n.label} and the permissions it needs.
- Admin param **Max rejected rows** (\`max_rejected_percent\`): the share of rows that may be refused before
  the delivery fails (MAX_REJECTED_ROWS_PERCENT when empty).
- Form field **List** (\`list\`, required): PLACEHOLDER: what receives the people.
- \`${envPrefix(n)}_API_URL\`: the API's base URL (default \`https://api.${n.name.replace(/_/g, "-")}.example/\`).

## What it sends

The query's json_detail rows, streamed, one person per row keyed by the field tagged \`email\`, 100 a
request (src/data/rows/row_pipeline.ts). The answer counts the people sent and the rows rejected.

## Failure messages

| message | what to do |
| --- | --- |
| ${n.label} refused the API key (HTTP 401) | Check the key under Admin > Platform > Actions > ${n.label}. |
| The query needs a field tagged "email" … | Add \`tags: ["email"]\` to the email dimension in LookML. |
${readmeTail(n, ROW_DRY_RUN_CHECKS)}`;
}

export const rowsTemplate: Template = {
  summary: "a row destination: the query's rows, mapped to the vendor's records and sent in batches",
  integration, test, settings, readme,
  registration: (n) => ({ imports: `import { ${n.className}, ${camelName(n)}Settings } from "./${n.name}/${n.name}";`,
    entry: `new ${n.className}(http, ${camelName(n)}Settings(config)),` }),
  placeholder: { find: "\"v1/placeholder/records\"", replace: "\"v2/contacts/import\"", expected: "/v2/contacts/import" },
};
