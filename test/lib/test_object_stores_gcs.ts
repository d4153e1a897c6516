// The object store library against the GCS fake (test/fakes/gcs_api.ts): bucket listing over
// pages, chunked resumable uploads with a minted token, resumption after a 503 or a cut, the
// session cancelled when the upload cannot finish, V4 signed links.
import { expect } from "chai";
import * as crypto from "crypto";
import { defaultHttpSettings } from "../../src/config";
import { HttpClient } from "../../src/lib/http_client";
import { serviceAccountToken } from "../../src/lib/google_service_account";
import { GcsSession, listGcsBuckets, uploadGcsStream } from "../../src/lib/object_stores/gcs";
import { gcsSignedUrl } from "../../src/lib/object_stores/gcs_signed_url";
import { UserError } from "../../src/lib/errors";
import { FakeGcs } from "../fakes/gcs_api";
import { chunks, data, MiB } from "../helpers/object_store_data";

describe("object stores", () => {
  describe("GCS (fake JSON API)", () => {
    let gcs: FakeGcs;
    let session: GcsSession;
    const client = new HttpClient({ ...defaultHttpSettings(), maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 5 },
      { version: "test" });
    beforeEach(async () => {
      gcs = await new FakeGcs().start();
      const token = await serviceAccountToken(client, gcs.tokenUrl, { clientEmail: gcs.clientEmail,
        privateKey: gcs.privateKeyPem, scopes: ["https://www.googleapis.com/auth/devstorage.read_write"] });
      session = { http: client, apiUrl: gcs.url, accessToken: token.accessToken };
    });
    afterEach(() => gcs.stop());

    it("lists every page of buckets and uploads in chunks with the minted token", async () => {
      expect(await listGcsBuckets(session, gcs.projectId)).to.deep.equal(gcs.buckets);
      const bytes = data(2 * MiB + 12345, 4);
      const result = await uploadGcsStream(session, { bucket: "alpha", name: "a/b.csv", body: chunks(bytes),
        contentType: "text/csv", chunkSize: 512 * 1024 });
      expect(result.bytes).to.equal(bytes.length);
      expect(gcs.bytes("alpha", "a/b.csv")!.equals(bytes)).to.equal(true);
      expect(gcs.object("alpha", "a/b.csv")!.contentType).to.equal("text/csv");
      expect(gcs.putCount).to.equal(5);
      expect(new Set(gcs.tokensSeen)).to.deep.equal(new Set([session.accessToken]));
    });

    it("resumes a chunk after a 503 and after a cut connection, from what the session kept", async () => {
      const bytes = data(3 * MiB, 5);
      gcs.fault = { onPut: 2, kind: "cut" };
      await uploadGcsStream(session, { bucket: "bravo", name: "cut.bin", body: chunks(bytes), chunkSize: MiB,
        retryBaseDelayMs: 1 });
      expect(gcs.bytes("bravo", "cut.bin")!.equals(bytes)).to.equal(true);
      gcs.putCount = 0;
      gcs.fault = { onPut: 1, kind: "500" };
      await uploadGcsStream(session, { bucket: "bravo", name: "503.bin", body: chunks(bytes), chunkSize: MiB,
        retryBaseDelayMs: 1 });
      expect(gcs.bytes("bravo", "503.bin")!.equals(bytes)).to.equal(true);
    });

    it("cancels the session when the upload cannot finish", async () => {
      gcs.fault = { onPut: 1, kind: "cut-always" };
      const err = await uploadGcsStream(session, { bucket: "bravo", name: "never.bin", body: chunks(data(2 * MiB)),
        chunkSize: 256 * 1024, maxAttempts: 2, retryBaseDelayMs: 1 }).catch((e) => e);
      expect(err).to.be.instanceOf(UserError);
      expect(err.message).to.match(/connection to Google Cloud Storage was cut/);
      expect(gcs.object("bravo", "never.bin")).to.equal(undefined);
      expect(gcs.cancelled).to.deep.equal(["never.bin"]);
    });

    it("signs V4 links with the service account's key", () => {
      const pasted = gcs.privateKeyPem.replace(/\n/g, "\\n");
      const url = new URL(gcsSignedUrl({ clientEmail: gcs.clientEmail, privateKey: pasted,
        bucket: "alpha", name: "a b/c.csv", expiresInSeconds: 3600, now: new Date("2026-01-02T03:04:05Z") }));
      expect(url.pathname).to.equal("/alpha/a%20b/c.csv");
      expect(url.searchParams.get("X-Goog-Credential"))
        .to.equal(`${gcs.clientEmail}/20260102/auto/storage/goog4_request`);
      expect(url.searchParams.get("X-Goog-Date")).to.equal("20260102T030405Z");
      const signature = Buffer.from(url.searchParams.get("X-Goog-Signature")!, "hex");
      const query = url.search.slice(1).split("&").filter((p) => !p.startsWith("X-Goog-Signature=")).join("&");
      const canonical = [
        "GET", url.pathname, query, "host:storage.googleapis.com", "", "host", "UNSIGNED-PAYLOAD",
      ].join("\n");
      const toSign = ["GOOG4-RSA-SHA256", "20260102T030405Z", "20260102/auto/storage/goog4_request",
        crypto.createHash("sha256").update(canonical).digest("hex")].join("\n");
      expect(crypto.verify("sha256", Buffer.from(toSign), gcs.keys.publicKey, signature)).to.equal(true);
    });
  });
});
