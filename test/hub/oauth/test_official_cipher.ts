// OfficialCipher opens what the official hub sealed under CIPHER_MASTER, tells a wrong key from a
// damaged payload, and never throws anything but its own refusal, whatever the payload holds.
import { expect } from "chai";
import * as crypto from "crypto";
import { ConfigError, loadConfig } from "../../../src/config";
import { OfficialCipher, OfficialStateError } from "../../../src/hub/oauth/official_cipher";
import { readStoredState } from "../../../src/hub/oauth/stored_state";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { officialEnvelope, sealLikeOfficialHub } from "../../helpers/official_hub_seal";

const MASTER = "4f".repeat(16) + "a1".repeat(16);
const OTHER = "0b".repeat(32);
const cipher = new OfficialCipher(Buffer.from(MASTER, "hex"));
const tokens = { tokens: { access_token: "ya29.a", refresh_token: "1//r", expiry_date: 1_900_000_000_000 },
  redirect: "https://hub.example/actions/google_drive/oauth_redirect" };

function refusal(sealed: { cid: string; payload: string }): string {
  try {
    cipher.open(sealed);
  } catch (err) {
    expect(err).to.be.instanceOf(OfficialStateError);
    return (err as OfficialStateError).reason;
  }
  return "opened";
}

describe("the official hub's encrypted state (CIPHER_MASTER)", () => {
  it("opens the current envelope and the one before the version digit", () => {
    for (const versioned of [true, false]) {
      const sealed = JSON.parse(sealLikeOfficialHub(tokens, MASTER, { versioned }));
      expect(sealed.cid).to.equal(cipher.cipherId);
      expect(sealed.payload[0]).to.equal(versioned ? "1" : "0");
      expect(cipher.open(sealed)).to.deep.equal(tokens);
    }
  });

  it("opens non-ASCII plaintext and long payloads", () => {
    const value = { tokens: { access_token: "é✓".repeat(3000) }, redirect: "x" };
    expect(cipher.open(JSON.parse(sealLikeOfficialHub(value, MASTER)))).to.deep.equal(value);
  });

  it("a payload sealed under another key is 'other_key', with either cid", () => {
    const sealed = JSON.parse(sealLikeOfficialHub(tokens, OTHER));
    expect(refusal(sealed)).to.equal("other_key");
    // A cid naming this key but a payload of another key cannot open either: it is damaged.
    expect(refusal({ cid: cipher.cipherId, payload: sealed.payload })).to.equal("damaged");
  });

  it("a cid written otherwise does not matter when the payload opens", () => {
    const sealed = JSON.parse(sealLikeOfficialHub(tokens, MASTER));
    expect(cipher.open({ cid: "some-other-cipher-id", payload: sealed.payload })).to.deep.equal(tokens);
  });

  it("damaged, truncated or hostile payloads are refused, never thrown as anything else", () => {
    const good = JSON.parse(sealLikeOfficialHub(tokens, MASTER)).payload as string;
    const payloads = ["", "1", "1043022", "abc", "1999999" + "A".repeat(50), good.slice(0, 40), good.slice(0, -3),
      good.replace(/^1043/, "1010"), `1043022${"%".repeat(80)}`, officialEnvelope("not json", MASTER),
      officialEnvelope("[1,2]", MASTER), officialEnvelope("\"text\"", MASTER), officialEnvelope("null", MASTER)];
    for (let i = 0; i < 300; i++) { payloads.push(crypto.randomBytes(i).toString("base64url")); }
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(good);
      bytes[Math.floor(Math.random() * bytes.length)] = 0x30 + Math.floor(Math.random() * 40);
      payloads.push(bytes.toString());
    }
    for (const payload of payloads) {
      const reason = refusal({ cid: cipher.cipherId, payload });
      expect(["damaged", "opened"], payload).to.include(reason);
    }
  });

  it("readStoredState reads the official shapes inside, and says why when it cannot", () => {
    const sealer = new Sealer("test-secret-0123456789abcdef");
    const read = (raw: string, official?: OfficialCipher) => readStoredState(sealer, "google_drive", raw, "Google",
      official);
    const opened = read(sealLikeOfficialHub(tokens, MASTER), cipher);
    expect(opened).to.deep.include({ kind: "tokens", legacy: true });
    expect((opened as any).tokens).to.deep.include({ accessToken: "ya29.a", refreshToken: "1//r",
      expiresAt: 1_900_000_000_000 });
    expect(read(sealLikeOfficialHub({ code: "c", redirect: "r" }, MASTER), cipher))
      .to.deep.equal({ kind: "code", code: "c", redirectUri: "r" });
    expect(read(sealLikeOfficialHub({ access_token: "sl.x" }, MASTER), cipher)).to.deep.include({ kind: "tokens" });

    const noKey = read(sealLikeOfficialHub(tokens, MASTER));
    expect(noKey).to.deep.equal({ kind: "unusable",
      why: "Your Google login was saved encrypted by the previous Action Hub, which this hub cannot read." });
    const wrongKey = read(sealLikeOfficialHub(tokens, OTHER), cipher);
    expect(wrongKey).to.deep.include({ kind: "unusable", keep: true });
    expect((wrongKey as any).why).to.match(/under another key than this hub's CIPHER_MASTER/);
    const damaged = read(JSON.stringify({ cid: cipher.cipherId, payload: "1043022xyz" }), cipher);
    expect(damaged).to.deep.include({ kind: "unusable" });
    expect((damaged as any).keep).to.equal(undefined);
    expect((damaged as any).why).to.match(/damaged/);
    const nested = read(sealLikeOfficialHub(JSON.parse(sealLikeOfficialHub(tokens, MASTER)), MASTER), cipher);
    expect(nested.kind).to.equal("unusable");
    expect(read(JSON.stringify({ cid: 5, payload: "x" }), cipher).kind).to.equal("unusable");
  });
});

describe("CIPHER_MASTER setting", () => {
  it("is the official hub's 64 hex characters, or the start stops naming it", () => {
    const base = { NODE_ENV: "test", INTEGRATION_SERVICE_SECRET: "s".repeat(32) };
    expect(loadConfig({ ...base, CIPHER_MASTER: MASTER.toUpperCase() }).cipherMaster!.toString("hex")).to.equal(MASTER);
    expect(loadConfig(base).cipherMaster).to.equal(undefined);
    expect(() => loadConfig({ ...base, CIPHER_MASTER: "abc" })).to.throw(ConfigError,
      /^CIPHER_MASTER must be the official hub's key .*64 hex characters \(32 bytes\); it has 3 characters\.$/);
    expect(() => loadConfig({ ...base, CIPHER_MASTER: "z".repeat(64) })).to.throw(ConfigError, /not only hex digits/);
  });
});
