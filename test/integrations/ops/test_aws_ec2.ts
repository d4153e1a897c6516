// aws_ec2_stop_instance through the real app and AWS's SDK against a local fake of EC2's query
// API that checks each request's SigV4 signature.
import { expect } from "chai";
import { AwsEc2StopInstanceIntegration } from "../../../src/integrations/aws_ec2/aws_ec2";
import { AWS_KEY_ID, AWS_SECRET, Ec2Fake, xmlError } from "../../fakes/ec2_api";
import request from "supertest";
import { authHeader, buildTestApp, testConfig } from "../../helpers/app";
import { execute } from "../../helpers/execute";
import { FAST_HTTP_ENV } from "../../helpers/http";
import { cellPayload, queryPayload } from "./ops_payloads";

const TAG = "aws_resource_id";
const PARAMS = { access_key_id: AWS_KEY_ID, secret_access_key: AWS_SECRET, region: "us-east-1" };

describe("aws_ec2_stop_instance integration", () => {
  let fake: Ec2Fake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new Ec2Fake().start();
    const config = testConfig(FAST_HTTP_ENV);
    hub = buildTestApp([new AwsEc2StopInstanceIntegration({ http: config.http, endpoint: fake.url("") })]);
  });
  afterEach(() => fake.stop());
  const query = (values: Array<string | null>, params: Record<string, string> = PARAMS) =>
    execute(hub.app, "aws_ec2_stop_instance", queryPayload(params, {}, { tag: TAG, values }));
  const snapshotStates = () => Object.fromEntries(fake.instances);
  const cell = (value: string, params: Record<string, string> = PARAMS) =>
    execute(hub.app, "aws_ec2_stop_instance", cellPayload(params, {}, value));

  it("declares the official name, params and tag", () => {
    const def = hub.registry.definition(hub.registry.get("aws_ec2_stop_instance", null), null) as any;
    expect(def).to.deep.include({ label: "AWS EC2 - Stop Instance", form_url: null,
      supported_action_types: ["cell", "query"], supported_formats: ["json_detail"], required_fields: [{ tag: TAG }] });
    expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal([
      ["access_key_id", true, true], ["secret_access_key", true, true], ["region", true, false]]);
  });

  it("stops the clicked instance with a signed StopInstances call and says what it was", async () => {
    const answer = await cell("i-0abc1234def567890");
    expect(answer.looker).to.deep.include({ success: true,
      message: "Stopped i-0abc1234def567890 (was running, now stopping) in us-east-1." });
    const got = fake.received[0];
    expect(got.method).to.equal("POST");
    expect(got.headers.authorization).to.match(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEY_ID}/\\d{8}/us-east-1/ec2/aws4_request, SignedHeaders=`));
    expect(fake.calls[0]).to.deep.include({ Action: "StopInstances", Version: "2016-11-15",
      "InstanceId.1": "i-0abc1234def567890" });
  });

  // docs/dry_run.md: each stop goes with EC2's own DryRun flag; EC2 checks it and stops nothing.
  it("a dry run sends each stop with EC2's DryRun flag: what the key may stop, what is refused, nothing stopped", async () => {
    fake.forbidden.add("i-0abc1234def567891");
    const before = snapshotStates();
    const res = await request(hub.app).post("/actions/aws_ec2_stop_instance/execute").set("Authorization", authHeader())
      .set("X-Hub-Dry-Run", "true")
      .send(queryPayload(PARAMS, {}, { tag: TAG, values: ["i-0abc1234def567890", "i-0abc1234def567891"] }));
    const looker = res.body.looker;
    expect(looker.success, looker.message).to.equal(true);
    expect(looker.message).to.match(/^Dry run, nothing was sent to .*: EC2's DryRun says the key may stop 1 of 2 instances in us-east-1; i-0abc1234def567891: the access key is not allowed to stop it/);
    expect(looker.dry_run).to.deep.include({ rows: 2, would_send: 1, would_reject: 1 });
    expect(fake.calls.map((c) => c.DryRun)).to.deep.equal(["true", "true"]);
    expect(snapshotStates()).to.deep.equal(before);
  });

  it("stops every distinct instance of a query and answers with the count", async () => {
    const answer = await query(["i-0abc1234def567890", "i-0abc1234def567891", "i-0abc1234def567890", null]);
    expect(answer.looker).to.deep.include({ success: true, message: "Stopped 2 instances in us-east-1: " +
      "i-0abc1234def567890 (was running, now stopping), i-0abc1234def567891 (was running, now stopping)." });
    expect(fake.stopped.sort()).to.deep.equal(["i-0abc1234def567890", "i-0abc1234def567891"]);
  });

  it("says which did not stop and why, counting each", async () => {
    fake.forbidden.add("i-0abc1234def567891");
    const answer = await query(["i-0abc1234def567890", "i-0abc1234def567891", "i-0abc1234def567892",
      "i-0abc1234def567893", "i-0abc1234def5678ff", "web-server"]);
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Stopped 2 of 6 instances in us-east-1; 4 failed: " +
      "i-0abc1234def567891 (the access key is not allowed to stop it (ec2:StopInstances); ask your Looker admin); " +
      "i-0abc1234def567893 (it cannot be stopped in its current state (This instance 'i-0abc1234def567893' is not " +
      "in a state from which it can be stopped)); i-0abc1234def5678ff (no such instance in us-east-1); " +
      "\"web-server\" (not an EC2 instance ID (i- and 8 or 17 hex digits)).");
    expect(answer.looker.message).to.not.include("i-0abc1234def567892 (");
  });

  it("reports an already stopped instance as such", async () => {
    const answer = await cell("i-0abc1234def567892");
    expect(answer.looker.message).to.equal("Stopped i-0abc1234def567892 (was already stopped) in us-east-1.");
  });

  it("stops at a refused key: the signature made with another secret fails as at AWS", async () => {
    const answer = await query(["i-0abc1234def567890", "i-0abc1234def567891", "i-0abc1234def567892",
      "i-0abc1234def567893", "i-0abc1234def567894", "i-0abc1234def567895"],
      { ...PARAMS, secret_access_key: "not-the-secret" });
    expect(answer.looker).to.deep.include({ success: false, message: "AWS refused the access key " +
      "(SignatureDoesNotMatch); ask your Looker admin to check the Access Key ID and Secret Access Key. Nothing was sent." });
    expect(fake.calls).to.have.length(0);
    expect(fake.received.length).to.be.at.most(4);
  });

  it("retries EC2's throttling, then stops; names a limit that lasts", async () => {
    const throttled = xmlError(503, "RequestLimitExceeded", "Request limit exceeded.");
    fake.reply(throttled);
    expect((await cell("i-0abc1234def567890")).looker.success).to.equal(true);
    expect(fake.received).to.have.length(2);
    fake.reply(throttled, throttled, throttled);
    const answer = await cell("i-0abc1234def567891");
    expect(answer.looker).to.deep.include({ success: false, message: "Could not stop i-0abc1234def567891 in " +
      "us-east-1: AWS's request rate limit was reached; try again in a minute." });
  });

  it("checks the region and the cell before calling AWS", async () => {
    expect((await cell("i-0abc1234def567890", { ...PARAMS, region: "Virginia" })).looker.message)
      .to.match(/The Region setting is not an AWS region/);
    expect((await execute(hub.app, "aws_ec2_stop_instance", cellPayload(PARAMS))).looker.message).to.equal(
      "Could not stop \"acme-corp-1042\" in us-east-1: not an EC2 instance ID (i- and 8 or 17 hex digits).");
    expect(fake.received).to.have.length(0);
  });

  it("logs no key and no secret", async () => {
    await query(["i-0abc1234def567890"]);
    expect(hub.logs()).to.include("ec2 stop requests");
    expect(hub.logs()).to.not.include(AWS_SECRET);
    expect(hub.logs()).to.not.include(AWS_KEY_ID);
  });

  describe("the official hub's test cases (src/actions/amazon/test_amazon_ec2.ts)", () => {
    // Official: "errors if there is no attachment for query".
    it("refuses a query without data, nothing sent", async () => {
      const answer = await execute(hub.app, "aws_ec2_stop_instance",
        { ...queryPayload(PARAMS, {}, { tag: TAG, values: [] }), attachment: null });
      expect(answer.looker.success).to.equal(false);
      expect(fake.received).to.have.length(0);
    });

    // Official: "sends right params for query" (there one StopInstances with every ID; here one call per
    // instance, so each outcome is reported: see the README's differences).
    it("stops every instance of the tagged field", async () => {
      const answer = await query(["i-0abc1234def567890", "i-0abc1234def567891"]);
      expect(answer.looker.success).to.equal(true);
      expect(fake.stopped.sort()).to.deep.equal(["i-0abc1234def567890", "i-0abc1234def567891"]);
    });

    // Official: "errors if there is no attachment for cell".
    it("refuses a cell action without the cell's value, nothing sent", async () => {
      const body = cellPayload(PARAMS);
      delete (body.data as Record<string, unknown>).value;
      delete (body.data as Record<string, unknown>).rendered;
      const answer = await execute(hub.app, "aws_ec2_stop_instance", body);
      expect(answer.looker.success).to.equal(false);
      expect(fake.received).to.have.length(0);
    });

    // Official: "sends right params for cell" is the clicked-instance test above; "doesn't have form" is
    // the definition's form_url: null in "declares the official name, params and tag".
  });
});

