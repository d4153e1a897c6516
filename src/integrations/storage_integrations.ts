// The storage family (buckets, containers, SFTP) built from the configuration: one place that
// hands each its endpoints and the hub's timeouts, so index.ts keeps one line for the family.
import { Config } from "../config";
import { Integration } from "../hub/integration";
import { HttpClient } from "../lib/http_client";
import { AmazonS3Integration, S3ClientSettings } from "./amazon_s3/amazon_s3";
import { AzureStorageIntegration } from "./azure_storage/azure_storage";
import { DigitalOceanObjectStorageIntegration } from "./digitalocean_object_storage/digitalocean_object_storage";
import { GoogleCloudStorageIntegration } from "./google_cloud_storage/google_cloud_storage";
import { SftpIntegration } from "./sftp/sftp";

export function storageIntegrations(config: Config, http: HttpClient): Integration[] {
  const s3: S3ClientSettings = {
    connectTimeoutMs: config.http.connectTimeoutMs, idleTimeoutMs: config.http.idleTimeoutMs,
    totalTimeoutMs: config.http.totalTimeoutMs, maxAttempts: config.http.maxAttempts,
  };
  return [
    new AmazonS3Integration(http, { ...s3, endpoint: config.storage.s3Endpoint }),
    new AzureStorageIntegration({
      blobUrlTemplate: config.storage.azureBlobUrl, maxTries: config.http.maxAttempts,
      tryTimeoutMs: config.http.totalTimeoutMs,
    }),
    new DigitalOceanObjectStorageIntegration({ ...s3, endpointTemplate: config.storage.spacesEndpoint }),
    new GoogleCloudStorageIntegration(http, {
      apiUrl: config.storage.gcsApiUrl, tokenUrl: config.google.oauthTokenUrl,
    }),
    new SftpIntegration(http.guard, config.http.connectTimeoutMs * 2),
  ];
}
