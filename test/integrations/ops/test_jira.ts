// jira_create_issue through the real app against a local fake of a Jira site (Cloud and Data Center).
import { expect } from "chai";
import { JiraIntegration } from "../../../src/integrations/jira/jira";
import { basicAuth, JIRA_DC_PASSWORD, JIRA_DC_USER, JIRA_EMAIL, JIRA_PAT, JIRA_TOKEN, JiraFake } from "../../fakes/jira_api";
import { buildTestApp } from "../../helpers/app";
import { execute, form, Payload, PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";

const CSV = "Region,Revenue\nNorth,100\nSouth,200\n";

describe("jira_create_issue integration", () => {
  let fake: JiraFake;
  let hub: ReturnType<typeof buildTestApp>;
  const start = async (mode: "cloud" | "datacenter" = "cloud", env: Record<string, string> = {}) => {
    fake = await new JiraFake(mode).start();
    hub = buildTestApp([new JiraIntegration(testHttpClient(env))]);
  };
  afterEach(() => fake?.stop());
  const params = () => ({ address: fake.url("/"), username: JIRA_EMAIL,
    password: fake.mode === "cloud" ? JIRA_TOKEN : JIRA_PAT });
  const send = (formParams: Record<string, string> = {}, attachment: Record<string, unknown> | null =
    { mimetype: "text/csv", extension: "csv", data: CSV }, data = params()): Promise<any> =>
    execute(hub.app, "jira_create_issue", { type: "query", scheduled_plan: PLAN, attachment, data,
      form_params: { project: "10000", issueType: "1", summary: "Revenue dropped", description: "See the numbers.\n\nRegion North.", ...formParams } } as Payload);

  it("declares the official name, params and form fields", async () => {
    await start();
    const def = hub.registry.definition(hub.registry.get("jira_create_issue", null), null) as any;
    expect(def.label).to.equal("JIRA");
    expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal([
      ["address", true, false], ["username", true, false], ["password", true, true]]);
    const f = await form(hub.app, "jira_create_issue", { data: params() });
    expect(f.fields.map((x: any) => [x.name, x.type, x.required])).to.deep.equal([["project", "select", true],
      ["issueType", "select", true], ["summary", "string", true], ["description", "textarea", true]]);
  });

  // Official: "has form with correct projects and issues" (there: only types with a description; here the
  // types the project can create, sub-tasks left out; labels "Name (KEY)"; see the README's differences).
  it("lists every page of projects, and the chosen project's issue types (all pages, no sub-tasks)", async () => {
    await start();
    const f = await form(hub.app, "jira_create_issue", { data: params() });
    expect(f.fields[0].options.map((o: any) => o.label)).to.deep.equal(
      ["Operations (OPS)", "Finance (FIN)", "Website (WEB)"]);
    expect(f.fields[0]).to.deep.include({ interactive: true, default: "10000" });
    expect(f.fields[1].options).to.deep.equal([{ name: "1", label: "Bug" }, { name: "3", label: "Task" },
      { name: "7", label: "Incident" }]);
    const fin = await form(hub.app, "jira_create_issue", { data: params(), form_params: { project: "10001" } });
    expect(fin.fields[1].options).to.deep.equal([{ name: "3", label: "Task" }]);
    const got = fake.received.filter((r) => r.path.includes("/project/search"));
    expect(got.map((r) => r.path)).to.deep.include("/rest/api/3/project/search?startAt=2&maxResults=50&orderBy=name");
  });

  it("creates the issue with an ADF description linking to Looker, attaches the file, answers its key", async () => {
    await start();
    const answer = await send();
    expect(answer.looker).to.deep.include({ success: true, message: `Created OPS-1 (${fake.url("")}/browse/OPS-1) ` +
      "with \"Weekly revenue.csv\" (35 bytes) attached." });
    const fields = fake.issues[0].fields;
    expect(fields).to.deep.include({ project: { id: "10000" }, issuetype: { id: "1" }, summary: "Revenue dropped" });
    expect(fields.description.content).to.deep.equal([
      { type: "paragraph", content: [{ type: "text", text: "See the numbers." }] },
      { type: "paragraph", content: [{ type: "text", text: "Region North." }] },
      { type: "paragraph", content: [{ type: "text", text: "Looker URL: " }, { type: "text", text: PLAN.url,
        marks: [{ type: "link", attrs: { href: PLAN.url } }] }] },
    ]);
    const upload = fake.received.find((r) => r.path.endsWith("/attachments"))!;
    expect(upload.headers["x-atlassian-token"]).to.equal("no-check");
    expect(upload.headers.authorization).to.equal(`Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString("base64")}`);
    const file = fake.attachments["OPS-1"][0];
    expect(file.filename).to.equal("Weekly revenue.csv");
    expect(file.contentType).to.match(/^text\/csv/);
    expect(file.bytes.toString("utf8")).to.equal(CSV);
  });

  it("attaches a large file's exact bytes", async () => {
    await start();
    const big = "a,b\n" + "x".repeat(100) .concat(",1\n").repeat(30_000);
    const answer = await send({}, { mimetype: "text/csv", extension: "csv", data: big });
    expect(answer.looker.success).to.equal(true);
    expect(fake.attachments["OPS-1"][0].bytes.equals(Buffer.from(big))).to.equal(true);
  });

  it("works with Jira Data Center: API v2, a personal access token, a text description", async () => {
    await start("datacenter");
    const f = await form(hub.app, "jira_create_issue", { data: params() });
    expect(f.fields[0].options).to.have.length(3);
    expect(f.fields[1].options.map((o: any) => o.name)).to.deep.equal(["1", "3", "7"]);
    const answer = await send();
    expect(answer.looker.success).to.equal(true);
    expect(fake.issues[0].fields.description).to.equal(`See the numbers.\n\nRegion North.\nLooker URL: ${PLAN.url}`);
    expect(fake.received.find((r) => r.path.endsWith("/attachments"))!.headers.authorization).to.equal(`Bearer ${JIRA_PAT}`);
  });

  // Official (src/actions/jira/test_jira.ts): "sends correct jira new issue": on Jira Server / Data Center
  // with the official params (username and password), Basic auth as the official hub's jira-client sent
  // it, the fields as it sent them and the description with its "\nLooker URL: <url>" line.
  it("Data Center with a username and password: Basic auth, the official issue fields", async () => {
    await start("datacenter");
    const answer = await send({ project: "10000", summary: "mysummary", description: "mydescription", issueType: "1" },
      undefined, { address: fake.url("/"), username: JIRA_DC_USER, password: JIRA_DC_PASSWORD });
    expect(answer.looker.success).to.equal(true);
    expect(fake.issues[0].fields).to.deep.equal({ project: { id: "10000" }, issuetype: { id: "1" },
      summary: "mysummary", description: `mydescription\nLooker URL: ${PLAN.url}` });
    const calls = fake.received.filter((r) => r.path.startsWith("/rest/api/2/issue"));
    expect(calls.map((r) => r.headers.authorization)).to.deep.equal(
      [basicAuth(JIRA_DC_USER, JIRA_DC_PASSWORD), basicAuth(JIRA_DC_USER, JIRA_DC_PASSWORD)]);
    const f = await form(hub.app, "jira_create_issue",
      { data: { address: fake.url("/"), username: JIRA_DC_USER, password: JIRA_DC_PASSWORD } });
    expect(f.fields[0].options).to.have.length(3);
  });

  it("Data Center: a personal access token is told from a password by its shape and sent as Bearer", async () => {
    await start("datacenter");
    const answer = await send();
    expect(answer.looker.success).to.equal(true);
    expect(fake.received.filter((r) => r.path !== "/rest/api/2/serverInfo").every((r) =>
      r.headers.authorization === `Bearer ${JIRA_PAT}`)).to.equal(true);
    // A token of another shape: refused as Basic once, then sent as Bearer; the issue is created once.
    const odd = await send({}, undefined, { ...params(), password: fake.oddPat });
    expect(odd.looker.success).to.equal(true);
    const creates = fake.received.filter((r) => r.path === "/rest/api/2/issue");
    expect(creates.slice(1).map((r) => r.headers.authorization)).to.deep.equal(
      [basicAuth(JIRA_EMAIL, fake.oddPat), `Bearer ${fake.oddPat}`]);
    expect(fake.issues).to.have.length(2);
    const wrong = await send({}, undefined, { ...params(), username: JIRA_DC_USER, password: "wrong" });
    expect(wrong.looker.message).to.equal("Jira refused the sign-in: check the Username and Password (the " +
      "account's password, or a current personal access token from Profile > Personal Access Tokens).");
    expect(fake.issues).to.have.length(2);
  });

  it("creates the issue and says so when there were no results to attach", async () => {
    await start();
    const answer = await send({}, null);
    expect(answer.looker.message).to.match(/^Created OPS-1 \(.*\/browse\/OPS-1\); there were no results to attach\.$/);
  });

  // Official: "properly surfaces client errors" (the form's error is Jira's refusal, as a sentence).
  it("turns Jira's refusals into sentences: sign-in, fields, permission", async () => {
    await start();
    const refused = await send({}, undefined, { ...params(), password: "wrong" });
    expect(refused.looker.message).to.match(/^Jira refused the sign-in: check that the Username is the Atlassian account's email/);
    const badType = await send({ issueType: "99" });
    expect(badType.looker.message).to.equal(
      "Jira refused it (HTTP 400: issuetype: Specify a valid issue type); check the form and try again.");
    const form401 = await form(hub.app, "jira_create_issue", { data: { ...params(), password: "wrong" } });
    expect(form401.error).to.match(/^Jira refused the sign-in/);
    expect(fake.issues).to.have.length(0);
  });

  it("says the issue exists when the attachment fails", async () => {
    await start();
    fake.handler = ((route) => (r: any) => r.path.endsWith("/attachments")
      ? { status: 413, body: "Request Entity Too Large" } : route!(r))(fake.handler);
    const answer = await send();
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Created OPS-1 \(.*\), but the file could not be attached: The file is larger than this Jira site accepts/);
  });

  it("retries a rate-limited upload with the same bytes, and does not repeat a rate-limited create", async () => {
    await start();
    const limited = { status: 429, headers: { "retry-after": "0" }, body: "{\"errorMessages\":[\"Rate limited\"]}" };
    let uploads = 0;
    let creates = 0;
    fake.handler = ((route) => (r: any) => {
      if (r.path.endsWith("/attachments") && ++uploads === 1) { return limited; }
      if (r.path.endsWith("/issue") && ++creates === 2) { return limited; }
      return route!(r);
    })(fake.handler);
    const ok = await send();
    expect(ok.looker.success).to.equal(true);
    const sent = fake.received.filter((r) => r.path.endsWith("/attachments"));
    expect(sent).to.have.length(2);
    expect(sent[1].body.equals(sent[0].body)).to.equal(true);
    const answer = await send();
    expect(answer.looker.message).to.equal("Jira is rate limiting this account; try again in a few minutes.");
    expect(creates).to.equal(2);
    expect(fake.issues).to.have.length(1);
  });

  it("guards the typed address: a private address is refused unless the admin allows it", async () => {
    await start("cloud", { ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "" });
    const answer = await send();
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/127\.0\.0\.1/);
    expect(fake.received).to.have.length(0);
  });

  it("logs no token, address path or summary", async () => {
    await start();
    await send();
    expect(hub.logs()).to.include("jira issue created");
    for (const s of [JIRA_TOKEN, "Revenue dropped", "See the numbers"]) { expect(hub.logs()).to.not.include(s); }
  });
});
