// The object store library against real servers (s3rver, Azurite): uploads of streams land byte
// for byte, failing parts are retried in place, failed uploads leave nothing under the name, links
// are signed. GCS (its fake JSON API) is in test_object_stores_gcs.ts.
import { expect } from "chai";
import * as http from "http";
import { Readable } from "stream";
import {
  azureBlobService, azureSasUrl, listAzureContainers, uploadAzureStream,
} from "../../src/lib/object_stores/azure_blob";
import { listS3Buckets, presignS3Get, s3Client, uploadS3Stream } from "../../src/lib/object_stores/s3";
import { UserError } from "../../src/lib/errors";
import { AZURITE_ACCOUNT, AZURITE_KEY, sharedAzurite } from "../fakes/azurite";
import { FaultProxy } from "../fakes/fault_proxy";
import { S3_KEY_ID, S3_SECRET, s3FaultProxy, sharedS3Server } from "../fakes/s3_server";
import { chunks, data, MiB } from "../helpers/object_store_data";

/** Sends `bytes`, then fails (as a cut Looker download does) once `ready()` holds. */
function failingSource(bytes: Buffer, ready: () => boolean): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) { sent = true; this.push(bytes); return; }
      const fail = () => ready()
        ? this.destroy(new UserError("The download from Looker was cut off after 6 MiB. Try again later."))
        : setTimeout(fail, 5);
      fail();
    },
  });
}

