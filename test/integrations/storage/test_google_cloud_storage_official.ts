// The official hub's test cases of google_cloud_storage (looker-open-source/actions
// src/actions/google/gcs/test_google_cloud_storage.ts), replayed through the real app against the
// fake JSON API: the same bucket, object name and bytes at Google, the same success or failure.
import { expect } from "chai";
import * as sinon from "sinon";
import { FakeGcs } from "../../fakes/gcs_api";
import { TestApp } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { executeAs } from "../../exactly_once/resend";
import { FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const JUNE_17 = Date.UTC(2026, 5, 17);

describe("google_cloud_storage: the official hub's test cases (test_google_cloud_storage.ts)", () => {
  let gcs: FakeGcs;
  let hub: TestApp;
  let params: Record<string, string>;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(async () => {
    gcs = await new FakeGcs().start();
    hub = storageApp({ GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl });
    params = { client_email: gcs.clientEmail, private_key: gcs.privateKeyPem, project_id: gcs.projectId };
  });
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await gcs.stop();
  });

  /** Delivers the fixture CSV with these form values; answers the names written in `bucket`. */
  async function deliver(formParams: Record<string, string>, bucket = "alpha") {
    // Without a webhook id, as the official hub's tests sent it: Overwrite no's stamp is then the clock
    // (with one, it comes from the webhook id: test/exactly_once/test_google_cloud_storage_resend.ts).
    const answer = await executeAs(hub.app, "google_cloud_storage", lookerRequest("query_csv_push", params, formParams),
      "");
    const names = [...gcs.objects.values()].filter((o) => o.bucket === bucket).map((o) => o.name);
    for (const name of names) { expect(gcs.bytes(bucket, name)!.toString()).to.equal(FIXTURE_CSV); }
    return { answer, names };
  }

  /** Fakes Date only (timers stay real), as the official date-token cases do. */
  function atJune17(): number {
    clock = sinon.useFakeTimers({ now: JUNE_17, toFake: ["Date"] });
    return JUNE_17;
  }

  // Official: "errors if there is no bucket".
  it("refuses a delivery without a bucket: success false, a message naming the bucket, nothing sent", async () => {
    const { answer } = await deliver({});
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Google Cloud Storage needs a bucket/);
    expect(answer.looker.validation_errors).to.have.property("bucket");
    expect(gcs.sessions.size).to.equal(0);
  });

  // Official: "errors if the input has no attachment".
  it("refuses a delivery without data", async () => {
    const answer = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_no_results", params, { bucket: "alpha" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Looker sent no data to write/);
  });

  // Official: "errors if there is an upload error" (its message: "Internal server error. [Google Cloud
  // Storage] testReason"; ours says what failed, see the README's differences).
  it("an upload that fails is success false with a message", async () => {
    gcs.fault = { onPut: 1, kind: "cut-always" };
    const { answer, names } = await deliver({ bucket: "alpha" });
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^The connection to Google Cloud Storage was cut during the upload/);
    expect(names).to.deep.equal([]);
  });

  // Official: "sends right body to filename and bucket".
  it("without a file name, writes under the schedule's title and the extension", async () => {
    const { answer, names } = await deliver({ bucket: "alpha" });
    expect(answer.looker.success).to.equal(true);
    expect(names).to.deep.equal(["Weekly revenue.csv"]);
  });

  // Official: "sends to right filename if specified and overwrite yes".
  it("Overwrite yes: the typed name exactly", async () => {
    const { names } = await deliver({ bucket: "alpha", filename: "mywackyfilename", overwrite: "yes" });
    expect(names).to.deep.equal(["mywackyfilename"]);
  });

  // Official: "sends to right filename if specified and overwrite no".
  it("Overwrite no: the typed name with _<epoch ms>", async () => {
    const now = atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "mywackyfilename", overwrite: "no" });
    expect(names).to.deep.equal([`mywackyfilename_${now}`]);
  });

  // Official: "sends to right filename if specified and overwrite no with attachment extension".
  it("Overwrite no: the stamp goes before the extension", async () => {
    const now = atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "mywackyfilename.csv", overwrite: "no" });
    expect(names).to.deep.equal([`mywackyfilename_${now}.csv`]);
  });

  // Official: "sends to right filename if specified and overwrite no with attachment with multiple .".
  it("Overwrite no: the stamp goes before the last extension only", async () => {
    const now = atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "mywackyfilename.carl.csv", overwrite: "no" });
    expect(names).to.deep.equal([`mywackyfilename.carl_${now}.csv`]);
  });

  it("Overwrite no without a file name: the title's name stamped too", async () => {
    const now = atJune17();
    const { names } = await deliver({ bucket: "alpha", overwrite: "no" });
    expect(names).to.deep.equal([`Weekly revenue_${now}.csv`]);
  });

  // Official: "substitutes the {YYYYMMDD} date token in the filename".
  it("substitutes {YYYYMMDD}", async () => {
    atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "report_{YYYYMMDD}.csv" });
    expect(names).to.deep.equal(["report_20260617.csv"]);
  });

  // Official: "substitutes date tokens combined with path segments into a folder key".
  it("substitutes {YYYY}, {MM}, {DD} in folders", async () => {
    atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "daily/{YYYY}/{MM}/report_{DD}.csv" });
    expect(names).to.deep.equal(["daily/2026/06/report_17.csv"]);
  });

  // Official: "leaves a filename with no date tokens unchanged".
  it("leaves a name without tokens unchanged", async () => {
    atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "plain_report.csv", overwrite: "yes" });
    expect(names).to.deep.equal(["plain_report.csv"]);
  });

  // Official: "substitutes date tokens before appending the overwrite timestamp".
  it("substitutes the date tokens, then stamps for Overwrite no", async () => {
    const now = atJune17();
    const { names } = await deliver({ bucket: "alpha", filename: "report_{YYYYMMDD}.csv", overwrite: "no" });
    expect(names).to.deep.equal([`report_20260617_${now}.csv`]);
  });

  // Official: "uses the bucket_override value in preference to the dropdown bucket".
  it("writes to the manual override's bucket, not the listed one", async () => {
    const { answer, names } = await deliver({ bucket: "alpha", bucket_override: "bravo", filename: "mywackyfilename" },
      "bravo");
    expect(answer.looker.success).to.equal(true);
    expect(names).to.deep.equal(["mywackyfilename"]);
    expect([...gcs.objects.values()].filter((o) => o.bucket === "alpha")).to.deep.equal([]);
  });

  // Official: "has form with correct buckets".
  it("the form: the buckets (not required, the first the default), the override, filename, overwrite", async () => {
    const answer = await form(hub.app, "google_cloud_storage", { data: params });
    expect(answer.fields.map((f: any) => [f.name, f.label])).to.deep.equal([["bucket", "Bucket"],
      ["bucket_override", "Bucket name (manual override)"], ["filename", "Filename"], ["overwrite", "Overwrite"]]);
    expect(answer.fields[0]).to.deep.include({ type: "select", required: false, default: "alpha" });
    expect(answer.fields[0].options[1]).to.deep.equal({ name: "bravo", label: "bravo" });
    expect(answer.fields[3]).to.deep.include({ default: "yes",
      options: [{ name: "yes", label: "Yes" }, { name: "no", label: "No" }] });
    expect(answer.error).to.equal(undefined);
  });

  // Official: "renders form with manual override when no buckets are listed".
  it("the form with no bucket listed: no options, no default, the override still there", async () => {
    gcs.buckets = [];
    const answer = await form(hub.app, "google_cloud_storage", { data: params });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["bucket", "bucket_override", "filename", "overwrite"]);
    expect(answer.fields[0].options).to.deep.equal([]);
    expect(answer.fields[0]).to.not.have.property("default");
    expect(answer.error).to.equal(undefined);
  });

  // Official: "renders form with manual override when listing buckets fails".
  it("the form when listing fails: the fields, with the reason in the bucket's description", async () => {
    gcs.nextError = { status: 403, reason: "forbidden", message: "may not list" };
    const answer = await form(hub.app, "google_cloud_storage", { data: params });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["bucket", "bucket_override", "filename", "overwrite"]);
    expect(answer.fields[0].options).to.deep.equal([]);
    expect(answer.fields[0].description).to.match(/^The buckets could not be listed: The service account may not list/);
    expect(answer.error).to.equal(undefined);
  });
});
