import { expect } from "chai";
import * as crypto from "crypto";
import * as jwt from "jsonwebtoken";
import { UserError } from "../../src/lib/errors";
import { normalisePrivateKey, serviceAccountToken } from "../../src/lib/google_service_account";
import { HttpReceiver } from "../fakes/http_receiver";
import { testHttpClient } from "../helpers/http";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe("google service account tokens", () => {
  let token: HttpReceiver;
  beforeEach(async () => { token = await new HttpReceiver().start(); });
  afterEach(() => token.stop());

  it("signs an RS256 JWT for the token URL in use and exchanges it", async () => {
    token.reply({ status: 200, body: JSON.stringify({ access_token: "ya29.x", expires_in: 3599 }) });
    const url = token.url("/token");
    const pasted = PEM.replace(/\n/g, "\\n");
    const got = await serviceAccountToken(testHttpClient(), url, {
      clientEmail: "hub@project.iam.gserviceaccount.com", privateKey: pasted, scopes: ["a", "b"],
    });
    expect(got.accessToken).to.equal("ya29.x");
    const form = new URLSearchParams(token.received[0].body.toString());
    expect(form.get("grant_type")).to.equal("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const claims = jwt.verify(form.get("assertion")!, publicKey, { algorithms: ["RS256"] }) as any;
    expect(claims).to.include({ iss: "hub@project.iam.gserviceaccount.com", scope: "a b", aud: url });
    expect(claims.exp - claims.iat).to.equal(3600);
  });

  it("says what is wrong with a key that is not PEM, without calling Google", async () => {
    const err = await serviceAccountToken(testHttpClient(), token.url("/token"), {
      clientEmail: "a@b.c", privateKey: "not a key", scopes: [],
    }).catch((e) => e);
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.match(/not a PEM private key/);
    expect(token.received).to.have.length(0);
  });

  it("turns Google's refusal into a sentence", async () => {
    token.reply({ status: 400, body: JSON.stringify({ error: "invalid_grant", error_description: "Invalid JWT Signature." }) });
    const err = await serviceAccountToken(testHttpClient(), token.url("/token"), {
      clientEmail: "a@b.c", privateKey: PEM, scopes: [],
    }).catch((e) => e);
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.match(/refused the service account's key \(invalid_grant: Invalid JWT Signature\.\)/);
  });

  it("normalises pasted keys", () => {
    expect(normalisePrivateKey("\"a\\nb\"")).to.equal("a\nb");
  });
});
