// The hub configured for the hardening suites: every vendor base URL at one local fake vendor.
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY } from "../fakes/fcm_api";

/** Every vendor base URL the hub can be configured with, pointed at the local vendor. */
export function vendorEnv(vendorUrl: string): Record<string, string> {
  return {
    DEBUG_INTEGRATION: "true",
    SLACK_API_URL: `${vendorUrl}/api/`,
    SEGMENT_API_HOST: vendorUrl,
    SENDGRID_API_URL: vendorUrl,
    ZAPIER_WEBHOOK_DOMAINS: "127.0.0.1",
    TRAY_WEBHOOK_DOMAINS: "127.0.0.1",
    TWILIO_API_URL: vendorUrl,
    PAGERDUTY_EVENTS_URL: vendorUrl,
    DIGITALOCEAN_API_URL: vendorUrl,
    AWS_EC2_ENDPOINT: vendorUrl,
    FCM_API_URL: vendorUrl,
    FIREBASE_PROJECT_ID: "hardening",
    FIREBASE_CLIENT_EMAIL: FCM_CLIENT_EMAIL,
    FIREBASE_PRIVATE_KEY: FCM_PRIVATE_KEY,
    HUBSPOT_API_URL: vendorUrl,
    MPARTICLE_API_URL: vendorUrl,
    BRAZE_ENDPOINT_DOMAINS: "127.0.0.1",
    AWS_S3_ENDPOINT: vendorUrl,
    DIGITALOCEAN_SPACES_ENDPOINT: vendorUrl,
    AZURE_STORAGE_BLOB_URL: `${vendorUrl}/{account}`,
    GCS_API_URL: vendorUrl,
    ALLOW_PRIVATE_URLS: "true",
    ALLOW_HTTP_URLS: "true",
    HTTP_RETRY_BASE_DELAY_MS: "1",
    HTTP_RETRY_MAX_DELAY_MS: "5",
    LOG_LEVEL: "debug",
    GOOGLE_DRIVE_CLIENT_ID: "google-client-id", GOOGLE_DRIVE_CLIENT_SECRET: "google-client-secret",
    DROPBOX_ACTION_APP_KEY: "dropbox-app-key", DROPBOX_ACTION_APP_SECRET: "dropbox-app-secret",
    GOOGLE_OAUTH_AUTHORIZE_URL: `${vendorUrl}/o/oauth2/v2/auth`, GOOGLE_OAUTH_TOKEN_URL: `${vendorUrl}/token`,
    GOOGLE_API_URL: vendorUrl, GOOGLE_SHEETS_API_URL: vendorUrl,
    DROPBOX_OAUTH_AUTHORIZE_URL: `${vendorUrl}/oauth2/authorize`, DROPBOX_API_URL: vendorUrl,
    DROPBOX_CONTENT_URL: vendorUrl,
    SALESFORCE_CLIENT_ID: "salesforce-client-id", SALESFORCE_CLIENT_SECRET: "salesforce-client-secret",
    AIRTABLE_CLIENT_ID: "airtable-client-id", AIRTABLE_CLIENT_SECRET: "airtable-client-secret",
    AIRTABLE_API_URL: vendorUrl, AIRTABLE_OAUTH_URL: `${vendorUrl}/oauth2/v1`, AIRTABLE_RATE_LIMIT_WAIT_SECONDS: "0.01",
  };
}
