// One-time download URLs for the console's url deliveries: the hub serves the data itself, as
// Looker serves `scheduled_plan.download_url` (valid once, for an hour). Held in memory, bounded
// in count and bytes; the oldest is forgotten first.
import * as crypto from "crypto";

interface Stored {
  bytes: Buffer;
  contentType: string;
  expiresAt: number;
}

export interface DownloadStoreLimits {
  maxEntries: number;
  maxTotalBytes: number;
  ttlMs: number;
}

const DEFAULT_LIMITS: DownloadStoreLimits = { maxEntries: 50, maxTotalBytes: 256 * 1024 * 1024, ttlMs: 3_600_000 };

export class DownloadStore {
  private readonly entries = new Map<string, Stored>();
  private totalBytes = 0;
  private readonly limits: DownloadStoreLimits;

  constructor(limits: Partial<DownloadStoreLimits> = {}, private readonly now = () => Date.now()) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Keeps the bytes and returns the token of their one-time URL. */
  put(bytes: Buffer, contentType: string): string {
    const token = crypto.randomBytes(24).toString("base64url");
    this.entries.set(token, { bytes, contentType, expiresAt: this.now() + this.limits.ttlMs });
    this.totalBytes += bytes.length;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.totalBytes <= this.limits.maxTotalBytes) { break; }
      if (oldest === token) { break; }
      this.drop(oldest);
    }
    return token;
  }

  /** The data of a token, once: a second call, or one after the hour, gets undefined. */
  take(token: string): { bytes: Buffer; contentType: string } | undefined {
    const stored = this.entries.get(token);
    if (!stored) { return undefined; }
    this.drop(token);
    return stored.expiresAt > this.now() ? stored : undefined;
  }

  private drop(token: string): void {
    const stored = this.entries.get(token);
    if (!stored) { return; }
    this.totalBytes -= stored.bytes.length;
    this.entries.delete(token);
  }
}
