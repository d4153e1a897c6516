// The official hub's test cases of amazon_s3 and digitalocean_object_storage
// (looker-open-source/actions src/actions/amazon/test_amazon_s3.ts and
// src/actions/digitalocean/test_digitalocean_object_storage.ts, which runs the same cases),
// replayed through the real app against s3rver: the same object key and bytes at the vendor,
// the same success or failure. Plus the Spaces `path` decision: ignored, as the official hub did.
import { expect } from "chai";
import { S3_KEY_ID, S3_SECRET, S3Server, s3FaultProxy, sharedS3Server } from "../../fakes/s3_server";
import { FaultProxy } from "../../fakes/fault_proxy";
import { TestApp } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { FIXTURE_CSV, lookerRequest, storageApp } from "../../helpers/storage";

const KEYS = { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET, region: "us-east-1" };

for (const name of ["amazon_s3", "digitalocean_object_storage"]) {
  const bucket = `official-${name.replace(/_/g, "-")}`;
  const file = name === "amazon_s3" ? "test_amazon_s3.ts" : "test_digitalocean_object_storage.ts";

  describe(`${name}: the official hub's test cases (${file})`, () => {
    let s3: S3Server;
    let proxy: FaultProxy;
    let hub: TestApp;

    before(async () => {
      s3 = await sharedS3Server();
      await s3.createBucket(bucket);
    });
    beforeEach(async () => {
      proxy = await s3FaultProxy(s3);
      hub = storageApp({ AWS_S3_ENDPOINT: proxy.url, DIGITALOCEAN_SPACES_ENDPOINT: proxy.url });
    });
    afterEach(() => proxy.stop());

    // Official: "errors if there is no bucket".
    it("refuses a delivery without a bucket, nothing sent", async () => {
      const answer = await execute(hub.app, name, lookerRequest("query_csv_push", KEYS, {}));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.validation_errors).to.have.property("bucket");
      expect(proxy.seen.filter((r) => r.method === "PUT" || r.method === "POST")).to.deep.equal([]);
    });

    // Official: "errors if the input has no attachment".
    it("refuses a delivery without data (no attachment, no download URL), nothing written", async () => {
      const answer = await execute(hub.app, name,
        lookerRequest("query_no_results", KEYS, { bucket, filename: "whatever" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/^Looker sent no data to write/);
      expect(s3.keys(bucket)).to.not.include("whatever");
    });

    // Official: "sends right body to key and bucket" (the key is the suggested name: title and extension).
    it("without a file name, writes the bytes under the schedule's title and the extension", async () => {
      const answer = await execute(hub.app, name, lookerRequest("query_csv_push", KEYS, { bucket }));
      expect(answer.looker.success).to.equal(true);
      expect(s3.bytes(bucket, "Weekly revenue.csv")!.toString()).to.equal(FIXTURE_CSV);
    });

    // Official: "sends to right filename if specified": the key is the name as typed, no extension added.
    it("writes under the typed file name exactly, no extension added", async () => {
      const answer = await execute(hub.app, name,
        lookerRequest("query_csv_push", KEYS, { bucket, filename: "mywackyfilename" }));
      expect(answer.looker).to.include({ success: true,
        message: `Wrote ${FIXTURE_CSV.length} bytes to s3://${bucket}/mywackyfilename.` });
      expect(s3.bytes(bucket, "mywackyfilename")!.toString()).to.equal(FIXTURE_CSV);
      const put = proxy.seen.find((r) => r.method === "PUT")!;
      expect(put.path).to.equal(`/${bucket}/mywackyfilename?x-id=PutObject`);
    });

    it("keeps folders typed in the file name as the key's folders", async () => {
      const answer = await execute(hub.app, name,
        lookerRequest("query_csv_push", KEYS, { bucket, filename: "exports/daily/report.csv" }));
      expect(answer.looker.success).to.equal(true);
      expect(s3.bytes(bucket, "exports/daily/report.csv")!.toString()).to.equal(FIXTURE_CSV);
    });

    // Official: "has form with correct buckets".
    it("offers the buckets, the first as the default, then Path and Filename", async () => {
      const answer = await form(hub.app, name, { data: KEYS });
      expect(answer.fields.map((f: any) => [f.name, f.label, f.type])).to.deep.equal([
        ["bucket", name === "amazon_s3" ? "Bucket" : "Space Name", "select"], ["path", "Path", "string"],
        ["filename", "Filename", "string"]]);
      expect(answer.fields[0].required).to.equal(true);
      expect(answer.fields[0].default).to.equal(answer.fields[0].options[0].name);
      expect(answer.fields[0].options.map((o: any) => o.name)).to.include(bucket);
    });
  });
}

describe("digitalocean_object_storage: Path keeps the official meaning", () => {
  let s3: S3Server;
  let proxy: FaultProxy;
  let hub: TestApp;
  before(async () => {
    s3 = await sharedS3Server();
    await s3.createBucket("spaces-path");
  });
  beforeEach(async () => {
    proxy = await s3FaultProxy(s3);
    hub = storageApp({ AWS_S3_ENDPOINT: proxy.url, DIGITALOCEAN_SPACES_ENDPOINT: proxy.url });
  });
  afterEach(() => proxy.stop());

  // The official hub showed Path but wrote every file under its name alone (its execute never read
  // it): a schedule saved there with a Path keeps writing the same object here; amazon_s3 (never
  // listed by the official hub) puts it in front.
  it("a schedule saved with a Path writes where the official hub wrote: the name alone", async () => {
    const values = { bucket: "spaces-path", path: "exports/daily/", filename: "report.csv" };
    const spaces = await execute(hub.app, "digitalocean_object_storage",
      lookerRequest("query_csv_push", KEYS, values));
    expect(spaces.looker).to.include({ success: true,
      message: `Wrote ${FIXTURE_CSV.length} bytes to s3://spaces-path/report.csv.` });
    expect(s3.keys("spaces-path")).to.deep.equal(["report.csv"]);
    const s3Answer = await execute(hub.app, "amazon_s3", lookerRequest("query_csv_push", KEYS, values));
    expect(s3Answer.looker.success).to.equal(true);
    expect(s3.keys("spaces-path")).to.deep.equal(["exports/daily/report.csv", "report.csv"]);
  });
});
