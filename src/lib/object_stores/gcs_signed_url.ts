// V4 signed URLs for Google Cloud Storage (cloud.google.com/storage/docs/access-control/signing-urls-manually):
// a link anyone can GET for a limited time, signed with the service account's key (RS256), so
// the email link store can hand out a big file without making the bucket public.
import * as crypto from "crypto";
import { parsePrivateKey } from "../google_service_account";

export interface GcsSignedUrlOptions {
  clientEmail: string;
  privateKey: string;
  bucket: string;
  name: string;
  /** Seconds the link stays valid; GCS allows at most 7 days. */
  expiresInSeconds: number;
  /** The XML API host the link points at; default https://storage.googleapis.com. */
  baseUrl?: string;
  /** A file name for the browser's download (response-content-disposition). */
  downloadName?: string;
  now?: Date;
}

/** RFC 3986 encoding, as the V4 canonical request wants it. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A GET link to `bucket/name` signed with the service account's key. */
export function gcsSignedUrl(options: GcsSignedUrlOptions): string {
  const base = new URL(options.baseUrl ?? "https://storage.googleapis.com");
  const now = options.now ?? new Date();
  const datetime = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = datetime.slice(0, 8);
  const scope = `${date}/auto/storage/goog4_request`;
  const path = `/${encode(options.bucket)}/${options.name.split("/").map(encode).join("/")}`;
  const query: Record<string, string> = {
    "X-Goog-Algorithm": "GOOG4-RSA-SHA256",
    "X-Goog-Credential": `${options.clientEmail.trim()}/${scope}`,
    "X-Goog-Date": datetime,
    "X-Goog-Expires": String(Math.max(1, Math.min(604800, Math.floor(options.expiresInSeconds)))),
    "X-Goog-SignedHeaders": "host",
  };
  if (options.downloadName) {
    query["response-content-disposition"] = `attachment; filename="${options.downloadName.replace(/["\\\r\n]/g, "_")}"`;
  }
  const canonicalQuery = Object.keys(query).sort().map((k) => `${encode(k)}=${encode(query[k])}`).join("&");
  const canonicalRequest = [
    "GET", path, canonicalQuery, `host:${base.host}`, "", "host", "UNSIGNED-PAYLOAD",
  ].join("\n");
  const stringToSign = ["GOOG4-RSA-SHA256", datetime, scope,
    crypto.createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  const key = parsePrivateKey(options.privateKey);
  const signature = crypto.sign("sha256", Buffer.from(stringToSign), key).toString("hex");
  return `${base.origin}${path}?${canonicalQuery}&X-Goog-Signature=${signature}`;
}
