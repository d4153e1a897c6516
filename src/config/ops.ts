// Settings of the operations and messaging family (Jira, Twilio, PagerDuty, EC2, DigitalOcean,
// Firebase): vendor base URLs with their public defaults, and Firebase's hub-wide service account
// (its token URL is Google's, GOOGLE_OAUTH_TOKEN_URL in src/config/oauth.ts).
// Read from the environment object src/config/index.ts hands over, never from the process itself.
import { baseUrlSetting, ConfigError, Env, first } from "./values";

export interface FirebaseSettings {
  projectId: string;
  clientEmail: string;
  /** The service account's PEM key (literal `\n` accepted, as pasted from the JSON key file). */
  privateKey: string;
}

export interface OpsSettings {
  /** Twilio's REST API (TWILIO_API_URL), with a trailing slash. */
  twilioApiUrl: string;
  /** PagerDuty's Events API v2 host (PAGERDUTY_EVENTS_URL), with a trailing slash. */
  pagerdutyEventsUrl: string;
  /** DigitalOcean's API (DIGITALOCEAN_API_URL), with a trailing slash. */
  digitaloceanApiUrl: string;
  /** An EC2 endpoint replacing the region's public one (AWS_EC2_ENDPOINT), when set. */
  ec2Endpoint?: string;
  /** Firebase Cloud Messaging's API (FCM_API_URL), with a trailing slash. */
  fcmApiUrl: string;
  /** Set only when all three FIREBASE_* variables are; the integration is listed only then. */
  firebase?: FirebaseSettings;
}

const FIREBASE_VARS = ["FIREBASE_PROJECT_ID", "FIREBASE_CLIENT_EMAIL", "FIREBASE_PRIVATE_KEY"];

function firebaseSettings(env: Env): FirebaseSettings | undefined {
  const values = FIREBASE_VARS.map((name) => first(env, name));
  if (values.every((v) => v === undefined)) { return undefined; }
  const missing = FIREBASE_VARS.filter((_name, i) => values[i] === undefined);
  if (missing.length) {
    throw new ConfigError(`Firebase needs FIREBASE_PROJECT_ID, FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY ` +
      `together; ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set.`);
  }
  return { projectId: values[0]!, clientEmail: values[1]!, privateKey: values[2]! };
}

export function opsSettings(env: Env): OpsSettings {
  return {
    twilioApiUrl: baseUrlSetting(env, "TWILIO_API_URL", "https://api.twilio.com"),
    pagerdutyEventsUrl: baseUrlSetting(env, "PAGERDUTY_EVENTS_URL", "https://events.pagerduty.com"),
    digitaloceanApiUrl: baseUrlSetting(env, "DIGITALOCEAN_API_URL", "https://api.digitalocean.com"),
    ec2Endpoint: first(env, "AWS_EC2_ENDPOINT") ? baseUrlSetting(env, "AWS_EC2_ENDPOINT", "").replace(/\/$/, "")
      : undefined,
    fcmApiUrl: baseUrlSetting(env, "FCM_API_URL", "https://fcm.googleapis.com"),
    firebase: firebaseSettings(env),
  };
}
