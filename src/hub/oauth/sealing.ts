// Sealed values: everything the login machinery hands to a browser or to Looker's state store is
// authenticated encryption (AES-256-GCM) under a key derived from the hub's secret with a purpose
// label (HKDF-SHA256), so a value sealed for one purpose never opens as another. Each sealed value
// names the integration it was made for and, when it travels through a browser, an expiry.
//
//   lis1.<key id>.<base64url(iv 12 bytes | ciphertext | tag 16 bytes)>
//
// The key id (a digest of the derived key, not the key) tells "sealed under another secret" apart
// from "altered", so the person is told the right thing.
import * as crypto from "crypto";

export type SealPurpose = "oauth-state" | "oauth-code" | "stored-tokens";

export const SEAL_PREFIX = "lis1.";
/** Links and codes that pass through a browser last this long. */
export const BROWSER_SEAL_TTL_MS = 10 * 60 * 1000;

export type UnsealFailure = "malformed" | "tampered" | "other_secret" | "expired" | "other_integration";

/** Why a sealed value was refused; `reason` picks the sentence shown to the person. */
export class UnsealError extends Error {
  constructor(readonly reason: UnsealFailure, readonly sealedFor?: string) {
    super(`sealed value refused: ${reason}`);
    this.name = "UnsealError";
  }
}

interface Envelope<T> {
  /** The integration the value was sealed for. */
  i: string;
  /** Expiry, epoch milliseconds; absent for values that do not expire. */
  e?: number;
  p: T;
}

export interface SealOptions {
  integration: string;
  /** Lifetime; leave out for values Looker stores (they last until the user logs in again). */
  ttlMs?: number;
}

export class Sealer {
  private readonly keys = new Map<SealPurpose, { key: Buffer; id: string }>();

  /** `now` is injectable so tests can age a sealed value. */
  constructor(private readonly secret: string, private readonly now: () => number = Date.now) {}

  /** Seals a JSON-serializable value for one purpose and one integration. */
  seal<T>(purpose: SealPurpose, payload: T, options: SealOptions): string {
    const { key, id } = this.keyFor(purpose);
    const envelope: Envelope<T> = { i: options.integration, p: payload };
    if (options.ttlMs !== undefined) { envelope.e = this.now() + options.ttlMs; }
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(envelope), "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${SEAL_PREFIX}${id}.${Buffer.concat([iv, body]).toString("base64url")}`;
  }

  /** Opens a sealed value, or throws an UnsealError saying why it cannot be used. */
  unseal<T>(purpose: SealPurpose, sealed: string | undefined, integration: string): T {
    const match = /^lis1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{40,})$/.exec((sealed ?? "").trim());
    if (!match) { throw new UnsealError("malformed"); }
    const { key, id } = this.keyFor(purpose);
    if (match[1] !== id) {
      // The id of this purpose under this secret differs: another secret, or another purpose.
      throw new UnsealError(this.isOwnKeyId(match[1]) ? "tampered" : "other_secret");
    }
    const bytes = Buffer.from(match[2], "base64url");
    if (bytes.length < 12 + 16 + 2) { throw new UnsealError("malformed"); }
    let envelope: Envelope<T>;
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
      envelope = JSON.parse(plain.toString("utf8"));
    } catch {
      throw new UnsealError("tampered");
    }
    if (envelope.i !== integration) { throw new UnsealError("other_integration", envelope.i); }
    if (envelope.e !== undefined && this.now() > envelope.e) { throw new UnsealError("expired"); }
    return envelope.p;
  }

  private isOwnKeyId(id: string): boolean {
    return (["oauth-state", "oauth-code", "stored-tokens"] as SealPurpose[]).some((p) => this.keyFor(p).id === id);
  }

  private keyFor(purpose: SealPurpose): { key: Buffer; id: string } {
    let entry = this.keys.get(purpose);
    if (!entry) {
      const key = Buffer.from(
        crypto.hkdfSync("sha256", this.secret, "looker-integration-service", `seal:${purpose}`, 32));
      const id = crypto.createHmac("sha256", key).update("key-id").digest().subarray(0, 6).toString("base64url");
      entry = { key, id };
      this.keys.set(purpose, entry);
    }
    return entry;
  }
}

/** True when a string is one of this hub's sealed values. */
export function isSealed(value: string | undefined): boolean {
  return !!value && value.trim().startsWith(SEAL_PREFIX);
}
