import { expect } from "chai";
import { ConfigError } from "../../../src/config";
import { dropboxSettings, googleSettings } from "../../../src/config/oauth";
import { testConfig } from "../../helpers/app";

describe("OAuth settings", () => {
  it("have the vendors' public endpoints by default and no clients", () => {
    const config = testConfig();
    expect(config.google).to.deep.include({
      oauthAuthorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      oauthTokenUrl: "https://oauth2.googleapis.com/token",
      apiUrl: "https://www.googleapis.com/", sheetsApiUrl: "https://sheets.googleapis.com/",
      driveClient: undefined, sheetsClient: undefined,
    });
    expect(config.dropbox).to.deep.include({ oauthAuthorizeUrl: "https://www.dropbox.com/oauth2/authorize",
      apiUrl: "https://api.dropboxapi.com/", contentUrl: "https://content.dropboxapi.com/", client: undefined });
  });

  it("read the official hub's client variables; Sheets falls back to the Drive client", () => {
    const drive = { GOOGLE_DRIVE_CLIENT_ID: "d-id", GOOGLE_DRIVE_CLIENT_SECRET: "d-secret" };
    expect(googleSettings(drive).sheetsClient).to.deep.equal({ clientId: "d-id", clientSecret: "d-secret" });
    const both = { ...drive, GOOGLE_SHEET_CLIENT_ID: "s-id", GOOGLE_SHEET_CLIENT_SECRET: "s-secret" };
    expect(googleSettings(both).sheetsClient).to.deep.equal({ clientId: "s-id", clientSecret: "s-secret" });
    expect(googleSettings(both).driveClient).to.deep.equal({ clientId: "d-id", clientSecret: "d-secret" });
    expect(dropboxSettings({ DROPBOX_ACTION_APP_KEY: "k", DROPBOX_ACTION_APP_SECRET: "s" }).client)
      .to.deep.equal({ clientId: "k", clientSecret: "s" });
  });

  it("refuse half a client, naming the missing variable", () => {
    expect(() => dropboxSettings({ DROPBOX_ACTION_APP_KEY: "k" })).to.throw(ConfigError, /DROPBOX_ACTION_APP_SECRET/);
    expect(() => googleSettings({ GOOGLE_DRIVE_CLIENT_SECRET: "s" })).to.throw(ConfigError, /GOOGLE_DRIVE_CLIENT_ID/);
  });

  it("take private endpoints", () => {
    const google = googleSettings({ GOOGLE_OAUTH_TOKEN_URL: "http://127.0.0.1:9/token/",
      GOOGLE_API_URL: "http://127.0.0.1:9/g" });
    expect(google.oauthTokenUrl).to.equal("http://127.0.0.1:9/token");
    expect(google.apiUrl).to.equal("http://127.0.0.1:9/g/");
    expect(() => googleSettings({ GOOGLE_OAUTH_AUTHORIZE_URL: "ftp://x" }))
      .to.throw(ConfigError, /GOOGLE_OAUTH_AUTHORIZE_URL/);
  });
});
