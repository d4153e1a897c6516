// `npm run new-integration -- <name> --shape login`: a file destination each Looker user logs in
// to with their own account (OAuth 2.0): the integration declares its client, endpoints and a
// check call; the hub adds the login routes, the sealed state, refresh (src/hub/oauth/, docs/oauth.md).
import { camelName, envPrefix, Names, readmeTail, Template } from "./new_integration_templates";
import { GENERIC_DRY_RUN_CHECKS } from "../src/hub/integration";

function settingsType(n: Names): string {
  return `${n.className.replace(/Integration$/, "")}Settings`;
}

function integration(n: Names): string {
  const env = envPrefix(n);
  const type = settingsType(n);
  return `// ${n.label}: the delivery saved as a file in the Looker user's own ${n.label} account, which they
// log in to (OAuth 2.0). Made by \`npm run new-integration\`: replace every PLACEHOLDER with what
// ${n.label} really calls things, and the placeholder calls with its API.
import { OAuthClientSetting } from "../../config/oauth";
import { Config } from "../../config";
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { HttpBody, HttpClient } from "../../lib/http_client";
import { UserError } from "../../lib/errors";

/** PLACEHOLDER: ${n.label}'s API, ending in a slash; ${env}_API_URL replaces it. */
export const ${env}_API_URL = "https://api.${n.name.replace(/_/g, "-")}.example/";
/** PLACEHOLDER: ${n.label}'s OAuth endpoints (…/authorize, …/token); ${env}_OAUTH_URL replaces it. */
export const ${env}_OAUTH_URL = "https://${n.name.replace(/_/g, "-")}.example/oauth2/";

export interface ${type} {
  apiUrl: string;
  oauthUrl: string;
  /** ${env}_CLIENT_ID and ${env}_CLIENT_SECRET: unset, the integration is listed as needing setup. */
  client?: OAuthClientSetting;
}

/** The settings from the hub's configuration (src/config/index.ts reads the environment). */
export function ${camelName(n)}Settings(config: Config): ${type} {
  return {
    apiUrl: config.vendorUrl("${env}_API_URL", ${env}_API_URL),
    oauthUrl: config.vendorUrl("${env}_OAUTH_URL", ${env}_OAUTH_URL),
    client: config.oauthClient("${env}_CLIENT_ID", "${env}_CLIENT_SECRET"),
  };
}

/** PLACEHOLDER: a cheap call that proves a login works ("who am I"). */
const CHECK_PATH = "v1/me";
/** PLACEHOLDER VENDOR CALL: where the file goes. (The test's fake OAuth vendor answers /v1/me with what it got.) */
const UPLOAD_PATH = "v1/me?upload";

export class ${n.className} extends FileIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "${n.name}";
  readonly label = "${n.label}";
  readonly description = "Save Looks and dashboards as files in your ${n.label} account.";
  readonly icon = iconBeside(__dirname, "${n.name}.svg");
  readonly params: Param[] = [];
  readonly oauth: OAuthDeclaration;

  constructor(private readonly http: HttpClient, private readonly settings: ${type}) {
    super();
    this.oauth = {
      vendor: "${n.label}",
      client: settings.client,
      setupVariables: ["${env}_CLIENT_ID", "${env}_CLIENT_SECRET"],
      endpoints: { authorizeUrl: \`\${settings.oauthUrl}authorize\`, tokenUrl: \`\${settings.oauthUrl}token\` },
      scopes: ["PLACEHOLDER.files.write"],
      tokenUrlFlow: false,
      loginField: "oauth_link",
      http,
      check: async (session, request) => {
        await session.withAccessToken((token) => this.call(request, token, CHECK_PATH));
      },
    };
  }

  /** The form proves the login first: without one (or with a refused one) the hub shows the login link. */
  async form(request: ActionRequest): Promise<ActionForm> {
    await request.oauth!.withAccessToken((token) => this.call(request, token, CHECK_PATH));
    return this.validationForm();
  }

  /** The fields as a delivery checks them, without calling ${n.label}. */
  async validationForm(): Promise<ActionForm> {
    return new ActionForm([{
      name: "filename", label: "File name", type: "string", required: false,
      description: "The file's name in ${n.label}; the schedule's title when empty.",
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (!request.delivery) {
      throw new UserError("Looker sent no data to save (the query may have had no results). Nothing was written.");
    }
    const fileName = requestFileName(request, request.formParams.filename?.trim() || undefined);
    // The login is proved with a cheap call first: a refused token is refreshed before any byte is read.
    const token = await request.oauth!.withAccessToken(async (accessToken) => {
      await this.call(request, accessToken, CHECK_PATH);
      return accessToken;
    });
    const answer = await this.call(request, token, UPLOAD_PATH, await request.delivery.stream(), {
      "content-type": requestContentType(request), "x-file-name": encodeURIComponent(fileName),
    });
    return ActionResponse.ok(\`Saved "\${fileName}" (\${formatBytes(answer.received ?? 0)}) to ${n.label}.\`);
  }

  /** One call with the user's token; a 401 says the token is refused (the hub then refreshes it once). */
  private async call(request: ActionRequest, token: string, path: string, body?: HttpBody,
                     headers: Record<string, string> = {}): Promise<{ received?: number }> {
    const response = await this.http.request({
      url: new URL(path, this.settings.apiUrl), method: body ? "POST" : "GET", body, who: this.label,
      logger: request.logger, headers: { ...headers, authorization: \`Bearer \${token}\` },
      acceptStatus: (s) => s === 200 || s === 401, maxResponseBytes: 64 * 1024,
    });
    if (response.status === 401) { throw new TokenRejectedError("${n.label} refused the access token."); }
    try {
      return response.json();
    } catch {
      throw new UserError("${n.label} gave an answer the hub could not read. Try again later; if it goes on, " +
        "ask your Looker admin to check ${envPrefix(n)}_API_URL.");
    }
  }
}
`;
}

