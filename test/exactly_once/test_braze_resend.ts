// braze: users/track sets attributes, and the export segment is added to the array attribute
// looker_export with `add`. Braze documents custom attribute arrays as sets: adding a value already
// there moves it to the end instead of adding it twice (its user attributes object). So the same
// delivery sent twice leaves every profile as one send did; another delivery's segment is added
// beside it (docs/exactly_once.md). The fake keeps profiles as Braze documents them.
import { expect } from "chai";
import { BrazeIntegration } from "../../src/integrations/braze/braze";
import { BRAZE_KEY, FakeBraze } from "../fakes/braze_api";
import { cells, crmApp, detail, executeBody } from "../integrations/crm/helpers";
import { executeAs, snapshot } from "./resend";

const FIELDS = { dimensions: [{ name: "users.id", tags: ["braze_id"] }, { name: "users.plan", tags: ["braze[plan]"] }] };
const USERS = detail(FIELDS, cells([{ "users.id": "u-1", "users.plan": "pro" }, { "users.id": "u-2", "users.plan": "free" }]));

describe("braze: a re-sent delivery", () => {
  let fake: FakeBraze;
  let app: ReturnType<typeof crmApp>;
  beforeEach(async () => {
    fake = await new FakeBraze().start();
    app = crmApp((http, settings) => [new BrazeIntegration(http, settings)], { BRAZE_ENDPOINT_DOMAINS: "braze.com" });
    fake.profiles.set("u-1", { looker_export: ["OLDER", "SPRING"] });
    fake.profiles.set("u-2", {});
  });
  afterEach(async () => { await fake.stop(); });
  const send = (webhookId: string, segment: string) => executeAs(app.app, "braze", executeBody(USERS, {
    params: { braze_api_key: BRAZE_KEY, braze_api_endpoint: `http://rest.iad-01.braze.com:${new URL(fake.url).port}` },
    formParams: { braze_key: "external_id", braze_segment: segment } }), webhookId);

  it("with the same webhook id leaves every profile as one send did: add of a present value adds nothing", async () => {
    expect((await send("wh-bz-1", "SPRING")).looker.success).to.equal(true);
    const once = snapshot(fake.profiles);
    expect(once).to.deep.equal({ "u-1": { looker_export: ["OLDER", "SPRING"], plan: "pro" },
      "u-2": { looker_export: ["SPRING"], plan: "free" } });
    expect((await send("wh-bz-1", "SPRING")).looker.success).to.equal(true);
    expect(snapshot(fake.profiles)).to.deep.equal(once);
  });

  it("another delivery's segment is added beside it; a value already there moves to the end", async () => {
    await send("wh-bz-1", "SPRING");
    await send("wh-bz-2", "SUMMER");
    await send("wh-bz-3", "OLDER");
    expect(fake.profiles.get("u-1")).to.deep.equal({ looker_export: ["SPRING", "SUMMER", "OLDER"], plan: "pro" });
  });
});
