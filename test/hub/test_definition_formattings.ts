// supported_formattings and supported_visualization_formattings as the official hub sends them:
// its definitions leave both out where an action declares none (they are undefined, and its
// JSON drops them), and carry ["unformatted"] / ["noapply"] where it declares those. Every
// integration of ours with an official name must send exactly what the official one sends.
import { expect } from "chai";
import { allIntegrations } from "../../src/integrations";
import { Registry } from "../../src/hub/registry";
import { testConfig } from "../helpers/app";

/** The official hub's declarations (looker-open-source/actions, each action's class), by name. */
const UNFORMATTED = ["unformatted", "noapply"];
const OFFICIAL: Record<string, string[] | undefined> = {
  slack_app: undefined, slack: undefined, teams_incomingwebhook: UNFORMATTED, twilio: undefined,
  twilio_message: undefined, zapier: UNFORMATTED, tray: UNFORMATTED, amazon_s3: undefined, azure_storage: undefined,
  digitalocean_object_storage: undefined, dropbox: undefined, google_cloud_storage: undefined,
  google_drive: undefined, sftp: undefined, sendgrid: undefined, airtable: UNFORMATTED, google_sheets: undefined,
  braze: UNFORMATTED, hubspot_contacts: UNFORMATTED, hubspot_companies: UNFORMATTED, marketo: UNFORMATTED,
  mparticle: UNFORMATTED, salesforce_campaigns: UNFORMATTED, segment_event: UNFORMATTED, segment_track: UNFORMATTED,
  segment_group: UNFORMATTED, facebook_custom_audiences: UNFORMATTED, google_ads_customer_match: UNFORMATTED,
  aws_ec2_stop_instance: undefined, digitalocean_droplet: undefined, jira_create_issue: undefined,
  datarobot: UNFORMATTED, amazon_sagemaker_infer: UNFORMATTED, amazon_sagemaker_train_xgboost: UNFORMATTED,
  amazon_sagemaker_train_linearlearner: UNFORMATTED, firebase: UNFORMATTED, debug: undefined,
};

describe("definitions: formattings as the official hub sends them", () => {
  const config = testConfig({
    DEBUG_INTEGRATION: "true", FIREBASE_PROJECT_ID: "p", FIREBASE_CLIENT_EMAIL: "hub@p.iam.gserviceaccount.com",
    FIREBASE_PRIVATE_KEY: "k",
  });
  const integrations = allIntegrations(config);
  const registry = new Registry(integrations, config.label, config.baseUrl);

  it("covers the official names this hub offers", () => {
    const ours = integrations.map((i) => i.name).filter((name) => name in OFFICIAL);
    expect(ours.length).to.be.at.least(30);
    expect(ours).to.include.members(["slack", "debug", "firebase", "twilio", "aws_ec2_stop_instance"]);
  });

  for (const integration of integrations.filter((i) => i.name in OFFICIAL)) {
    const name = integration.name;
    const expected = OFFICIAL[name];
    it(`${name}: ${expected ? expected.join(" / ") : "left out"}`, () => {
      for (const version of [null, [6, 0, 0] as [number, number, number]]) {
        const def = JSON.parse(JSON.stringify(registry.definition(integration, version)));
        if (expected) {
          expect(def.supported_formattings, name).to.deep.equal([expected[0]]);
          expect(def.supported_visualization_formattings, name).to.deep.equal([expected[1]]);
        } else {
          expect(def, name).to.not.have.any.keys("supported_formattings", "supported_visualization_formattings");
        }
      }
    });
  }

  it("the action list carries the same", () => {
    const list = JSON.parse(registry.listJson(null));
    const twilio = list.integrations.find((d: any) => d.name === "twilio");
    expect(twilio).to.not.have.any.keys("supported_formattings", "supported_visualization_formattings");
    const marketo = list.integrations.find((d: any) => d.name === "marketo");
    expect(marketo).to.deep.include({ supported_formattings: ["unformatted"],
      supported_visualization_formattings: ["noapply"] });
  });
});
