// google_cloud_storage with Overwrite: no: the name's stamp comes from the delivery's webhook id, so
// the same delivery sent twice finds the object it wrote (Cloud Storage refuses to replace it,
// ifGenerationMatch=0) and answers done with the bucket as one send left it; another delivery writes
// an object of its own (docs/exactly_once.md).
import { expect } from "chai";
import { FakeGcs } from "../fakes/gcs_api";
import { TestApp } from "../helpers/app";
import { lookerRequest, storageApp } from "../helpers/storage";
import { executeAs, snapshot } from "./resend";

describe("google_cloud_storage: a re-sent delivery (Overwrite: no)", () => {
  let gcs: FakeGcs;
  let hub: TestApp;
  beforeEach(async () => {
    gcs = await new FakeGcs().start();
    hub = storageApp({ GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl });
  });
  afterEach(async () => { await gcs.stop(); });
  const body = () => lookerRequest("query_csv_push", { client_email: gcs.clientEmail,
    private_key: gcs.privateKeyPem.replace(/\n/g, "\\n"), project_id: gcs.projectId }, { bucket: "alpha", filename: "keep.csv", overwrite: "no" });
  const objects = () => snapshot([...gcs.objects.keys()].map((k) => [k, gcs.bytes("alpha", k.slice(6))!.toString()]));

  it("with the same webhook id leaves the bucket as one send did, and answers done", async () => {
    const first = await executeAs(hub.app, "google_cloud_storage", body(), "wh-gcs-1");
    expect(first.looker.success).to.equal(true);
    const once = objects();
    expect(once).to.have.length(1);
    expect(once[0][0]).to.match(/^alpha\/keep_\d{13}\.csv$/);
    const again = await executeAs(hub.app, "google_cloud_storage", body(), "wh-gcs-1");
    expect(again.looker).to.deep.include({ success: true, message: `gs://${once[0][0]} ` +
      "was already written by this delivery (sent again with the same Looker webhook id); nothing was replaced." });
    expect(objects()).to.deep.equal(once);
  });

  it("with another webhook id writes an object of its own", async () => {
    await executeAs(hub.app, "google_cloud_storage", body(), "wh-gcs-1");
    await executeAs(hub.app, "google_cloud_storage", body(), "wh-gcs-2");
    expect(objects()).to.have.length(2);
  });
});
