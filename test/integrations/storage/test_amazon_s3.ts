// amazon_s3 and digitalocean_object_storage through the real app against s3rver (a real
// S3-compatible server), with a fault proxy in front for 500s, cut connections and paging.
import { expect } from "chai";
import { ActionRequest } from "../../../src/hub/action_request";
import { DigitalOceanObjectStorageIntegration } from "../../../src/integrations/digitalocean_object_storage/digitalocean_object_storage";
import { startDownloadServer } from "../../fakes/download_server";
import { FaultProxy } from "../../fakes/fault_proxy";
import { S3_KEY_ID, S3_SECRET, S3Server, s3FaultProxy, sharedS3Server } from "../../fakes/s3_server";
import request from "supertest";
import { authHeader, TestApp } from "../../helpers/app";
import { execute, form, LOOKER_HEADERS } from "../../helpers/execute";
import { csvBuffer, csvBytes, FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const MiB = 1024 * 1024;
const KEYS = { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET, region: "us-east-1" };

describe("amazon_s3 and digitalocean_object_storage (s3rver)", () => {
  let s3: S3Server;
  let proxy: FaultProxy;
  let hub: TestApp;

  before(async () => {
    s3 = await sharedS3Server();
    for (const b of ["hub-exports", "hub-archive", "hub-spaces"]) { await s3.createBucket(b); }
  });
  beforeEach(async () => {
    proxy = await s3FaultProxy(s3);
    hub = storageApp({ AWS_S3_ENDPOINT: proxy.url, DIGITALOCEAN_SPACES_ENDPOINT: proxy.url });
  });
  afterEach(() => proxy.stop());

  it("declares the official names", async () => {
    const res = await request(hub.app).post("/").set("Authorization", authHeader()).set(LOOKER_HEADERS).send({});
    const list = JSON.parse(res.text).integrations;
    const s3Def = list.find((d: any) => d.name === "amazon_s3")!;
    expect(s3Def.params.map((p: any) => p.name)).to.deep.equal(["access_key_id", "secret_access_key", "region", "endpoint"]);
    expect(s3Def.supported_download_settings).to.deep.equal(["push", "url"]);
    const doDef = list.find((d: any) => d.name === "digitalocean_object_storage")!;
    expect(doDef.params.map((p: any) => p.name)).to.deep.equal(["access_key_id", "secret_access_key", "region"]);
  });

  it("lists every bucket in the form, all pages", async () => {
    const answer = await form(hub.app, "amazon_s3", { data: KEYS });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["bucket", "path", "filename"]);
    expect(answer.fields[0].options.map((o: any) => o.name)).to.include.members(["hub-archive", "hub-exports"]);

    let page = 0;
    proxy.intercept = (req, res) => {
      if (req.method !== "GET" || !/^\/(\?|$)/.test(req.url ?? "")) { return false; }
      const next = page++ === 0;
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets><Bucket><Name>${next ? "page-one" :
        "page-two"}</Name></Bucket></Buckets>${next ? "<ContinuationToken>t2</ContinuationToken>" : ""}` +
        "</ListAllMyBucketsResult>");
      return true;
    };
    const paged = await form(hub.app, "amazon_s3", { data: KEYS });
    expect(paged.fields[0].options.map((o: any) => o.name)).to.deep.equal(["page-one", "page-two"]);
  });

  it("writes a CSV push under path/filename with the content type, signed with the key", async () => {
    const body = lookerRequest("query_csv_push", KEYS, { bucket: "hub-exports", path: "/looker/daily/", filename: "revenue.csv" });
    const answer = await execute(hub.app, "amazon_s3", body);
    expect(answer.looker).to.include({ success: true,
      message: `Wrote ${FIXTURE_CSV.length} bytes to s3://hub-exports/looker/daily/revenue.csv.` });
    expect(s3.bytes("hub-exports", "looker/daily/revenue.csv")!.toString()).to.equal(FIXTURE_CSV);
    expect(s3.contentType("hub-exports", "looker/daily/revenue.csv")).to.equal("text/csv; charset=utf-8");
    const put = proxy.seen.find((r) => r.method === "PUT")!;
    expect(put.path).to.equal("/hub-exports/looker/daily/revenue.csv?x-id=PutObject");
    expect(put.authorization).to.match(/^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request,/);
  });

  it("streams a 17 MiB download_url delivery as a multipart upload", async () => {
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(17 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", KEYS,
        { bucket: "hub-archive", filename: "big {date}.csv", format: "csv" });
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "amazon_s3", body);
      expect(answer.looker.success).to.equal(true);
      const key = s3.keys("hub-archive").find((k) => /^big \d{4}-\d\d-\d\d\.csv$/.test(k))!;
      expect(answer.looker.message).to.equal(`Wrote 17 MB to s3://hub-archive/${key}.`);
      expect(s3.bytes("hub-archive", key)!.equals(await csvBuffer(17 * MiB))).to.equal(true);
      expect(proxy.seen.filter((r) => /partNumber=/.test(r.path)).length).to.equal(4); // 5 MiB parts
    } finally {
      await download.close();
    }
  });

  it("retries a part answered 500 without starting the upload again", async () => {
    let failures = 0;
    proxy.rule = (req) => /partNumber=2&/.test(req.url ?? "") && failures++ === 0 ? "500" : undefined;
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(9 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", KEYS, { bucket: "hub-archive", filename: "retried.csv", format: "csv" });
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "amazon_s3", body);
      expect(answer.looker.success).to.equal(true);
      expect(s3.bytes("hub-archive", "retried.csv")!.length).to.equal(9 * MiB);
      expect(proxy.seen.filter((r) => /\?uploads/.test(r.path))).to.have.length(1);
      expect(proxy.seen.filter((r) => /partNumber=2&/.test(r.path))).to.have.length(2);
    } finally {
      await download.close();
    }
  });

  it("a connection cut on every try of a part: a clear message, the upload aborted, nothing left", async () => {
    proxy.rule = (req) => /partNumber=2&/.test(req.url ?? "") ? "cut" : undefined;
    const download = await startDownloadServer((_req, res) => { res.writeHead(200); csvBytes(9 * MiB).pipe(res); });
    try {
      const body = lookerRequest("query_url", KEYS, { bucket: "hub-archive", filename: "cut.csv", format: "csv" });
      (body.scheduled_plan as any).download_url = `${download.url}/once`;
      const answer = await execute(hub.app, "amazon_s3", body);
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.equal("The connection to Amazon S3 was cut during the upload, even after " +
        "retries. Nothing was written under the file's name; try again later.");
      expect(s3.keys("hub-archive")).to.not.include("cut.csv");
      expect(proxy.aborted).to.deep.equal(["/hub-archive/cut.csv"]);
      expect(s3.pendingUploads("hub-archive")).to.deep.equal([]);
    } finally {
      await download.close();
    }
    const after = await execute(hub.app, "amazon_s3",
      lookerRequest("query_csv_push", KEYS, { bucket: "hub-archive", filename: "after-cut" }));
    expect(after.looker.success).to.equal(true);
  });

  it("names a missing bucket and an unknown key, and asks for missing settings", async () => {
    const missing = await execute(hub.app, "amazon_s3",
      lookerRequest("query_csv_push", KEYS, { bucket: "no-such-bucket" }));
    expect(missing.looker).to.include({ success: false,
      message: "The bucket named in \"Bucket\" does not exist in Amazon S3. Pick an existing bucket, or create it." });
    const wrongKey = await execute(hub.app, "amazon_s3",
      lookerRequest("query_csv_push", { ...KEYS, access_key_id: "AKIAUNKNOWN" }, { bucket: "hub-exports" }));
    expect(wrongKey.looker.message).to.match(/^Amazon S3 does not know the access key ID/);
    const calls = proxy.seen.length;
    const noBucket = await execute(hub.app, "amazon_s3", lookerRequest("query_csv_push", KEYS, {}));
    expect(noBucket.looker.validation_errors).to.have.property("bucket");
    const noSecret = await execute(hub.app, "amazon_s3",
      lookerRequest("query_csv_push", { access_key_id: "x", region: "us-east-1" }, { bucket: "b" }));
    expect(noSecret.looker.message).to.match(/"Secret Key" is missing/);
    expect(proxy.seen.length).to.equal(calls);
  });

  it("an admin's endpoint is a user URL: a loopback one is refused unless private addresses are allowed", async () => {
    const guarded = storageApp({ ALLOW_PRIVATE_URLS: "false" });
    const refused = await execute(guarded.app, "amazon_s3",
      lookerRequest("query_csv_push", { ...KEYS, endpoint: proxy.url }, { bucket: "hub-exports" }));
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.match(/127\.0\.0\.1, a loopback address/);
    const allowed = await execute(hub.app, "amazon_s3",
      lookerRequest("query_csv_push", { ...KEYS, endpoint: proxy.url }, { bucket: "hub-exports", filename: "ep.csv" }));
    expect(allowed.looker.success).to.equal(true);
    expect(s3.keys("hub-exports")).to.include("ep.csv");
  });

  it("Spaces: writes to the region's endpoint", async () => {
    const answer = await execute(hub.app, "digitalocean_object_storage",
      lookerRequest("dashboard_pdf_push", { ...KEYS, region: "nyc3" },
        { bucket: "hub-spaces", filename: "board.pdf" }));
    expect(answer.looker.success).to.equal(true);
    expect(answer.looker.message).to.match(/^Wrote \d+ bytes to s3:\/\/hub-spaces\/board\.pdf\.$/);
    expect(s3.bytes("hub-spaces", "board.pdf")!.subarray(0, 5).toString()).to.equal("%PDF-");
    const spaces = new DigitalOceanObjectStorageIntegration({
      endpointTemplate: "https://{region}.digitaloceanspaces.com", connectTimeoutMs: 1000, idleTimeoutMs: 1000,
      totalTimeoutMs: 1000,
      maxAttempts: 1,
    });
    const spacesRequest = new ActionRequest({ requestId: "r", lookerVersion: {} as any, logger: undefined as any });
    spacesRequest.params = { ...KEYS, region: "ams3" };
    const endpoint = await (await spaces.client(spacesRequest)).config.endpoint!();
    expect(endpoint.hostname).to.equal("ams3.digitaloceanspaces.com");
  });
});
