import { expect } from "chai";
import { ConfigError } from "../../src/config";
import { opsSettings } from "../../src/config/ops";

describe("configuration of the operations family", () => {
  it("defaults every vendor URL to the public one", () => {
    expect(opsSettings({})).to.deep.equal({
      twilioApiUrl: "https://api.twilio.com/", pagerdutyEventsUrl: "https://events.pagerduty.com/",
      digitaloceanApiUrl: "https://api.digitalocean.com/", ec2Endpoint: undefined, fcmApiUrl: "https://fcm.googleapis.com/",
      firebase: undefined,
    });
  });

  it("reads overrides, and Firebase only with all three variables", () => {
    const s = opsSettings({ AWS_EC2_ENDPOINT: "http://127.0.0.1:4566/", TWILIO_API_URL: "http://t.local",
      FIREBASE_PROJECT_ID: "p", FIREBASE_CLIENT_EMAIL: "a@p.iam", FIREBASE_PRIVATE_KEY: "k" });
    expect(s.ec2Endpoint).to.equal("http://127.0.0.1:4566");
    expect(s.twilioApiUrl).to.equal("http://t.local/");
    expect(s.firebase).to.deep.equal({ projectId: "p", clientEmail: "a@p.iam", privateKey: "k" });
    expect(() => opsSettings({ FIREBASE_PROJECT_ID: "p" })).to.throw(ConfigError,
      /FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY are not set/);
    expect(() => opsSettings({ PAGERDUTY_EVENTS_URL: "ftp://x" })).to.throw(ConfigError, /PAGERDUTY_EVENTS_URL/);
  });
});
