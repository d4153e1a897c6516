// Seals user state as Looker's official Action Hub does with ENCRYPT_PAYLOAD* on, written from its
// documented envelope (docs/official_hub catalog, "Encrypted state"), not from its code: a random
// 32-byte data key and a 16-byte IV; the plaintext under AES-256-CTR(data key, IV); the data key
// under AES-256-CTR(CIPHER_MASTER, same IV); each part base64url without padding; the envelope is
// the version digit `1` (absent in older releases), the lengths of the wrapped key and of the IV as
// three digits each, then IV, wrapped key and ciphertext. The state is `{cid, payload}` where
// `cid` is the hex SHA-256 of the master key.
import * as crypto from "crypto";

export interface OfficialSealOptions {
  /** False: the envelope of releases before the version digit. */
  versioned?: boolean;
}

function ctr(key: Buffer, iv: Buffer, bytes: Buffer): string {
  const cipher = crypto.createCipheriv("aes-256-ctr", key, iv);
  return Buffer.concat([cipher.update(bytes), cipher.final()]).toString("base64url");
}

const threeDigits = (n: number) => String(n).padStart(3, "0");

/** The envelope (`payload`) of a plaintext under a master key given in hex. */
export function officialEnvelope(plaintext: string, masterHex: string, options: OfficialSealOptions = {}): string {
  const master = Buffer.from(masterHex, "hex");
  const dataKey = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const data = ctr(dataKey, iv, Buffer.from(plaintext, "utf8"));
  const wrapped = ctr(master, iv, dataKey);
  const ivText = iv.toString("base64url");
  return `${options.versioned === false ? "" : "1"}${threeDigits(wrapped.length)}${threeDigits(ivText.length)}` +
    `${ivText}${wrapped}${data}`;
}

/** The state_json string the official hub hands Looker for `value` when ENCRYPT_PAYLOAD* is on. */
export function sealLikeOfficialHub(value: unknown, masterHex: string, options: OfficialSealOptions = {}): string {
  const cid = crypto.createHash("sha256").update(Buffer.from(masterHex, "hex")).digest("hex");
  return JSON.stringify({ cid, payload: officialEnvelope(JSON.stringify(value), masterHex, options) });
}
