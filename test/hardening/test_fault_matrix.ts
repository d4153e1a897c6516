// Every integration that takes a typed address, against every network fault on loopback: for each
// URL-like param or form field (found from the registry and the forms: test/helpers/typed_addresses.ts)
// and each fault (refused, reset, a self-signed, expired or misnamed certificate, https to a
// plain-http port, plain http to a TLS port, a server that trickles), an execute answers HTTP 200,
// success false, no "internal error", and names the cause. The hub runs as a process trusting the
// test authority (NODE_EXTRA_CA_CERTS, as docs/operations.md tells an admin), so the expired and
// misnamed certificates are refused for what they are, not for their issuer. SSH has no
// certificates: the SFTP address meets the other faults, with an SSH-less port for the protocol ones.
import { expect } from "chai";
import * as net from "net";
import * as path from "path";
import { Integration } from "../../src/hub/integration";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor } from "../fakes/any_vendor";
import { closedPort } from "../fakes/closed_port";
import { startPostgresTls } from "../fakes/postgres_tls";
import { SmtpTestServer } from "../fakes/smtp_server";
import { startPlainServerForHttps, startTlsServer, TLS_FIXTURES, TlsServer } from "../fakes/tls_servers";
import { TricklingHttp, TricklingTcp } from "../fakes/trickle_servers";
import { TEST_SECRET, testConfig } from "../helpers/app";
import { HubProcess, listeningUrl, postOn, startHubProcess } from "../helpers/process";
import { everyVendorEnv } from "../helpers/suite_settings";
import { walked, walks } from "../helpers/suite_wide";
import { addressTargets, AddressTarget, executeBody } from "../helpers/typed_addresses";

// The suites' own secret: the per-user logins (oauth_states.ts) are sealed with it.
const SECRET = TEST_SECRET;

type Scheme = "http" | "smtp" | "sftp" | "postgres";
type Fault = "refused" | "reset" | "self_signed" | "expired" | "other_name" | "https_to_plain" | "plain_to_tls"
  | "trickle";

/** What each fault's message must name. */
const CAUSES: Record<Fault, RegExp> = {
  refused: /refused/i,
  reset: /closed|cut/i,
  self_signed: /self-signed/,
  expired: /has expired/,
  other_name: /for another name/,
  https_to_plain: /does not speak (https|TLS) on that port|before the SSH handshake|does not offer TLS/,
  plain_to_tls: /must start with (https|smtps):\/\/|may not speak SSH on that port|sslmode must ask for TLS/,
  trickle: /took longer than allowed|did not finish|did not answer/,
};
const FAULTS = Object.keys(CAUSES) as Fault[];
/** SSH has no certificates (its host key is checked against the admin's fingerprint: test_sftp.ts). */
const NOT_FOR: Partial<Record<Scheme, Fault[]>> = { sftp: ["self_signed", "expired", "other_name"] };

