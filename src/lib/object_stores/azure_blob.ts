// Azure Blob Storage with @azure/storage-blob: listing containers, a block blob staged in
// blocks and committed (constant memory), SAS download links, and the store's refusals as
// sentences. No Action API knowledge: the storage integrations and the email link store both
// use it.
//
// Each block is a Buffer from a small pool reused from block to block (memory: `buffers` blocks),
// so the SDK's retry policy resends a block that failed without restarting the upload. Nothing
// is visible under the blob's name until the block list is committed at the end; blocks of an
// upload that failed stay uncommitted (Azure deletes them after a week and bills nothing for an
// uncommitted upload's name).
import {
  BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, newPipeline, RestError,
  StorageRetryPolicyType, StorageSharedKeyCredential,
} from "@azure/storage-blob";
import * as crypto from "crypto";
import { Readable } from "stream";
import { RetryableError, UserError } from "../errors";
import { PooledPart, uploadInParts } from "../part_pool";
import { cappedAzureHttpClient } from "./azure_http";
import { watchdog } from "./watchdog";
import { countBytes, networkProblem } from "./store_errors";

export interface AzureSettings {
  account: string;
  accessKey: string;
  /** The blob endpoint, `{account}` replaced: AZURE_STORAGE_BLOB_URL. */
  blobUrlTemplate: string;
  /** Tries per request (each block included); default 4. */
  maxTries?: number;
  retryDelayMs?: number;
  /** Longest one try may take; default 10 minutes. */
  tryTimeoutMs?: number;
}

const WHO = "Azure Storage";

/** The account's blob endpoint. */
export function azureBlobUrl(settings: AzureSettings): string {
  const account = encodeURIComponent(settings.account.trim());
  return settings.blobUrlTemplate.replace(/\{account\}/g, account).replace(/\/+$/, "");
}

function credential(settings: AzureSettings): StorageSharedKeyCredential {
  const account = settings.account.trim();
  if (!/^[a-z0-9]{3,24}$/.test(account)) {
    throw new UserError("The \"Storage Account\" setting is not a storage account name: use the account's name " +
      "(3 to 24 lowercase letters and digits), as shown in the Azure portal.");
  }
  const key = settings.accessKey.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) {
    throw new UserError("The access key is not an Azure storage account key (those are base64, ending in ==). " +
      "Copy key1 or key2 from the account's Access keys page.");
  }
  return new StorageSharedKeyCredential(account, key);
}

/** A client for the account's blob service, with the hub's retry policy. */
export function azureBlobService(settings: AzureSettings): BlobServiceClient {
  const pipeline = newPipeline(credential(settings), {
    retryOptions: {
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      maxTries: settings.maxTries ?? 4,
      retryDelayInMs: settings.retryDelayMs ?? 500,
      maxRetryDelayInMs: 30_000,
      tryTimeoutInMs: settings.tryTimeoutMs ?? 600_000,
    },
    userAgentOptions: { userAgentPrefix: "LookerIntegrationService" },
  });
  // The SDK takes its transport from here (storage-blob's getCoreClientOptions); its public
  // `httpClient` option only takes the legacy interface. test_object_stores.ts checks it applies.
  (pipeline as unknown as { _coreHttpClient: unknown })._coreHttpClient =
    cappedAzureHttpClient(settings.tryTimeoutMs ?? 600_000);
  return new BlobServiceClient(azureBlobUrl(settings), pipeline);
}

const STALLED = () => new RetryableError(`${WHO} stopped answering or answered too slowly. Nothing was written ` +
  "under the file's name; try again later.");

/** Every container of the account, by name (all pages). */
export async function listAzureContainers(
  service: BlobServiceClient, pageSize = 1000, stallMs = 120_000,
): Promise<string[]> {
  const names: string[] = [];
  const dog = watchdog(stallMs, STALLED);
  try {
    let token: string | undefined;
    // A page whose continuation repeats the last one (a broken or hostile server) ends the listing.
    for (let pages = 0; pages < 1000; pages++) {
      const iterator = service.listContainers({ abortSignal: dog.signal as any })
        .byPage({ maxPageSize: pageSize, continuationToken: token });
      const page = await dog.guard(iterator.next());
      if (page.done) { break; }
      dog.kick();
      for (const c of page.value.containerItems ?? []) { names.push(c.name); }
      const next = page.value.continuationToken;
      if (!next || next === token) { break; }
      token = next;
    }
  } catch (err) {
    throw dog.fired() ? STALLED() : azureProblem(err, { action: "list" });
  } finally {
    dog.stop();
  }
  return names.sort((a, b) => a.localeCompare(b));
}

