import { expect } from "chai";
import { BROWSER_SEAL_TTL_MS, Sealer, UnsealError } from "../../../src/hub/oauth/sealing";
import { readStoredState, storedStateFor } from "../../../src/hub/oauth/stored_state";

function refusal(run: () => unknown): string {
  try { run(); } catch (err) {
    expect(err).to.be.instanceOf(UnsealError);
    return (err as UnsealError).reason;
  }
  throw new Error("expected a refusal");
}

describe("sealed values", () => {
  let clock = 1_800_000_000_000;
  const sealer = new Sealer("hub-secret-0123456789", () => clock);

  it("round-trips a value for its purpose and integration, and hides it", () => {
    const sealed = sealer.seal("oauth-state", { to: "https://looker.example.com/state?token=abc" },
      { integration: "google_drive", ttlMs: BROWSER_SEAL_TTL_MS });
    expect(sealed).to.match(/^lis1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+$/);
    expect(sealed).to.not.include("looker");
    expect(Buffer.from(sealed.split(".")[2], "base64url").toString("latin1")).to.not.include("looker");
    expect(sealer.unseal("oauth-state", sealed, "google_drive")).to.deep.equal(
      { to: "https://looker.example.com/state?token=abc" });
  });

  it("is different every time (random IV)", () => {
    const a = sealer.seal("oauth-code", { code: "x" }, { integration: "dropbox" });
    const b = sealer.seal("oauth-code", { code: "x" }, { integration: "dropbox" });
    expect(a).to.not.equal(b);
  });

  it("refuses a tampered value", () => {
    const sealed = sealer.seal("oauth-state", { to: "u" }, { integration: "dropbox", ttlMs: 1000 });
    const body = Buffer.from(sealed.split(".")[2], "base64url");
    body[20] ^= 1;
    const tampered = `lis1.${sealed.split(".")[1]}.${body.toString("base64url")}`;
    expect(refusal(() => sealer.unseal("oauth-state", tampered, "dropbox"))).to.equal("tampered");
  });

  it("refuses a truncated or foreign value as malformed", () => {
    const sealed = sealer.seal("oauth-state", { to: "u" }, { integration: "dropbox", ttlMs: 1000 });
    expect(refusal(() => sealer.unseal("oauth-state", sealed.slice(0, 20), "dropbox"))).to.equal("malformed");
    expect(refusal(() => sealer.unseal("oauth-state", "", "dropbox"))).to.equal("malformed");
    expect(refusal(() => sealer.unseal("oauth-state", undefined, "dropbox"))).to.equal("malformed");
    expect(refusal(() => sealer.unseal("oauth-state", "{\"stateurl\":\"x\"}", "dropbox"))).to.equal("malformed");
  });

  it("refuses a value sealed for another purpose", () => {
    const stored = sealer.seal("stored-tokens", { accessToken: "t" }, { integration: "dropbox" });
    expect(refusal(() => sealer.unseal("oauth-state", stored, "dropbox"))).to.equal("tampered");
  });

  it("refuses a value of another integration, naming it", () => {
    const sealed = sealer.seal("oauth-state", { to: "u" }, { integration: "google_sheets", ttlMs: 1000 });
    try {
      sealer.unseal("oauth-state", sealed, "google_drive");
      throw new Error("expected a refusal");
    } catch (err) {
      expect((err as UnsealError).reason).to.equal("other_integration");
      expect((err as UnsealError).sealedFor).to.equal("google_sheets");
    }
  });

  it("refuses a value sealed under another secret", () => {
    const other = new Sealer("another-secret-987654321", () => clock);
    const sealed = other.seal("oauth-state", { to: "u" }, { integration: "dropbox", ttlMs: 1000 });
    expect(refusal(() => sealer.unseal("oauth-state", sealed, "dropbox"))).to.equal("other_secret");
  });

  it("expires browser values after 10 minutes; stored values do not expire", () => {
    const sealed = sealer.seal("oauth-state", { to: "u" }, { integration: "dropbox", ttlMs: BROWSER_SEAL_TTL_MS });
    const stored = sealer.seal("stored-tokens", { accessToken: "t" }, { integration: "dropbox" });
    clock += BROWSER_SEAL_TTL_MS - 1;
    expect(sealer.unseal("oauth-state", sealed, "dropbox")).to.deep.equal({ to: "u" });
    clock += 2;
    expect(refusal(() => sealer.unseal("oauth-state", sealed, "dropbox"))).to.equal("expired");
    clock += 365 * 24 * 3600 * 1000;
    expect(sealer.unseal("stored-tokens", stored, "dropbox")).to.deep.equal({ accessToken: "t" });
  });
});

describe("stored login state", () => {
  const sealer = new Sealer("hub-secret-0123456789");

  it("stores tokens sealed, as JSON, and reads them back", () => {
    const state = storedStateFor(sealer, "dropbox", { accessToken: "at-1", refreshToken: "rt-1", expiresAt: 5 });
    expect(state).to.not.include("at-1");
    expect(JSON.parse(state).sealed).to.match(/^lis1\./);
    expect(readStoredState(sealer, "dropbox", state, "Dropbox")).to.deep.equal(
      { kind: "tokens", legacy: false, tokens: { accessToken: "at-1", refreshToken: "rt-1", expiresAt: 5 } });
  });

  it("reads no state, null and reset as not logged in", () => {
    for (const raw of [undefined, "", "null", "reset", "\"reset\"", "{}"]) {
      expect(readStoredState(sealer, "dropbox", raw, "Dropbox").kind, String(raw)).to.equal("none");
    }
  });

  it("reads the official hub's unsealed Google shape {tokens, redirect}", () => {
    const raw = JSON.stringify({ tokens: { access_token: "ya29.a", refresh_token: "1//r", expiry_date: 1700000000000,
      token_type: "Bearer", scope: "https://www.googleapis.com/auth/drive" }, redirect: "https://old/oauth_redirect" });
    expect(readStoredState(sealer, "google_drive", raw, "Google")).to.deep.equal({ kind: "tokens", legacy: true,
      tokens: { accessToken: "ya29.a", refreshToken: "1//r", expiresAt: 1700000000000 } });
  });

  it("reads the official hub's {access_token} and Dropbox's {code, redirect}", () => {
    expect(readStoredState(sealer, "dropbox", "{\"access_token\":\"sl.abc\"}", "Dropbox")).to.deep.equal(
      { kind: "tokens", legacy: true,
        tokens: { accessToken: "sl.abc", refreshToken: undefined, expiresAt: undefined } });
    expect(readStoredState(sealer, "dropbox", "{\"code\":\"c1\",\"redirect\":\"https://old/r\"}", "Dropbox"))
      .to.deep.equal({ kind: "code", code: "c1", redirectUri: "https://old/r" });
  });

  it("says why a state cannot be used", () => {
    const other = new Sealer("another-secret-987654321");
    const cases: Array<[string, RegExp]> = [
      ["{\"cid\":\"abc\",\"payload\":\"1xyz\"}", /encrypted by the previous Action Hub/],
      ["not json", /could not be read/],
      ["[1,2]", /could not be read/],
      [storedStateFor(other, "dropbox", { accessToken: "x" }), /secret changed/],
      [storedStateFor(sealer, "google_drive", { accessToken: "x" }), /another integration/],
    ];
    for (const [raw, why] of cases) {
      const state = readStoredState(sealer, "dropbox", raw, "Dropbox");
      expect(state.kind, raw).to.equal("unusable");
      expect((state as { why: string }).why, raw).to.match(why);
    }
  });
});
