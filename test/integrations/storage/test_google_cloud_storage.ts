// google_cloud_storage through the real app against the local fake of Google's token endpoint
// and Cloud Storage's JSON API, which accepts only tokens minted from the test key.
import { expect } from "chai";
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { startDownloadServer } from "../../fakes/download_server";
import { FakeGcs } from "../../fakes/gcs_api";
import { TestApp } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { executeAs } from "../../exactly_once/resend";
import { csvBuffer, csvBytes, FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const MiB = 1024 * 1024;

describe("google_cloud_storage (fake JSON API and token endpoint)", () => {
  let gcs: FakeGcs;
  let hub: TestApp;
  let params: Record<string, string>;

  beforeEach(async () => {
    gcs = await new FakeGcs().start();
    hub = storageApp({ GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl });
    // As pasted from the JSON key file: the newlines are literal \n.
    params = { client_email: gcs.clientEmail, private_key: gcs.privateKeyPem.replace(/\n/g, "\\n"),
      project_id: gcs.projectId };
  });
  afterEach(() => gcs.stop());

  it("lists every page of buckets in the form, signed in with the service account", async () => {
    const answer = await form(hub.app, "google_cloud_storage", { data: params });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["bucket", "bucket_override", "filename", "overwrite"]);
    expect(answer.fields[0].options.map((o: any) => o.name)).to.deep.equal(gcs.buckets);
    expect(answer.fields[3]).to.deep.include({ default: "yes", type: "select" });
    expect(gcs.assertions).to.have.length(1);
    expect(gcs.assertions[0]).to.include({ iss: gcs.clientEmail, aud: gcs.tokenUrl,
      scope: "https://www.googleapis.com/auth/devstorage.read_write" });
  });

  it("writes a CSV push with its content type, with the minted bearer token", async () => {
    const answer = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_csv_push", params, { bucket: "alpha", filename: "weekly.csv" }));
    expect(answer.looker)
      .to.include({ success: true, message: `Wrote ${FIXTURE_CSV.length} bytes to gs://alpha/weekly.csv.` });
    expect(gcs.bytes("alpha", "weekly.csv")!.toString()).to.equal(FIXTURE_CSV);
    expect(gcs.object("alpha", "weekly.csv")!.contentType).to.equal("text/csv; charset=utf-8");
    expect(gcs.tokensSeen.length).to.be.greaterThan(0);
    for (const token of gcs.tokensSeen) { expect(gcs.minted.has(token)).to.equal(true); }
  });

  it("streams a 12 MiB download_url delivery in chunks, resuming a chunk cut midway and one answered 503", async () => {
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(12 * MiB).pipe(res); });
    try {
      gcs.fault = { onPut: 1, kind: "cut" };
      const body = lookerRequest("query_url", params, { bucket: "bravo", filename: "big.csv", format: "csv" });
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "google_cloud_storage", body);
      expect(answer.looker).to.include({ success: true, message: "Wrote 12 MB to gs://bravo/big.csv." });
      expect(gcs.bytes("bravo", "big.csv")!.equals(await csvBuffer(12 * MiB))).to.equal(true);
      gcs.fault = { onPut: gcs.putCount + 2, kind: "500" };
      const again = await execute(hub.app, "google_cloud_storage", body);
      expect(again.looker.success).to.equal(true);
      expect(gcs.bytes("bravo", "big.csv")!.length).to.equal(12 * MiB);
    } finally {
      await download.close();
    }
  });

  it("with Overwrite no, every delivery's name carries its stamp, so none replaces another", async () => {
    const body = lookerRequest("query_csv_push", params, { bucket: "alpha", filename: "keep.csv", overwrite: "no" });
    const first = await executeAs(hub.app, "google_cloud_storage", body, "wh-keep-1");
    expect(first.looker.message).to.match(/gs:\/\/alpha\/keep_\d{13}\.csv\.$/);
    const second = await executeAs(hub.app, "google_cloud_storage", body, "wh-keep-2");
    expect(second.looker.message).to.match(/gs:\/\/alpha\/keep_\d{13}\.csv\.$/);
    expect([...gcs.objects.keys()].filter((k) => /^alpha\/keep_\d{13}\.csv$/.test(k))).to.have.length(2);
    // Uploaded with ifGenerationMatch=0: even two deliveries in the same millisecond replace nothing.
    expect([...gcs.objects.values()].every((o: any) => o.ifGenerationMatch === "0")).to.equal(true);
  });

  it("a connection cut on every try: a clear message, the session cancelled, nothing under the name", async () => {
    gcs.fault = { onPut: 1, kind: "cut-always" };
    const answer = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_csv_push", params, { bucket: "alpha", filename: "never.csv" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("The connection to Google Cloud Storage was cut during the upload, even " +
      "after retries. Nothing was written under the file's name; try again later.");
    expect(gcs.object("alpha", "never.csv")).to.equal(undefined);
    expect(gcs.cancelled).to.deep.equal(["never.csv"]);
  });

  it("says what is wrong: the key, the bucket, the permission, the project", async () => {
    // Another key than the service account's (the Google fakes share one key per test process).
    const otherKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
      .export({ type: "pkcs8", format: "pem" }).toString();
    const wrong = await execute(hub.app, "google_cloud_storage", lookerRequest("query_csv_push",
      { ...params, private_key: otherKey }, { bucket: "alpha" }));
    expect(wrong.looker.message).to.match(/^Google Cloud Storage refused the service account's key \(invalid_grant/);
    const noBucket = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_csv_push", params, { bucket: "zulu" }));
    expect(noBucket.looker.message)
      .to.equal("The bucket named in \"Bucket\" does not exist in Google Cloud Storage. Pick an existing bucket.");
    gcs.nextError = { status: 403, reason: "forbidden",
      message: "hub@x.iam.gserviceaccount.com does not have storage.objects.create access." };
    const denied = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_csv_push", params, { bucket: "alpha" }));
    expect(denied.looker.message).to.equal("The service account may not write in the bucket named in \"Bucket\": " +
      "it needs the storage.objects.create permission (Storage Object Creator).");
    const project = await form(hub.app, "google_cloud_storage", { data: { ...params, project_id: "nope" } });
    expect(project.fields[0].description).to.equal("The buckets could not be listed: Google Cloud Storage has no " +
      "project by the id in \"Project Id\". Check that setting. You can still type a bucket's name below.");
    const notPem = await execute(hub.app, "google_cloud_storage",
      lookerRequest("query_csv_push", { ...params, private_key: "abc" }, { bucket: "alpha" }));
    expect(notPem.looker.message).to.match(/is not a PEM private key/);
  });
  it("an address that answers 200 oddly (a token without access_token, an upload start without Location) is named, " +
    "with the setting to check", async () => {
    const odd = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{\"ok\":true}"));
    });
    await new Promise<void>((resolve) => odd.listen(0, "127.0.0.1", resolve));
    const oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
    try {
      const body = lookerRequest("query_csv_push", params, { bucket: "alpha", filename: "odd.csv" });
      const token = await execute(storageApp({ GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: `${oddUrl}/token` }).app,
        "google_cloud_storage", body);
      expect(token.looker.message).to.match(new RegExp("^The token endpoint answered the service account's sign-in " +
        "with HTTP 200 but no access token, so nothing was sent to Google Cloud Storage\\. .*check " +
        "GOOGLE_OAUTH_TOKEN_URL \\(Google's is https://oauth2\\.googleapis\\.com/token\\)\\."));
      const upload = await execute(storageApp({ GCS_API_URL: oddUrl, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl }).app,
        "google_cloud_storage", body);
      expect(upload.looker.message).to.match(new RegExp("^Google Cloud Storage answered with HTTP 200 but not as " +
        "Cloud Storage does \\(no upload address\\), so nothing was written\\. Ask the hub's admin to check " +
        "GCS_API_URL \\(Cloud Storage's is https://storage\\.googleapis\\.com\\)\\."));
      expect(upload.looker.success).to.equal(false);
      expect(gcs.object("alpha", "odd.csv")).to.equal(undefined);
    } finally {
      odd.closeAllConnections();
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});
