// Google's login for the integrations that act as the user (Drive, Sheets): Google's OAuth 2.0
// for web server apps, offline access (a refresh token), both of Looker's flows, Google's button.
import { GoogleSettings, OAuthClientSetting } from "../../config/oauth";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { OAuthSession } from "../../hub/oauth/oauth_session";
import { ActionRequest } from "../../hub/action_request";
import { HttpClient } from "../../lib/http_client";

export const DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";
export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";
export const EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email";

export interface GoogleLogin {
  settings: GoogleSettings;
  client?: OAuthClientSetting;
  setupVariables: string[];
  scopes: string[];
  http: HttpClient;
  check(session: OAuthSession, request: ActionRequest): Promise<void>;
}

export function googleOAuth(login: GoogleLogin): OAuthDeclaration {
  return {
    vendor: "Google",
    client: login.client,
    setupVariables: login.setupVariables,
    endpoints: { authorizeUrl: login.settings.oauthAuthorizeUrl, tokenUrl: login.settings.oauthTokenUrl },
    scopes: login.scopes,
    // Offline access and a fresh consent, so Google sends a refresh token on every login.
    authorizeParams: { access_type: "offline", prompt: "consent", include_granted_scopes: "true" },
    tokenUrlFlow: true,
    loginField: "oauth_link_google",
    http: login.http,
    check: login.check,
  };
}