export interface AzureUploadOptions {
  container: string;
  name: string;
  body: Readable;
  contentType?: string;
  /** Bytes per block; default 4 MiB (50,000 blocks: 195 GiB at most). */
  blockSize?: number;
  /** Blocks in memory (and in flight) at once, at least 2; default 3. */
  buffers?: number;
  /** The upload is abandoned when no block completes for this long; default 15 minutes. */
  stallMs?: number;
  /** The setting that names the container, for messages ("Container"). */
  containerSetting?: string;
}

/** Azure's limit of blocks in one block blob. */
const MAX_BLOCKS = 50_000;

/** Block ids must all have the same length: the upload's prefix and the block's number. */
function blockId(prefix: string, index: number): string {
  return Buffer.from(`${prefix}-${String(index).padStart(6, "0")}`).toString("base64");
}

/**
 * Streams `body` to `container/name` as a block blob: blocks staged from a reused pool of buffers
 * (part_pool.ts), then committed; answers the bytes written.
 */
export async function uploadAzureStream(
  service: BlobServiceClient, options: AzureUploadOptions,
): Promise<{ bytes: number }> {
  const blob = service.getContainerClient(options.container).getBlockBlobClient(options.name);
  const headers = { blobContentType: options.contentType };
  const counted = countBytes(options.body);
  const dog = watchdog(options.stallMs ?? 900_000, STALLED);
  const blockSize = options.blockSize ?? 4 * 1024 * 1024;
  const prefix = crypto.randomUUID();
  const ids: string[] = [];
  const send = async (part: PooledPart, signal?: AbortSignal) => {
    if (part.index >= MAX_BLOCKS) {
      throw new UserError(`The file is larger than ${WHO} takes in one block blob of ${MAX_BLOCKS} blocks of ` +
        `${blockSize / 1024 / 1024} MiB; nothing was written under the file's name.`);
    }
    if (!part.bytes.length) { return; }
    const id = blockId(prefix, part.index);
    await blob.stageBlock(id, part.bytes, part.bytes.length,
      { abortSignal: signal as any, onProgress: () => dog.kick() });
    ids[part.index] = id;
    dog.kick();
  };
  try {
    await dog.guard(uploadInParts(counted.stream,
      { partSize: blockSize, buffers: options.buffers ?? 3, signal: dog.signal }, send));
    // Nothing is visible under the name until this; an empty file commits no block.
    await dog.guard(blob.commitBlockList(ids.filter(Boolean),
      { blobHTTPHeaders: headers, abortSignal: dog.signal as any }));
  } catch (err) {
    if (!counted.stream.destroyed) { counted.stream.destroy(); }
    throw counted.sourceError() ?? (dog.fired() ? STALLED()
      : azureProblem(err, { action: "write", containerSetting: options.containerSetting ?? "Container" }));
  } finally {
    dog.stop();
  }
  return { bytes: counted.bytes() };
}

/** True when `container/name` exists. */
export async function azureBlobExists(
  service: BlobServiceClient, container: string, name: string, stallMs = 120_000,
): Promise<boolean> {
  const dog = watchdog(stallMs, STALLED);
  try {
    return await dog.guard(service.getContainerClient(container).getBlobClient(name)
      .exists({ abortSignal: dog.signal as any }));
  } catch (err) {
    throw dog.fired() ? STALLED() : azureProblem(err, { action: "read", containerSetting: "Container" });
  } finally {
    dog.stop();
  }
}

