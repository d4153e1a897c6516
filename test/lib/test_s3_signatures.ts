// The S3 fake refuses what AWS refuses (test/fakes/s3_signature.ts in front of s3rver): a wrong
// secret, a request changed after signing, an expired link, each 403 with AWS's XML error body;
// and the hub says which setting is wrong when the store answers SignatureDoesNotMatch.
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect } from "chai";
import * as http from "http";
import { Readable } from "stream";
import { UserError } from "../../src/lib/errors";
import { listS3Buckets, presignS3Get, s3Client, uploadS3Stream } from "../../src/lib/object_stores/s3";
import { S3_KEY_ID, S3_SECRET, S3Server, sharedS3Server } from "../fakes/s3_server";
import { execute } from "../helpers/execute";
import { lookerRequest, storageApp } from "../helpers/storage";

const BUCKET = "signatures";

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c)).on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    }).on("error", reject);
  });
}

/** AWS's error body: the code, its message and the elements AWS adds for a signature mismatch. */
function expectAwsMismatch(answer: { status: number; body: string }): void {
  expect(answer.status).to.equal(403);
  expect(answer.body).to.match(
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Error><Code>SignatureDoesNotMatch<\/Code>/);
  expect(answer.body).to.include("<Message>The request signature we calculated does not match the signature you " +
    "provided. Check your key and signing method.</Message>");
  for (const element of ["AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes", "CanonicalRequest",
    "RequestId", "HostId"]) {
    expect(answer.body).to.include(`<${element}>`);
  }
  expect(answer.body).to.include(`<AWSAccessKeyId>${S3_KEY_ID}</AWSAccessKeyId>`);
}

describe("S3 signatures (the fake checks them as AWS does)", () => {
  let s3: S3Server;
  const rightClient = () =>
    s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, region: "us-east-1", endpoint: s3.url });
  before(async () => {
    s3 = await sharedS3Server();
    await s3.createBucket(BUCKET);
    const client = rightClient();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "a.csv", Body: "a,b\n1,2\n" }));
  });

  it("serves a link signed with the right secret, refuses one signed with another", async () => {
    const right = rightClient();
    const good = await get(await presignS3Get(right, BUCKET, "a.csv", 60));
    expect(good).to.deep.equal({ status: 200, body: "a,b\n1,2\n" });

    const wrong = s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: "not-the-secret", region: "us-east-1",
      endpoint: s3.url });
    expectAwsMismatch(await get(await presignS3Get(wrong, BUCKET, "a.csv", 60)));
  });

  it("refuses a signed request changed after signing (another object, a header added to the signed ones)", async () => {
    const client = rightClient();
    const link = await presignS3Get(client, BUCKET, "a.csv", 60);
    expectAwsMismatch(await get(link.replace("/a.csv?", "/b.csv?")));
    const ranged = new GetObjectCommand({ Bucket: BUCKET, Key: "a.csv", Range: "bytes=0-2" });
    const withRange = await getSignedUrl(client, ranged, { expiresIn: 60, signableHeaders: new Set(["range"]) });
    expect(await get(withRange, { range: "bytes=0-2" })).to.deep.equal({ status: 206, body: "a,b" });
    expectAwsMismatch(await get(withRange, { range: "bytes=0-3" }));
  });

  it("refuses an expired link as AWS does (403 AccessDenied, Request has expired)", async () => {
    const client = rightClient();
    const link = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "a.csv" }),
      { expiresIn: 1, signingDate: new Date(Date.now() - 60_000) });
    const answer = await get(link);
    expect(answer.status).to.equal(403);
    expect(answer.body).to.match(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });

  it("the hub names the wrong secret when listing and writing, and writes nothing", async () => {
    const wrong = s3Client({ accessKeyId: S3_KEY_ID, secretAccessKey: `${S3_SECRET}x`, region: "us-east-1",
      endpoint: s3.url, maxAttempts: 1 });
    const message = "Amazon S3 refused the secret access key: the signature does not match. Check the \"Secret Key\" " +
      "setting; it must belong to the access key ID.";
    const listing = await listS3Buckets(wrong).catch((e) => e);
    expect(listing).to.be.instanceOf(UserError);
    expect(listing.message).to.equal(message);
    const upload = await uploadS3Stream(wrong, { bucket: BUCKET, key: "refused.csv", body: Readable.from(["x,y\n"]) })
      .catch((e) => e);
    expect(upload.message).to.equal(message);
    expect(s3.keys(BUCKET)).not.to.include("refused.csv");
  });

  it("through the app: amazon_s3 with a wrong secret fails with that message", async () => {
    const hub = storageApp({ AWS_S3_ENDPOINT: s3.url });
    const body = lookerRequest("query_csv_push",
      { access_key_id: S3_KEY_ID, secret_access_key: "wrong-secret", region: "us-east-1" },
      { bucket: BUCKET, filename: "through-app.csv" });
    const answer = await execute(hub.app, "amazon_s3", body);
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Amazon S3 refused the secret access key: the signature does not match\./);
    expect(s3.keys(BUCKET)).not.to.include("through-app.csv");
  });
});
