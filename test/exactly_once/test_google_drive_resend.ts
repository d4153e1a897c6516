// google_drive: each file it saves carries an app property naming the delivery (Looker's webhook
// id), private to the hub's OAuth client; before saving, the hub looks the folder up for it, so the
// same delivery sent twice finds the file it saved and changes nothing; another delivery saves a
// file of its own, even of the same name, as Drive allows (docs/exactly_once.md).
import { expect } from "chai";
import request from "supertest";
import { DELIVERY_PROPERTY, deliveryProperty, GoogleDriveIntegration }
  from "../../src/integrations/google_drive/google_drive";
import { ActionRequest } from "../../src/hub/action_request";
import { FakeGoogle } from "../fakes/google_api";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { authHeader } from "../helpers/app";
import { LOOKER_HEADERS, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { GoogleHub, googleFakes, googleHub, loggedIn } from "../integrations/google/google_setup";
import { snapshot } from "./resend";

describe("google_drive: a re-sent delivery", () => {
  let oauth: FakeOAuthServer;
  let google: FakeGoogle;
  let drive: GoogleHub;
  before(async () => {
    let env: Record<string, string>;
    ({ oauth, google, env } = await googleFakes());
    drive = googleHub((config) => [new GoogleDriveIntegration(config.google, testHttpClient(env))], env);
  });

  const send = (webhookId: string | undefined, state: string, folder = "1FolderWeekly00001") => {
    const call = request(drive.hub.app).post("/actions/google_drive/execute").set("Authorization", authHeader())
      .set({ ...LOOKER_HEADERS, "X-Looker-Webhook-Id": webhookId ?? "" });
    return call.send({ type: "query", scheduled_plan: PLAN, data: { state_json: state },
      form_params: { filename: "resend.csv", folder },
      attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" } }).then((res) => res.body.looker);
  };
  const files = (folder = "1FolderWeekly00001") => snapshot([...google.files.values()]
    .filter((f) => f.parents.includes(folder) && f.name === "resend.csv")
    .map((f) => ({ id: f.id, appProperties: f.appProperties, bytes: f.bytes?.toString() })));

  it("with the same webhook id finds the file it saved and writes nothing", async () => {
    const user = loggedIn(oauth, "google_drive");
    expect((await send("wh-drive-1", user.state)).success).to.equal(true);
    const once = files();
    expect(once).to.have.length(1);
    expect(once[0].appProperties).to.deep.equal({ [DELIVERY_PROPERTY]: "wh-drive-1" });
    const uploads = google.requests.filter((r) => r.path.startsWith("/upload/")).length;
    const again = await send("wh-drive-1", user.state);
    expect(again).to.deep.include({ success: true, message: "\"resend.csv\" in Google Drive was already saved by this " +
      "delivery (sent again with the same Looker webhook id); nothing was written." });
    expect(files()).to.deep.equal(once);
    expect(google.requests.filter((r) => r.path.startsWith("/upload/")).length, "no upload opened").to.equal(uploads);
  });

  it("with another webhook id saves a file of its own; a file in another folder is not this one", async () => {
    const user = loggedIn(oauth, "google_drive");
    await send("wh-drive-2", user.state);
    await send("wh-drive-3", user.state);
    expect(files().map((f) => f.appProperties![DELIVERY_PROPERTY])).to.include.members(["wh-drive-2", "wh-drive-3"]);
    await send("wh-drive-2", user.state, "1FolderArchive0001");
    expect(files("1FolderArchive0001")).to.have.length(1);
  });

  it("a webhook id too long for a property is stamped by its SHA-256; none without one", () => {
    const as = (webhookId?: string) => deliveryProperty(new ActionRequest({ webhookId } as any));
    expect(as("wh-1")).to.equal("wh-1");
    expect(as("x".repeat(200))).to.match(/^[0-9a-f]{64}$/);
    expect(as(undefined)).to.equal(undefined);
  });
});