function test(n: Names): string {
  const settingsOf = `${camelName(n)}Settings`;
  const env = envPrefix(n);
  return `// ${n.label} through the real app, its user logged in at a fake OAuth vendor on 127.0.0.1. Made with
// the integration by \`npm run new-integration\`: it passes against the placeholder calls. When you write
// the real ones, make a fake that answers as ${n.label} does and assert what it received.
import { expect } from "chai";
import request from "supertest";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { Sealer } from "../../src/hub/oauth/sealing";
import { ${n.className}, ${settingsOf} } from "../../src/integrations/${n.name}/${n.name}";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { authHeader, buildTestApp, TEST_SECRET, testConfig } from "../helpers/app";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders ID,Orders Total\\n1,10.50\\n2,7.00\\n";

describe("${n.name} integration", () => {
  let vendor: FakeOAuthServer;
  before(async () => { vendor = await new FakeOAuthServer().start(); });
  after(async () => { await vendor.stop(); });

  function hub() {
    const env = {
      ${env}_API_URL: vendor.url,
      ${env}_OAUTH_URL: \`\${vendor.url}/oauth2/\`,
      ${env}_CLIENT_ID: vendor.clientId,
      ${env}_CLIENT_SECRET: vendor.clientSecret,
    };
    const settings = ${settingsOf}(testConfig(env));
    const integration = new ${n.className}(testHttpClient(), settings);
    return buildTestApp([integration]).app;
  }

  /** A user logged in at the vendor, as the hub keeps the login in Looker's state. */
  function loggedIn(expiresInMs = 3_600_000): string {
    const tokens = vendor.issue();
    return storedStateFor(new Sealer(TEST_SECRET), "${n.name}",
      { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + expiresInMs });
  }

  const post = (route: string, body: Record<string, unknown>) =>
    request(hub()).post(\`/actions/${n.name}/\${route}\`).set("Authorization", authHeader()).send(body).expect(200);
  const execute = (state: string | undefined) => post("execute", {
    type: "query", data: state ? { state_json: state } : {}, form_params: { filename: "orders.csv" },
    attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
  });

  it("saves the delivery with the user's own token", async () => {
    const before = vendor.bearers.length;
    const res = await execute(loggedIn());
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(res.body.looker.message).to.include("orders.csv");
    // The check call, then the upload, both with the user's token; the fake counted the bytes.
    expect(vendor.bearers.slice(before)).to.have.length(2);
    expect(res.body.looker.message).to.include(\`\${CSV.length} bytes\`);
  });

  it("refreshes an expired token once and goes on", async () => {
    const state = loggedIn();
    vendor.expireAccessTokens();
    const res = await execute(state);
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(vendor.tokenRequests.at(-1)!.fields.grant_type).to.equal("refresh_token");
  });

  it("asks the user to log in when Looker holds no login, and sends nothing", async () => {
    const before = vendor.bearers.length;
    const res = await execute(undefined);
    expect(res.body.looker.success).to.equal(false);
    expect(vendor.bearers.length).to.equal(before);
  });

  it("offers the login link in its form until the user logs in", async () => {
    // Looker sends the URL where the login's state is to be stored (the OAuth v1 flow).
    const res = await post("form", { data: { state_url: "https://looker.example.com/action_hub_state/1" } });
    expect(res.body.fields[0]).to.include({ name: "login", type: "oauth_link" });
    const logged = await post("form", { data: { state_json: loggedIn() } });
    expect(logged.body.fields.map((f: { name: string }) => f.name)).to.deep.equal(["filename"]);
  });
});
`;
}

