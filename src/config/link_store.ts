// The email link store (EMAIL_LINK_STORE): where the email family puts files too big to attach,
// with the credentials each provider's own tools read from the environment. Functions of the
// environment object only; src/config/index.ts hands them the real one (through config_email.ts).
import * as fs from "fs";
import { ConfigError, Env, first, intSetting } from "./values";

interface StoreBase {
  /** The URL as configured, for logs and messages (no credentials in it). */
  url: string;
  /** Key prefix inside the bucket or container, without slashes at either end ("" for none). */
  prefix: string;
}

export interface S3LinkStore extends StoreBase {
  kind: "s3";
  bucket: string;
  /** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for temporary credentials, AWS_SESSION_TOKEN. */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. */
  region: string;
}

export interface GcsLinkStore extends StoreBase {
  kind: "gcs";
  bucket: string;
  /** From the service account's JSON key file named by GOOGLE_APPLICATION_CREDENTIALS. */
  clientEmail: string;
  privateKey: string;
}

export interface AzureLinkStore extends StoreBase {
  kind: "azblob";
  account: string;
  container: string;
  /** AZURE_STORAGE_KEY, else the AccountKey of AZURE_STORAGE_CONNECTION_STRING. */
  accessKey: string;
}

export type LinkStoreSettings = S3LinkStore | GcsLinkStore | AzureLinkStore;

/** The longest a link may live: S3 and Cloud Storage sign for at most 7 days. */
export const MAX_LINK_TTL_HOURS = 168;

const FORMS = "s3://bucket/prefix, gs://bucket/prefix or azblob://account/container/prefix";

function required(env: Env, url: string, names: string[], why: string): string {
  const value = first(env, ...names);
  if (value === undefined) {
    throw new ConfigError(`EMAIL_LINK_STORE is ${url}, but ${names.join(" or ")} is not set: ${why}.`);
  }
  return value;
}

function serviceAccountKey(env: Env, url: string): { clientEmail: string; privateKey: string } {
  const file = required(env, url, ["GOOGLE_APPLICATION_CREDENTIALS"],
    "set it to the path of the service account's JSON key file");
  let key: any;
  try {
    key = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new ConfigError(`GOOGLE_APPLICATION_CREDENTIALS names "${file}", which cannot be read as a JSON key file.`);
  }
  if (typeof key?.client_email !== "string" || typeof key?.private_key !== "string") {
    throw new ConfigError("The key file of GOOGLE_APPLICATION_CREDENTIALS has no client_email and private_key: " +
      "use a service account's JSON key (IAM > Service Accounts > Keys).");
  }
  return { clientEmail: key.client_email, privateKey: key.private_key };
}

function azureKey(env: Env, url: string): string {
  const key = first(env, "AZURE_STORAGE_KEY");
  if (key !== undefined) { return key; }
  const connection = first(env, "AZURE_STORAGE_CONNECTION_STRING");
  const fromConnection = connection?.match(/(?:^|;)\s*AccountKey=([^;]+)/i)?.[1];
  if (fromConnection) { return fromConnection; }
  return required(env, url, ["AZURE_STORAGE_KEY", "AZURE_STORAGE_CONNECTION_STRING"],
    "give the storage account's key1 or key2 (or a connection string with its AccountKey)");
}

/** EMAIL_LINK_STORE parsed, with its provider's credentials; undefined when unset. */
export function linkStoreSettings(env: Env): LinkStoreSettings | undefined {
  const raw = first(env, "EMAIL_LINK_STORE");
  if (raw === undefined) { return undefined; }
  const match = raw.match(/^(s3|gs|azblob):\/\/([^/?#\s]+)((?:\/[^?#\s]*)?)$/i);
  if (!match) { throw new ConfigError(`EMAIL_LINK_STORE must look like ${FORMS}.`); }
  const scheme = match[1].toLowerCase();
  const head = match[2];
  const segments = match[3].split("/").filter(Boolean);
  const url = raw;
  if (scheme === "s3") {
    return {
      kind: "s3", url, bucket: head, prefix: segments.join("/"),
      accessKeyId: required(env, url, ["AWS_ACCESS_KEY_ID"], "give the hub an access key that may s3:PutObject"),
      secretAccessKey: required(env, url, ["AWS_SECRET_ACCESS_KEY"], "give the secret of that access key"),
      sessionToken: first(env, "AWS_SESSION_TOKEN"),
      region: first(env, "AWS_REGION", "AWS_DEFAULT_REGION") ?? "us-east-1",
    };
  }
  if (scheme === "gs") {
    return { kind: "gcs", url, bucket: head, prefix: segments.join("/"), ...serviceAccountKey(env, url) };
  }
  if (!segments.length) { throw new ConfigError(`EMAIL_LINK_STORE ${url} names no container: ${FORMS}.`); }
  return {
    kind: "azblob", url, account: head, container: segments[0], prefix: segments.slice(1).join("/"),
    accessKey: azureKey(env, url),
  };
}

/** EMAIL_LINK_TTL_HOURS: how long a link works (default 72, at most 168). */
export function linkTtlHours(env: Env): number {
  const hours = intSetting(env, "EMAIL_LINK_TTL_HOURS", 72, 1);
  if (hours > MAX_LINK_TTL_HOURS) {
    throw new ConfigError(`EMAIL_LINK_TTL_HOURS may be at most ${MAX_LINK_TTL_HOURS} (7 days, the longest S3 and ` +
      "Cloud Storage sign a link for).");
  }
  return hours;
}
