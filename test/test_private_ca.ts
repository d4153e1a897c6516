// Trusting a private certificate authority, as docs/operations.md tells an admin to: a hub
// process started with NODE_EXTRA_CA_CERTS naming the authority's certificate delivers to a
// server whose certificate that authority signed, and still refuses, in words, an expired
// certificate and one for another name; without the setting, the same server is refused.
import { expect } from "chai";
import * as path from "path";
import { startTlsServer, TLS_FIXTURES, TlsServer } from "./fakes/tls_servers";
import { executeOn, HubProcess, listeningUrl, startHubProcess } from "./helpers/process";

const SECRET = "private-ca-secret-0123456789abcdef";

function webhookTo(url: string) {
  return { type: "query", form_params: { url: `${url}/hook` },
    attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } };
}

describe("a private certificate authority (NODE_EXTRA_CA_CERTS)", function () {
  this.timeout(120_000);
  const hubs: HubProcess[] = [];
  const servers: TlsServer[] = [];
  after(async () => {
    for (const hub of hubs) { hub.child.kill("SIGKILL"); }
    for (const server of servers) { await server.close(); }
  });

  async function startHub(env: Record<string, string>): Promise<string> {
    const started = startHubProcess([], { PORT: "0", INTEGRATION_SERVICE_SECRET: SECRET, NODE_ENV: "production",
      BASE_URL: "https://hub.example.com", WEB_CONCURRENCY: "1", ALLOW_PRIVATE_URLS: "true", HTTP_MAX_ATTEMPTS: "1",
      ...env });
    hubs.push(started);
    return listeningUrl(started);
  }

  async function deliver(hubUrl: string, to: string): Promise<{ success: boolean; message?: string }> {
    const answer = await executeOn(hubUrl, SECRET, "webhook", webhookTo(to));
    expect(answer.status).to.equal(200);
    return JSON.parse(answer.body).looker;
  }

  it("is trusted once named, and a certificate it signed is not enough when expired or for another name", async () => {
    const sound = await startTlsServer("private_ca");
    const expired = await startTlsServer("expired");
    const otherName = await startTlsServer("other_name");
    servers.push(sound, expired, otherName);
    const [trusting, plain] = await Promise.all([
      startHub({ NODE_EXTRA_CA_CERTS: path.join(TLS_FIXTURES, "ca.crt") }), startHub({})]);

    expect(await deliver(trusting, sound.url)).to.include({ success: true });
    expect(sound.requests()).to.equal(1);

    const untrusted = await deliver(plain, sound.url);
    expect(untrusted.success).to.equal(false);
    expect(untrusted.message).to.match(/signed by a certificate authority the hub does not trust/);

    const old = await deliver(trusting, expired.url);
    expect(old.success).to.equal(false);
    expect(old.message).to.match(/its certificate has expired\. Whoever runs the server must renew/);

    const misnamed = await deliver(trusting, otherName.url);
    expect(misnamed.success).to.equal(false);
    expect(misnamed.message).to.match(/its certificate is for another name/);
    expect(expired.requests() + otherName.requests()).to.equal(0);
  });
});
