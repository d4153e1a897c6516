// Settings of the storage integrations (buckets, containers, SFTP): the vendors' endpoints.
// Functions of the environment object only; src/config/index.ts hands them the real one.
import { baseUrlSetting, ConfigError, Env, first } from "./values";

export interface StorageSettings {
  /** Cloud Storage's JSON API, without a trailing slash (GCS_API_URL). */
  gcsApiUrl: string;
  /** The blob endpoint, `{account}` replaced by the account name (AZURE_STORAGE_BLOB_URL). */
  azureBlobUrl: string;
  /** An endpoint for every amazon_s3 delivery whose admin set none (AWS_S3_ENDPOINT); AWS itself when unset. */
  s3Endpoint?: string;
  /** DigitalOcean Spaces' endpoint, `{region}` replaced (DIGITALOCEAN_SPACES_ENDPOINT). */
  spacesEndpoint: string;
}

/** A URL with `{placeholder}`s, checked as a URL with them filled in. */
function templateSetting(env: Env, name: string, fallback: string): string {
  const raw = first(env, name) ?? fallback;
  baseUrlSetting({ [name]: raw.replace(/\{\w+\}/g, "x") }, name, fallback);
  return raw.replace(/\/+$/, "");
}

export function storageSettings(env: Env): StorageSettings {
  const s3 = first(env, "AWS_S3_ENDPOINT");
  if (s3 !== undefined) { baseUrlSetting(env, "AWS_S3_ENDPOINT", s3); }
  const azure = templateSetting(env, "AZURE_STORAGE_BLOB_URL", "https://{account}.blob.core.windows.net");
  const spaces = templateSetting(env, "DIGITALOCEAN_SPACES_ENDPOINT", "https://{region}.digitaloceanspaces.com");
  if (/\{(?!account\})[^}]*\}/.test(azure)) {
    throw new ConfigError(`AZURE_STORAGE_BLOB_URL may contain only the {account} placeholder; it is "${azure}".`);
  }
  return {
    gcsApiUrl: baseUrlSetting(env, "GCS_API_URL", "https://storage.googleapis.com").replace(/\/$/, ""),
    azureBlobUrl: azure,
    s3Endpoint: s3?.replace(/\/+$/, ""),
    spacesEndpoint: spaces,
  };
}
