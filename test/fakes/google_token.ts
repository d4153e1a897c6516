// Google's token endpoint for a service account, as the Google API fakes play it (and the base
// they share): the signed
// assertion (RS256, issuer the account, audience the endpoint's own URL) checked against the
// test key's public half, an access token minted and remembered, Google's error otherwise.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as jwt from "jsonwebtoken";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/**
 * The test service account's key and the tokens minted for it, one set per test process and
 * shared by every Google API fake (Cloud Storage, BigQuery): the hub has one token URL
 * (GOOGLE_OAUTH_TOKEN_URL), so a token minted by one fake's endpoint must open the others.
 */
let shared: { keys: crypto.KeyPairKeyObjectResult; minted: Set<string> } | undefined;

export function sharedServiceAccount(): { keys: crypto.KeyPairKeyObjectResult; minted: Set<string> } {
  return shared ??= { keys: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }), minted: new Set() };
}

export interface TokenIssuer {
  publicKey: crypto.KeyObject;
  clientEmail: string;
  tokenUrl: string;
  /** Tokens minted so far (the API accepts only these). */
  minted: Set<string>;
  /** Every accepted assertion's claims. */
  assertions: unknown[];
}

/** Answers one POST to the token URL (the body already read). */
export function answerTokenRequest(issuer: TokenIssuer, body: string, res: http.ServerResponse): void {
  const form = new URLSearchParams(body);
  const reply = (status: number, answer: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  };
  try {
    const claims = jwt.verify(form.get("assertion") ?? "", issuer.publicKey, {
      algorithms: ["RS256"], audience: issuer.tokenUrl, issuer: issuer.clientEmail,
    });
    issuer.assertions.push(claims);
  } catch {
    return reply(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
  }
  const token = `ya29.${crypto.randomBytes(12).toString("hex")}`;
  issuer.minted.add(token);
  reply(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
}

/**
 * What every Google API fake shares: a server on 127.0.0.1, the shared service account with its
 * token endpoint at /token, a temporary directory for what it stores, a stop that ends every
 * connection. A subclass answers the API's own calls (`handle`).
 */
export abstract class GoogleApiFake {
  readonly server: http.Server;
  readonly dir: string;
  readonly keys = sharedServiceAccount().keys;
  readonly clientEmail = "looker-hub@test-project.iam.gserviceaccount.com";
  readonly projectId = "test-project";
  readonly minted = sharedServiceAccount().minted;
  /** Every accepted assertion's claims. */
  readonly assertions: unknown[] = [];
  private sockets = new Set<net.Socket>();

  constructor(dirPrefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    this.server = http.createServer((req, res) => { this.handle(req, res).catch(() => res.destroy()); });
    this.server.on("connection", (s) => { this.sockets.add(s); s.on("close", () => this.sockets.delete(s)); });
  }

  get privateKeyPem(): string { return this.keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(); }
  get url(): string { return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`; }
  get tokenUrl(): string { return `${this.url}/token`; }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) { s.destroy(); }
    await new Promise((resolve) => this.server.close(resolve));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Answers a POST to /token (its body already read). */
  protected answerToken(body: string, res: http.ServerResponse): void {
    answerTokenRequest({ publicKey: this.keys.publicKey, clientEmail: this.clientEmail, tokenUrl: this.tokenUrl,
      minted: this.minted, assertions: this.assertions }, body, res);
  }

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}
