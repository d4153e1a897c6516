// Settings of the per-user login (OAuth) integrations: their clients and the vendors' endpoints.
// Functions of the environment object only; src/config/index.ts hands them the real one.
import { baseUrlSetting, ConfigError, Env, first } from "./values";

export interface OAuthClientSetting {
  clientId: string;
  clientSecret: string;
}

export interface GoogleSettings {
  /** Google's consent page (GOOGLE_OAUTH_AUTHORIZE_URL). */
  oauthAuthorizeUrl: string;
  /** Google's token endpoint, for user logins and service accounts alike (GOOGLE_OAUTH_TOKEN_URL). */
  oauthTokenUrl: string;
  /** Drive, its upload endpoint (/upload/drive/v3) and tokeninfo, ending in a slash (GOOGLE_API_URL). */
  apiUrl: string;
  /** The Sheets API, ending in a slash (GOOGLE_SHEETS_API_URL). */
  sheetsApiUrl: string;
  driveClient?: OAuthClientSetting;
  sheetsClient?: OAuthClientSetting;
}

export interface DropboxSettings {
  oauthAuthorizeUrl: string;
  /** api.dropboxapi.com: the token endpoint and the RPC calls, ending in a slash. */
  apiUrl: string;
  /** content.dropboxapi.com: uploads, ending in a slash. */
  contentUrl: string;
  client?: OAuthClientSetting;
}

/** A full endpoint URL (kept as given, path and all). */
export function endpointSetting(env: Env, name: string, fallback: string): string {
  return baseUrlSetting(env, name, fallback).replace(/\/$/, "");
}

/** An OAuth client from an id and a secret variable: both or neither. */
export function oauthClientSetting(env: Env, idName: string, secretName: string): OAuthClientSetting | undefined {
  const clientId = first(env, idName);
  const clientSecret = first(env, secretName);
  if (!clientId && !clientSecret) { return undefined; }
  if (!clientId || !clientSecret) {
    throw new ConfigError(`${clientId ? secretName : idName} must be set too: ${idName} and ${secretName} ` +
      "are the two halves of one OAuth client.");
  }
  return { clientId, clientSecret };
}

export function googleSettings(env: Env): GoogleSettings {
  const driveClient = oauthClientSetting(env, "GOOGLE_DRIVE_CLIENT_ID", "GOOGLE_DRIVE_CLIENT_SECRET");
  return {
    oauthAuthorizeUrl: endpointSetting(env, "GOOGLE_OAUTH_AUTHORIZE_URL",
      "https://accounts.google.com/o/oauth2/v2/auth"),
    oauthTokenUrl: endpointSetting(env, "GOOGLE_OAUTH_TOKEN_URL", "https://oauth2.googleapis.com/token"),
    apiUrl: baseUrlSetting(env, "GOOGLE_API_URL", "https://www.googleapis.com"),
    sheetsApiUrl: baseUrlSetting(env, "GOOGLE_SHEETS_API_URL", "https://sheets.googleapis.com"),
    driveClient,
    sheetsClient: oauthClientSetting(env, "GOOGLE_SHEET_CLIENT_ID", "GOOGLE_SHEET_CLIENT_SECRET") ?? driveClient,
  };
}

export function dropboxSettings(env: Env): DropboxSettings {
  return {
    oauthAuthorizeUrl: endpointSetting(env, "DROPBOX_OAUTH_AUTHORIZE_URL", "https://www.dropbox.com/oauth2/authorize"),
    apiUrl: baseUrlSetting(env, "DROPBOX_API_URL", "https://api.dropboxapi.com"),
    contentUrl: baseUrlSetting(env, "DROPBOX_CONTENT_URL", "https://content.dropboxapi.com"),
    client: oauthClientSetting(env, "DROPBOX_ACTION_APP_KEY", "DROPBOX_ACTION_APP_SECRET"),
  };
}