/** The scheme a target takes, from its working value and what it says it takes; undefined: a bare host. */
function schemeOf(target: AddressTarget): Scheme | undefined {
  if (/host$/i.test(target.name)) { return undefined; }
  const said = `${target.working} ${target.description}`;
  if (/smtps?:\/\//.test(said)) { return "smtp"; }
  if (/sftp:\/\//.test(said)) { return "sftp"; }
  if (/postgres(ql)?:\/\//.test(said)) { return "postgres"; }
  return /^https?:\/\//.test(target.working) ? "http" : undefined;
}

interface Ports { [name: string]: number }

/** The value typed for `fault`: the working value's shape, pointed at the fault's server. */
function faultValue(target: AddressTarget, scheme: Scheme, fault: Fault, ports: Ports): string {
  const pathOf = (() => { try { return new URL(target.working).pathname.replace(/^\/$/, ""); } catch { return ""; } })();
  const at = (port: number) => `127.0.0.1:${port}`;
  if (scheme === "sftp") {
    const port = { refused: ports.closed, reset: ports.reset, https_to_plain: ports.plainHttp,
      plain_to_tls: ports.tls, trickle: ports.sshBanner }[fault as string]!;
    return `sftp://${at(port)}/upload/`;
  }
  if (scheme === "postgres") {
    // TLS in PostgreSQL's own way (an SSLRequest first): the certificate faults at servers that speak it.
    const pg = (port: number, mode = "verify-full") => `postgres://u:p@${at(port)}/db?sslmode=${mode}`;
    switch (fault) {
      case "refused": return pg(ports.closed);
      case "reset": return pg(ports.reset);
      case "https_to_plain": return pg(ports.pgNoTls);
      case "plain_to_tls": return pg(ports.tls, "disable");
      case "trickle": return pg(ports.smtpGreeting, "disable");
      default: return pg(ports[`pg_${fault}`]);
    }
  }
  if (scheme === "smtp") {
    const tls = (port: number) => `smtps://u:p@${at(port)}`;
    switch (fault) {
      case "refused": return tls(ports.closed);
      case "reset": return tls(ports.reset);
      case "https_to_plain": return tls(ports.plainSmtp);
      case "plain_to_tls": return `smtp://u:p@${at(ports.tls)}`;
      case "trickle": return `smtp://u:p@${at(ports.smtpGreeting)}?starttls=off`;
      default: return tls(ports[fault]);
    }
  }
  switch (fault) {
    case "refused": return `https://${at(ports.closed)}${pathOf}`;
    case "reset": return `https://${at(ports.reset)}${pathOf}`;
    case "https_to_plain": return `https://${at(ports.plainHttp)}${pathOf}`;
    case "plain_to_tls": return `http://${at(ports.tls)}${pathOf}`;
    case "trickle": return `http://${at(ports.trickleHttp)}${pathOf}`;
    default: return `https://${at(ports[fault])}${pathOf}`;
  }
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) { await work(items[next++]); }
  }));
}

interface Outcome { label: string; fault: Fault; ms: number; problem?: string; }

