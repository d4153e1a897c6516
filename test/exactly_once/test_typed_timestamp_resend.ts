// A `{timestamp}` typed into a file name takes the delivery's stamp (13 digits from Looker's webhook
// id), not the clock: the same delivery sent again writes the same name (over a bucket's object:
// the same bytes again), another delivery another name; without a webhook id, the clock's time as
// before (docs/exactly_once.md, "Names"). Through the app against the Cloud Storage fake, and the
// names every file destination shares (file_naming.ts).
import { expect } from "chai";
import { deliveryStamp, objectName, requestFileName } from "../../src/data/files/file_naming";
import { dropboxFileName } from "../../src/integrations/dropbox/dropbox";
import { ActionRequest } from "../../src/hub/action_request";
import { FakeGcs } from "../fakes/gcs_api";
import { TestApp } from "../helpers/app";
import { lookerRequest, storageApp } from "../helpers/storage";
import { executeAs, snapshot } from "./resend";

function request(webhookId?: string, filename?: string): ActionRequest {
  const r = new ActionRequest({ requestId: "r", lookerVersion: {} as any, logger: undefined as any, webhookId });
  r.scheduledPlan = { title: "Weekly" };
  r.attachment = { mimetype: "text/csv", extension: "csv" };
  r.formParams = filename ? { filename } : {};
  return r;
}

describe("{timestamp} in a typed name: the delivery's stamp", () => {
  const NOW = new Date(Date.UTC(2026, 5, 17, 23, 30, 0));
  const LATER = new Date(Date.UTC(2026, 5, 17, 23, 45, 12));

  it("with a webhook id: the same name at any moment, another for another delivery; {date} stays the day", () => {
    const stamp = deliveryStamp(request("wh-1"));
    for (const now of [NOW, LATER]) {
      expect(objectName(request("wh-1"), "x/{date}/r_{timestamp}.csv", now)).to.equal(`x/2026-06-17/r_${stamp}.csv`);
      expect(requestFileName(request("wh-1"), "r {TIMESTAMP}", { now })).to.equal(`r ${stamp}.csv`);
      expect(dropboxFileName(request("wh-1", "r_{timestamp}"), now)).to.equal(`r_${stamp}.csv`);
    }
    expect(objectName(request("wh-2"), "r_{timestamp}.csv", NOW)).to.not.equal(`r_${stamp}.csv`);
  });

  it("without one (not from Looker): the clock's time, as before", () => {
    expect(objectName(request(), "r_{timestamp}.csv", NOW)).to.equal("r_2026-06-17T233000.csv");
    expect(requestFileName(request(), "r {timestamp}", { now: LATER })).to.equal("r 2026-06-17T234512.csv");
  });
});

describe("{timestamp} in a typed name: a re-sent delivery to Cloud Storage", () => {
  let gcs: FakeGcs;
  let hub: TestApp;
  beforeEach(async () => {
    gcs = await new FakeGcs().start();
    hub = storageApp({ GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl });
  });
  afterEach(async () => { await gcs.stop(); });
  const body = () => lookerRequest("query_csv_push", { client_email: gcs.clientEmail,
    private_key: gcs.privateKeyPem.replace(/\n/g, "\\n"), project_id: gcs.projectId },
  { bucket: "alpha", filename: "daily/report_{timestamp}.csv", overwrite: "yes" });
  const objects = () => snapshot([...gcs.objects.keys()].map((k) => [k, gcs.bytes("alpha", k.slice(6))!.toString()]));

  it("with the same webhook id writes the same object again: the bucket as one send left it", async () => {
    expect((await executeAs(hub.app, "google_cloud_storage", body(), "wh-ts-1")).looker.success).to.equal(true);
    const once = objects();
    expect(once).to.have.length(1);
    expect(once[0][0]).to.match(/^alpha\/daily\/report_\d{13}\.csv$/);
    expect((await executeAs(hub.app, "google_cloud_storage", body(), "wh-ts-1")).looker.success).to.equal(true);
    expect(objects()).to.deep.equal(once);
  });

  it("with another webhook id writes an object of its own", async () => {
    await executeAs(hub.app, "google_cloud_storage", body(), "wh-ts-1");
    await executeAs(hub.app, "google_cloud_storage", body(), "wh-ts-2");
    expect(objects()).to.have.length(2);
  });
});