describe("object stores", () => {
  describe("S3 (s3rver)", () => {
    it("uploads a stream in parts, lists buckets, presigns a link", async () => {
      const s3 = await sharedS3Server();
      await s3.createBucket("lib-bucket-a");
      await s3.createBucket("lib-bucket-b");
      const client = s3Client({
        accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: "us-east-1", endpoint: s3.url,
      });
      expect(await listS3Buckets(client)).to.include.members(["lib-bucket-a", "lib-bucket-b"]);
      const bytes = data(11 * MiB);
      const result = await uploadS3Stream(client, { bucket: "lib-bucket-a", key: "p/x.csv", body: chunks(bytes),
        contentType: "text/csv", partSize: 5 * MiB });
      expect(result.bytes).to.equal(bytes.length);
      expect(s3.bytes("lib-bucket-a", "p/x.csv")!.equals(bytes)).to.equal(true);
      const link = await presignS3Get(client, "lib-bucket-a", "p/x.csv", 600);
      expect(link).to.match(/X-Amz-Signature=/);
      const res = await fetch(link);
      expect(res.status).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
    });

    it("retries a part answered 500 without restarting, and aborts when the source fails", async () => {
      const s3 = await sharedS3Server();
      await s3.createBucket("lib-bucket-c");
      const proxy = await s3FaultProxy(s3);
      try {
        let failed = 0;
        proxy.rule = (req) => /partNumber=2&/.test(req.url ?? "") && failed++ === 0 ? "500" : undefined;
        const client = s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: "us-east-1",
          endpoint: proxy.url });
        const bytes = data(12 * MiB, 2);
        await uploadS3Stream(client, { bucket: "lib-bucket-c", key: "r.bin", body: chunks(bytes), partSize: 5 * MiB });
        expect(s3.bytes("lib-bucket-c", "r.bin")!.equals(bytes)).to.equal(true);
        const creates = proxy.seen.filter((r) => r.method === "POST" && /\?uploads/.test(r.path));
        expect(creates).to.have.length(1);
        expect(proxy.seen.filter((r) => /partNumber=2&/.test(r.path))).to.have.length(2);

        const err = await uploadS3Stream(client, { bucket: "lib-bucket-c", key: "cut.bin",
          body: failingSource(data(6 * MiB), () => proxy.seen.some((r) => /cut\.bin\?.*partNumber=1/.test(r.path))),
          partSize: 5 * MiB }).catch((e) => e);
        expect(err.message).to.match(/cut off/);
        expect(s3.keys("lib-bucket-c")).to.not.include("cut.bin");
        expect(proxy.aborted).to.deep.equal(["/lib-bucket-c/cut.bin"]);
        expect(s3.pendingUploads("lib-bucket-c")).to.deep.equal([]);
      } finally {
        await proxy.stop();
      }
    });

    it("sends parts of the part size, a small file in one PUT, and aborts when a part keeps failing", async () => {
      const s3 = await sharedS3Server();
      await s3.createBucket("lib-bucket-d");
      const proxy = await s3FaultProxy(s3);
      try {
        const sizes: Array<[number, number]> = [];
        proxy.rule = (req) => {
          const part = /partNumber=(\d+)/.exec(req.url ?? "");
          if (part) { sizes.push([Number(part[1]), Number(req.headers["content-length"])]); }
          return undefined;
        };
        const client = s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: "us-east-1",
          endpoint: proxy.url, maxAttempts: 2 });
        const bytes = data(11 * MiB + 7, 6);
        expect((await uploadS3Stream(client, { bucket: "lib-bucket-d", key: "sized.bin", body: chunks(bytes) })).bytes)
          .to.equal(bytes.length);
        expect(sizes.sort((a, b) => a[0] - b[0])).to.deep.equal([[1, 5 * MiB], [2, 5 * MiB], [3, MiB + 7]]);
        expect(s3.bytes("lib-bucket-d", "sized.bin")!.equals(bytes)).to.equal(true);

        proxy.seen.length = 0;
        const small = data(1000, 7);
        await uploadS3Stream(client, { bucket: "lib-bucket-d", key: "small.csv", body: chunks(small) });
        expect(proxy.seen.map((r) => r.method)).to.deep.equal(["PUT"]);
        expect(s3.bytes("lib-bucket-d", "small.csv")!.equals(small)).to.equal(true);

        proxy.seen.length = 0;
        proxy.rule = (req) => /failing\.bin\?.*partNumber=2&/.test(req.url ?? "") ? "500" : undefined;
        const err = await uploadS3Stream(client, { bucket: "lib-bucket-d", key: "failing.bin",
          body: chunks(data(16 * MiB, 8)) }).catch((e) => e);
        expect(err.message).to.match(/^Amazon S3 was overloaded or failing \(InternalError\) even after retries/);
        expect(proxy.seen.filter((r) => /partNumber=2&/.test(r.path))).to.have.length(2);
        expect(s3.keys("lib-bucket-d")).to.not.include("failing.bin");
        expect(proxy.aborted).to.deep.equal(["/lib-bucket-d/failing.bin"]);
        // The abort came after every part had settled: none arrived after it.
        const abortAt = proxy.seen.findIndex((r) => r.method === "DELETE");
        expect(proxy.seen.slice(abortAt + 1)).to.deep.equal([]);
        expect(s3.pendingUploads("lib-bucket-d")).to.deep.equal([]);
      } finally {
        await proxy.stop();
      }
    });

    it("says which key is wrong", async () => {
      const s3 = await sharedS3Server();
      const client = s3Client({ accessKeyId: "AKIAWRONG", secretAccessKey: S3_SECRET, region: "us-east-1",
        endpoint: s3.url });
      const err = await listS3Buckets(client).catch((e) => e);
      expect(err).to.be.instanceOf(UserError);
      expect(err.message).to.equal("Amazon S3 does not know the access key ID. Check the \"Access Key\" setting " +
        "(it may have been deleted or deactivated).");
    });
  });

  describe("Azure (Azurite)", () => {
    it("stages blocks and commits, lists containers, signs a SAS link", async () => {
      const azurite = await sharedAzurite();
      const settings = { account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY, blobUrlTemplate: azurite.blobUrlTemplate };
      const service = azureBlobService(settings);
      await service.getContainerClient("lib-one").createIfNotExists();
      expect(await listAzureContainers(service)).to.include("lib-one");
      const bytes = data(9 * MiB, 3);
      const result = await uploadAzureStream(service, { container: "lib-one", name: "d/x.csv", body: chunks(bytes),
        contentType: "text/csv", blockSize: 4 * MiB });
      expect(result.bytes).to.equal(bytes.length);
      const res = await fetch(azureSasUrl(settings, "lib-one", "d/x.csv", 600, "x.csv"));
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("text/csv");
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).to.equal(true);
    });

    it("stages blocks of the block size and commits; a block that keeps failing leaves no blob", async () => {
      const azurite = await sharedAzurite();
      const proxy = await new FaultProxy(azurite.port).start();
      try {
        const sizes: number[] = [];
        proxy.rule = (req) => {
          if (/comp=block&/.test(req.url ?? "")) { sizes.push(Number(req.headers["content-length"])); }
          return undefined;
        };
        const service = azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY, maxTries: 2,
          retryDelayMs: 1, blobUrlTemplate: `${proxy.url}/{account}` });
        await service.getContainerClient("lib-two").createIfNotExists();
        const bytes = data(9 * MiB + 5, 9);
        expect((await uploadAzureStream(service, { container: "lib-two", name: "sized.bin", body: chunks(bytes) }))
          .bytes).to.equal(bytes.length);
        expect(sizes).to.deep.equal([4 * MiB, 4 * MiB, MiB + 5]);
        const stored = await service.getContainerClient("lib-two").getBlobClient("sized.bin").downloadToBuffer();
        expect(stored.equals(bytes)).to.equal(true);

        let block = 0;
        proxy.rule = (req) => /comp=block&/.test(req.url ?? "") && block++ >= 1 ? "500" : undefined;
        const err = await uploadAzureStream(service, { container: "lib-two", name: "failing.bin",
          body: chunks(data(12 * MiB, 10)) }).catch((e) => e);
        expect(err.message).to.match(/^Azure Storage kept failing/);
        expect(await service.getContainerClient("lib-two").getBlobClient("failing.bin").exists()).to.equal(false);
        expect(proxy.seen.filter((r) => /comp=blocklist/.test(r.path))).to.have.length(1); // the first upload's
      } finally {
        await proxy.stop();
      }
    });

    it("names a missing container and a bad key", async () => {
      const azurite = await sharedAzurite();
      const service = azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY,
        blobUrlTemplate: azurite.blobUrlTemplate });
      const err = await uploadAzureStream(service, { container: "nope", name: "x", body: chunks(data(10)) })
        .catch((e) => e);
      expect(err.message).to.match(/^The container named in "Container" does not exist/);
      const badKey = { account: AZURITE_ACCOUNT, accessKey: "not base64!", blobUrlTemplate: "http://x" };
      expect(() => azureBlobService(badKey))
        .to.throw(UserError, /key1 or key2/);
    });
  });

  it("Azure and S3: an endless answer is cut at the cap, a silent server at the timeout", async () => {
    let mode: "endless" | "silent" = "endless";
    const server = http.createServer((req, res) => {
      req.resume();
      if (mode === "silent") { return; }
      res.writeHead(200, { "content-type": "application/xml" });
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      const pump = () => { while (res.write(chunk)) { /* until backpressure */ } };
      res.on("drain", pump);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as any).port}`;
    try {
      const azure = azureBlobService({ account: "teststorage", accessKey: AZURITE_KEY,
        blobUrlTemplate: `${url}/{account}`, maxTries: 1, tryTimeoutMs: 1000 });
      expect((await listAzureContainers(azure).catch((e) => e)).message).to.match(/far longer than any of its answers/);
      const s3 = s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: "us-east-1", endpoint: url,
        maxAttempts: 1 });
      expect((await listS3Buckets(s3).catch((e) => e)).message).to.match(/far longer than any S3 answer/);
      mode = "silent";
      expect((await listAzureContainers(azure).catch((e) => e)).message)
        .to.match(/Azure Storage (did not finish answering .*: it stopped answering|stopped answering)/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