/** A read-only SAS link to `container/name`, valid for `expiresInSeconds`. */
export function azureSasUrl(
  settings: AzureSettings, container: string, name: string, expiresInSeconds: number, downloadName?: string,
  now = new Date(),
): string {
  const sas = generateBlobSASQueryParameters({
    containerName: container, blobName: name, permissions: BlobSASPermissions.parse("r"),
    startsOn: new Date(now.getTime() - 5 * 60_000), expiresOn: new Date(now.getTime() + expiresInSeconds * 1000),
    contentDisposition: downloadName ? `attachment; filename="${downloadName.replace(/["\\\r\n]/g, "_")}"` : undefined,
  }, credential(settings)).toString();
  const path = name.split("/").map(encodeURIComponent).join("/");
  return `${azureBlobUrl(settings)}/${encodeURIComponent(container)}/${path}?${sas}`;
}

interface ProblemContext {
  action: "list" | "write" | "read";
  /** The setting that names the container: messages never quote the value (a failure's message is logged). */
  containerSetting?: string;
}

/** An Azure failure as a sentence for the person who set up the schedule. */
export function azureProblem(err: unknown, ctx: ProblemContext): UserError {
  if (err instanceof UserError) { return err; }
  const e = err as RestError & { details?: any };
  const code = String(e?.code ?? e?.details?.errorCode ?? "");
  const status = e?.statusCode;
  const detail = String(e?.message ?? "").split("\n")[0].slice(0, 200);
  const container = ctx.containerSetting ? `the container named in "${ctx.containerSetting}"` : "the container";
  const role = ctx.action === "list" ? "Storage Blob Data Reader" : "Storage Blob Data Contributor";
  if (code === "AuthenticationFailed" || code === "InvalidAuthenticationInfo" ||
    /failed to authenticate/i.test(detail)) {
    if (/time|date/i.test(detail)) {
      return new UserError(`${WHO} refused the request because this server's clock is off. ` +
        "Ask the hub's admin to sync the clock (NTP).");
    }
    return new UserError(`${WHO} refused the access key: the signature does not match. Check the account name ` +
      "and use key1 or key2 from the account's Access keys page.");
  }
  if (code === "ContainerNotFound") {
    return new UserError(`${container.charAt(0).toUpperCase()}${container.slice(1)} does not exist in ${WHO}. ` +
      "Pick an existing container.");
  }
  if (code === "AuthorizationPermissionMismatch" || code === "AuthorizationFailure" ||
    code === "InsufficientAccountPermissions" || status === 403) {
    return new UserError(`${WHO} denied the request${code ? ` (${code})` : ""}: the key needs permission to ` +
      `${ctx.action === "list" ? "list containers" : `write blobs in ${container}`} (role ${role}), and the account ` +
      "must allow access from this server's network.");
  }
  if (code === "AccountIsDisabled") {
    return new UserError("The Azure storage account is disabled. Re-enable it in the portal.");
  }
  if (code === "AnswerTooLarge") {
    return new UserError(`${WHO} sent an answer far longer than any of its answers: check the account name and the ` +
      "blob endpoint.");
  }
  if (code === "RequestBodyTooLarge" || code === "BlockCountExceedsLimit") {
    return new UserError(`${WHO} refused the file as too large for a block blob.`);
  }
  if (code === "ServerBusy" || code === "OperationTimedOut" || (status !== undefined && status >= 500)) {
    return new RetryableError(`${WHO} kept failing (${code || `HTTP ${status}`}) even after retries. Nothing was ` +
      "written under the file's name; try again later.");
  }
  if (status === 429) {
    return new RetryableError(`${WHO} kept rate-limiting the requests (HTTP 429) even after retries. Try again later.`);
  }
  const network = networkProblem(err, WHO);
  if (network) { return network; }
  // The per-request timeout (azure_http.ts) ends a silent request with an abort.
  if (e?.name === "AbortError") { return STALLED(); }
  if (status !== undefined && status < 300) {
    return new UserError(`${WHO} gave an answer that is not Azure Storage's (HTTP ${status}): check the account ` +
      "name and the blob endpoint.");
  }
  const named = /^[A-Z][A-Za-z]+$/.test(code) ? `, ${code}` : "";
  return new UserError(`${WHO} refused the request${status ? ` (HTTP ${status}${named})` : ""}. Check the account ` +
    "name, the access key and the container.");
}
