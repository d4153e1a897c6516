// Every wait is bounded, bodies included: for each kind of outbound client (the shared HTTP client,
// the AWS SDK, Azure's SDK, Slack's SDK, ssh2, nodemailer), a vendor that is never silent and never
// done (200 and then a byte every quarter second; a banner or greeting that never ends; an SFTP
// server that sits on every write) fails the delivery clearly within HTTP_TOTAL_TIMEOUT_SECONDS (2 s
// here), the hub closes its connections to that vendor, and no delivery stays in flight (its slot
// of MAX_CONCURRENT_DELIVERIES is free). With the deadline far away, Looker's hanging up ends each
// of those exchanges at once.
import { expect } from "chai";
import * as http from "http";
import { AddressInfo } from "net";
import { allIntegrations } from "../../src/integrations";
import { StallingSftp, TricklingHttp, TricklingTcp } from "../fakes/trickle_servers";
import { buildTestApp, TEST_SECRET, testConfig } from "../helpers/app";
import { execute } from "../helpers/execute";
import { eventually } from "../helpers/process";
import { HOSTILE_SECRET, metricValue, post, raw } from "./raw_http";

const DEADLINE_SECONDS = 2;
const CSV = { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" };

interface Case {
  client: string;
  integration: string;
  body: (vendor: { url: string; port: number }) => Record<string, unknown>;
  /** Which vendor plays it. */
  vendor: "http" | "ssh_banner" | "smtp_greeting" | "sftp_stall";
  /** The cause, as the message names it. */
  cause: RegExp;
}

const query = (data: Record<string, unknown>, form: Record<string, string> = {}) =>
  ({ type: "query", attachment: CSV, data, form_params: form });

const CASES: Case[] = [{
  client: "the shared HTTP client", integration: "webhook", vendor: "http",
  body: (v) => query({}, { url: `${v.url}/hook` }),
  cause: /could not be reached: the request took longer than allowed/,
}, {
  client: "the AWS SDK", integration: "amazon_s3", vendor: "http",
  body: (v) => query({ access_key_id: "AKIAEXAMPLE", secret_access_key: "secret", region: "us-east-1",
    endpoint: v.url }, { bucket: "reports" }),
  cause: /Amazon S3 did not finish answering within the time the hub allows/,
}, {
  client: "Azure's SDK", integration: "azure_storage", vendor: "http",
  body: () => query({ account: "teststorage", accessKey: Buffer.alloc(64, 7).toString("base64") },
    { container: "reports" }),
  // The upload's stall watchdog (also the deadline) or the request's deadline, whichever fires first.
  cause: /Azure Storage (did not finish answering within the time the hub allows|stopped answering or answered too slowly)/,
}, {
  client: "Slack's SDK", integration: "slack", vendor: "http",
  body: () => ({ type: "cell", data: { slack_api_token: "xoxb-trickle", value: "42" },
    form_params: { channelType: "manual", channel: "C0123ABCD" } }),
  cause: /could not reach Slack's API \(chat\.postMessage: the call took longer than allowed\)/,
}, {
  client: "ssh2 (a banner that never ends)", integration: "sftp", vendor: "ssh_banner",
  body: (v) => query({}, { address: `sftp://127.0.0.1:${v.port}/upload/`, username: "u", password: "p" }),
  cause: /SFTP server in "Address" did not answer in time/,
}, {
  client: "ssh2 (a server that sits on every write)", integration: "sftp", vendor: "sftp_stall",
  body: (v) => query({}, { address: `sftp://127.0.0.1:${v.port}/upload/`, username: "u", password: "p" }),
  cause: /SFTP server in "Address" did not answer a request within 2 seconds/,
}, {
  client: "nodemailer (a greeting that never ends)", integration: "email", vendor: "smtp_greeting",
  body: (v) => ({ ...query({ smtp_url: `smtp://127.0.0.1:${v.port}?starttls=off`, from: "hub@example.com" },
    { to: "ada@example.com" }) }),
  cause: /did not finish the conversation within 2 seconds the hub allows/,
}];

/** The hub with every vendor base URL at the trickling HTTP server and a deadline of `seconds`. */
async function startHub(vendorUrl: string, seconds: number, secret = TEST_SECRET):
  Promise<{ app: any; server: http.Server; port: number }> {
  const env = {
    ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true", MAX_CONCURRENT_DELIVERIES: "1", LOG_LEVEL: "warn",
    INTEGRATION_SERVICE_SECRET: secret,
    HTTP_TOTAL_TIMEOUT_SECONDS: String(seconds), HTTP_MAX_ATTEMPTS: "1", HTTP_CONNECT_TIMEOUT_SECONDS: "1",
    // Idle and SMTP timeouts far past the deadline: a trickle is never idle, only the deadline may end it.
    HTTP_IDLE_TIMEOUT_SECONDS: "30", SMTP_TIMEOUT_SECONDS: "30",
    SLACK_API_URL: `${vendorUrl}/api/`, AZURE_STORAGE_BLOB_URL: `${vendorUrl}/{account}`,
  };
  const app = buildTestApp(allIntegrations(testConfig(env)), env).app;
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { app, server, port: (server.address() as AddressInfo).port };
}

async function stopHub(hub: { server: http.Server }): Promise<void> {
  hub.server.closeAllConnections();
  await new Promise((resolve) => hub.server.close(resolve));
}

describe("trickling vendors: every wait is bounded, bodies included", function () {
  this.timeout(90_000);
  let hub: { app: any; server: http.Server; port: number };
  /** The same hub with a deadline far away: only Looker's hanging up can end a delivery there. */
  let patient: { app: any; server: http.Server; port: number };
  const vendors = {
    http: new TricklingHttp(),
    ssh_banner: new TricklingTcp("SSH-2.0-"),
    smtp_greeting: new TricklingTcp("220-trickling.example.test\r\n"),
    sftp_stall: new StallingSftp(),
  };
  const address = (kind: Case["vendor"]) => {
    const vendor = vendors[kind];
    return vendor instanceof TricklingHttp ? { url: vendor.url, port: 0 }
      : { url: `http://127.0.0.1:${vendor.port}`, port: vendor.port };
  };

  before(async () => {
    for (const vendor of Object.values(vendors)) { await vendor.start(); }
    hub = await startHub(vendors.http.url, DEADLINE_SECONDS);
    // Its secret is the one raw_http.ts's requests carry.
    patient = await startHub(vendors.http.url, 600, HOSTILE_SECRET);
  });

  after(async () => {
    await stopHub(hub);
    await stopHub(patient);
    for (const vendor of Object.values(vendors)) { await vendor.stop(); }
  });

  for (const c of CASES) {
    it(`${c.client} (${c.integration}): fails clearly within the deadline, and frees the slot`, async () => {
      const started = Date.now();
      const answer = await execute(hub.app, c.integration, c.body(address(c.vendor)));
      const ms = Date.now() - started;
      expect(answer.looker.success, JSON.stringify(answer)).to.equal(false);
      expect(answer.looker.message).to.match(c.cause);
      expect(answer.looker.message).not.to.match(/internal error/i);
      // The deadline and a few seconds of a loaded machine; a trickle otherwise runs for ever.
      expect(ms, "ms to the answer").to.be.lessThan(DEADLINE_SECONDS * 1000 + 8000);
      await eventually(() => vendors[c.vendor].open === 0, 10_000, "the hub closed its connections to the vendor");
      await eventually(async () => await metricValue(hub.port, "hub_deliveries_in_flight") === 0, 10_000,
        "no delivery in flight");
    });
  }

  // The connect phase of ssh2 has its own bound (readyTimeout); every other exchange stops with the delivery.
  for (const c of CASES.filter((k) => k.vendor !== "ssh_banner")) {
    it(`${c.client} (${c.integration}): stops when Looker hangs up, long before the deadline`, async () => {
      const body = JSON.stringify(c.body(address(c.vendor)));
      const before = vendors[c.vendor].connections;
      await raw(patient.port, post(`/actions/${c.integration}/execute`, body), { waitMs: 1000 });
      expect(vendors[c.vendor].connections, "connections to the vendor").to.be.greaterThan(before);
      await eventually(() => vendors[c.vendor].open === 0, 10_000, "the hub closed its connections to the vendor");
      await eventually(async () => await metricValue(patient.port, "hub_deliveries_in_flight") === 0, 10_000,
        "no delivery in flight");
    });
  }

  it("the vendors were met: requests reached the trickling HTTP server, writes the stalling SFTP one", () => {
    expect(vendors.http.requests).to.be.at.least(3);
    expect(vendors.sftp_stall.writes).to.be.at.least(1);
  });
});