describe("fault matrix: every typed address against every network fault", function () {
  this.timeout(180_000);
  const stops: Array<() => Promise<void> | void> = [];
  let hub: HubProcess;
  let hubUrl: string;
  let vendor: AnyVendor;
  let targets: AddressTarget[];
  const ports: Ports = {};
  const outcomes: Outcome[] = [];

  before(async () => {
    vendor = await new AnyVendor().start();
    stops.push(() => vendor.stop());
    ports.closed = await closedPort();
    const reset = net.createServer((socket) => { socket.on("error", () => undefined); socket.resetAndDestroy(); });
    ports.reset = await listen(reset);
    stops.push(() => { reset.close(); });
    const tls: Record<string, () => Promise<TlsServer>> = {
      self_signed: () => startTlsServer("self_signed"), expired: () => startTlsServer("expired"),
      other_name: () => startTlsServer("other_name"), tls: () => startTlsServer("private_ca"),
      plainHttp: startPlainServerForHttps,
    };
    for (const [name, start] of Object.entries(tls)) {
      const server = await start();
      ports[name] = Number(new URL(server.url).port);
      stops.push(() => server.close());
    }
    for (const fault of ["self_signed", "expired", "other_name", "no_tls"] as const) {
      const server = await startPostgresTls(fault);
      ports[fault === "no_tls" ? "pgNoTls" : `pg_${fault}`] = server.port;
      stops.push(() => server.close());
    }
    const plainSmtp = await new SmtpTestServer({ authOptional: true }).start();
    ports.plainSmtp = Number(plainSmtp.address.split(":")[1]);
    stops.push(() => plainSmtp.stop());
    const trickleHttp = await new TricklingHttp().start();
    const smtpGreeting = await new TricklingTcp("220-trickling.example.test\r\n").start();
    const sshBanner = await new TricklingTcp("SSH-2.0-").start();
    ports.trickleHttp = Number(new URL(trickleHttp.url).port);
    ports.smtpGreeting = smtpGreeting.port;
    ports.sshBanner = sshBanner.port;
    stops.push(() => trickleHttp.stop(), () => smtpGreeting.stop(), () => sshBanner.stop());

    const env = {
      DEBUG_INTEGRATION: "true", ...everyVendorEnv(vendor.url), ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true",
      HTTP_MAX_ATTEMPTS: "1", HTTP_CONNECT_TIMEOUT_SECONDS: "1", HTTP_TOTAL_TIMEOUT_SECONDS: "2",
      HTTP_IDLE_TIMEOUT_SECONDS: "30", SMTP_TIMEOUT_SECONDS: "1",
    };
    hub = startHubProcess([], { ...env, PORT: "0", INTEGRATION_SERVICE_SECRET: SECRET,
      BASE_URL: "https://hub.example.com", WEB_CONCURRENCY: "1", LOG_LEVEL: "info",
      NODE_EXTRA_CA_CERTS: path.join(TLS_FIXTURES, "ca.crt") });
    stops.push(() => { hub.child.kill("SIGKILL"); });
    hubUrl = await listeningUrl(hub);
    const integrations = walked(allIntegrations(testConfig(env)).filter((i) => i.listed));
    const askForm = async (integration: Integration, body: Record<string, unknown>) => {
      const answer = await postOn(hubUrl, SECRET, `/actions/${integration.name}/form`, body);
      try { return JSON.parse(answer.body); } catch { return undefined; }
    };
    targets = await addressTargets(integrations, vendor.url, askForm);
  });

  after(async () => {
    for (const stop of stops.reverse()) { await stop(); }
    // The figures docs/SECURITY.md cites.
    const failed = outcomes.filter((o) => !o.problem).length;
    process.stdout.write(`      fault matrix: ${outcomes.length} cases (${new Set(outcomes.map((o) => o.label)).size} ` +
      `typed addresses x ${FAULTS.length} faults), ${failed} failed clearly, slowest ` +
      `${Math.max(0, ...outcomes.map((o) => o.ms))} ms\n        ${[...new Set(outcomes.map((o) => o.label))].sort().join(", ")}\n`);
  });

  it("finds the typed addresses of the webhook family, tickets, storage, mail and CRMs", () => {
    const labels = targets.filter((t) => t.dialled && schemeOf(t)).map((t) => t.label);
    const expected = ["webhook field url", "zapier field url", "tray field url",
      "teams_incomingwebhook field webhookUrl", "google_chat field url", "jira_create_issue param address",
      "amazon_s3 param endpoint", "email param smtp_url", "sftp field address", "marketo param url",
      "braze param braze_api_endpoint", "salesforce_campaigns param salesforce_domain"];
    // Each label starts with its integration's name; a run narrowed by SUITE_WIDE_ONLY looks for its own.
    for (const label of expected.filter((l) => walks(l.split(" ")[0]))) {
      expect(labels, label).to.include(label);
    }
  });

  it("each fails clearly and names the cause: HTTP 200, success false, no internal error", async () => {
    const cases: Array<{ target: AddressTarget; scheme: Scheme; fault: Fault }> = [];
    for (const target of targets.filter((t) => t.dialled)) {
      // A bare host (SageMaker's smtpHost) is mailed by the training's follower after the answer.
      const scheme = schemeOf(target);
      if (!scheme) { continue; }
      for (const fault of FAULTS.filter((f) => !NOT_FOR[scheme]?.includes(f))) {
        cases.push({ target, scheme, fault });
      }
    }
    await pool(cases, 8, async ({ target, scheme, fault }) => {
      const value = faultValue(target, scheme, fault, ports);
      const started = Date.now();
      const answer = await postOn(hubUrl, SECRET, `/actions/${target.integration.name}/execute`,
        executeBody(target, value)).catch((err: Error) => ({ status: 0, body: `no answer: ${err.message}` }));
      const outcome: Outcome = { label: target.label, fault, ms: Date.now() - started };
      outcomes.push(outcome);
      let looker: { success?: unknown; message?: unknown } | undefined;
      try { looker = JSON.parse(answer.body).looker; } catch { /* judged below */ }
      const message = String(looker?.message ?? "");
      if (answer.status !== 200) {
        outcome.problem = `HTTP ${answer.status}: ${answer.body.slice(0, 300)}`;
      } else if (looker?.success !== false) {
        outcome.problem = `success ${String(looker?.success)}: ${answer.body.slice(0, 300)}`;
      } else if (/internal error/i.test(message)) {
        outcome.problem = `internal error: ${message}`;
      } else if (!CAUSES[fault].test(message)) {
        outcome.problem = `the cause is not named: ${message}`;
      }
    });
    const problems = outcomes.filter((o) => o.problem).map((o) => `${o.label} / ${o.fault}: ${o.problem}`);
    expect(problems, problems.join("\n")).to.deep.equal([]);
    expect(outcomes.length, "cases answered").to.equal(cases.length);
    expect(hub.child.exitCode, `the hub process stayed up\n${hub.stderr().slice(-3000)}`).to.equal(null);
  });
});
