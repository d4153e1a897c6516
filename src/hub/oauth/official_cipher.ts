// Opens user state the official Action Hub stored encrypted (its ENCRYPT_PAYLOAD* settings):
// `{cid, payload}`, where `payload` is its transit envelope under CIPHER_MASTER, so users who
// move over keep their logins when the admin gives this hub the same key.
//
// The envelope, as that hub documents it: an optional version digit `1`, then the lengths of the
// next two parts as three decimal digits each (wrapped key, IV), then base64url without padding
// of the IV (16 bytes), of a random 32-byte data key encrypted with AES-256-CTR under the master
// key and that IV, and of the plaintext (JSON) encrypted with AES-256-CTR under the data key and
// the same IV. `cid` names the master key: the hex SHA-256 of its bytes.
//
// CTR carries no integrity check: a wrong key yields noise, told apart by `cid` and by the
// plaintext not being a JSON object. Nothing here is ever logged.
import * as crypto from "crypto";

/** Why an official hub's state could not be opened; picks the sentence shown to the user. */
export type OfficialStateFailure = "no_key" | "other_key" | "damaged";

export class OfficialStateError extends Error {
  constructor(readonly reason: OfficialStateFailure) {
    super(`official hub state refused: ${reason}`);
    this.name = "OfficialStateError";
  }
}

/** The official hub's `{cid, payload}` shape of user state. */
export function isOfficialSealed(value: unknown): value is { cid: string; payload: string } {
  const v = value as { cid?: unknown; payload?: unknown } | null;
  return !!v && typeof v === "object" && typeof v.cid === "string" && typeof v.payload === "string" &&
    v.cid !== "" && v.payload !== "";
}

const IV_BYTES = 16;
const DATA_KEY_BYTES = 32;

export class OfficialCipher {
  /** What the official hub writes as `cid` for this key. */
  readonly cipherId: string;

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) { throw new Error("CIPHER_MASTER must be 32 bytes"); }
    this.cipherId = crypto.createHash("sha256").update(masterKey).digest("hex");
  }

  /** The JSON object sealed in `{cid, payload}`, or an OfficialStateError saying why not. */
  open(sealed: { cid: string; payload: string }): Record<string, unknown> {
    const sameKey = sealed.cid.toLowerCase() === this.cipherId;
    let plaintext: string | undefined;
    try {
      plaintext = this.decrypt(sealed.payload);
    } catch {
      plaintext = undefined;
    }
    const parsed = plaintext === undefined ? undefined : jsonObject(plaintext);
    // Another cid whose payload still opens to JSON is the same key named otherwise: accept it.
    if (parsed) { return parsed; }
    throw new OfficialStateError(sameKey ? "damaged" : "other_key");
  }

  private decrypt(envelope: string): string | undefined {
    // Envelopes from before the version digit start with the wrapped key's length (043).
    const body = /^1\d{6}/.test(envelope) ? envelope.slice(1) : envelope;
    const match = /^(\d{3})(\d{3})/.exec(body);
    if (!match) { return undefined; }
    const keyLength = Number(match[1]);
    const ivLength = Number(match[2]);
    const ivText = body.slice(6, 6 + ivLength);
    const keyText = body.slice(6 + ivLength, 6 + ivLength + keyLength);
    const dataText = body.slice(6 + ivLength + keyLength);
    if (![ivText, keyText, dataText].every((part) => /^[A-Za-z0-9_\-+/]*=*$/.test(part))) { return undefined; }
    const iv = Buffer.from(ivText, "base64url");
    const wrappedKey = Buffer.from(keyText, "base64url");
    if (iv.length !== IV_BYTES || wrappedKey.length !== DATA_KEY_BYTES) { return undefined; }
    const dataKey = ctr(this.masterKey, iv, wrappedKey);
    return ctr(dataKey, iv, Buffer.from(dataText, "base64url")).toString("utf8");
  }
}

function ctr(key: Buffer, iv: Buffer, bytes: Buffer): Buffer {
  const decipher = crypto.createDecipheriv("aes-256-ctr", key, iv);
  return Buffer.concat([decipher.update(bytes), decipher.final()]);
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