function settings(n: Names): string {
  const env = envPrefix(n);
  return `// ${n.label} as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged in at the
// suite's fake OAuth vendor, files sent to its resource call.
import { expect } from "chai";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["${n.name}"],
  vendorEnv: (url) => ({
    ${env}_API_URL: url,
    ${env}_OAUTH_URL: \`\${url}/oauth2/\`,
    ${env}_CLIENT_ID: "${n.name}-client-id",
    ${env}_CLIENT_SECRET: "${n.name}-client-secret",
  }),
  async lookerShapes(shared) {
    const { oauth } = await shared.loginVendors();
    const before = oauth.bearers.length;
    return {
      env: {
        ${env}_API_URL: oauth.url,
        ${env}_OAUTH_URL: \`\${oauth.url}/oauth2/\`,
        ${env}_CLIENT_ID: oauth.clientId,
        ${env}_CLIENT_SECRET: oauth.clientSecret,
      },
      deliveries: { ${n.name}: { data: await shared.login("${n.name}"), form: {} } },
      arrived: () => expect(oauth.bearers.length - before, "files reached ${n.label}").to.be.greaterThan(0),
    };
  },
};
`;
}

function readme(n: Names): string {
  const env = envPrefix(n);
  return `# ${n.label} (\`${n.name}\`)

PLACEHOLDER: one paragraph on what this integration does: each Looker user logs in to their own
${n.label} account, and deliveries are saved there as files.

## Setting it up

- Register an OAuth app in ${n.label} (PLACEHOLDER: where), with the redirect URL
  \`<BASE_URL>/actions/${n.name}/oauth_redirect\`, and set \`${env}_CLIENT_ID\` and \`${env}_CLIENT_SECRET\`.
  Without them the integration is listed as needing setup (docs/oauth.md).
- \`${env}_API_URL\` and \`${env}_OAUTH_URL\`: the API and the OAuth endpoints (defaults are ${n.label}'s).
- Form field **File name** (\`filename\`): the file's name; the schedule's title when empty.

## What it sends

Any format Looker makes, pushed or fetched from Looker's download URL, streamed to ${n.label} with the
user's token. An expired token is refreshed once; a refused login asks the user to log in again.

## Failure messages

| message | what to do |
| --- | --- |
| Log in to ${n.label} … | The user logs in again from the schedule's form. |
| ${n.label} answered HTTP … | What ${n.label} said; fix what it names. |
${readmeTail(n, GENERIC_DRY_RUN_CHECKS)}`;
}

export const loginTemplate: Template = {
  summary: "a file destination each user logs in to with their own account (OAuth 2.0)",
  integration, test, settings, readme,
  registration: (n) => ({ imports: `import { ${n.className}, ${camelName(n)}Settings } from "./${n.name}/${n.name}";`,
    entry: `new ${n.className}(http, ${camelName(n)}Settings(config)),` }),
  placeholder: { find: "\"v1/me?upload\"", replace: "\"v2/files/upload\"", expected: "answered HTTP 404" },
};
