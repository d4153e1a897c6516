// Every registered integration against a vendor that hangs, resets connections, answers 500,
// 429 (with and without Retry-After), garbage or an endless body: each form and execute that
// reaches the vendor fails with a clear message (execute: HTTP 200 and looker.success false;
// form: an `error`) within its timeouts, and meanwhile the hub answers other requests at once
// and its memory stays flat. Timeouts and retry delays are shortened through the environment,
// as an operator would set them.
import { expect } from "chai";
import { withoutRef } from "../helpers/execute";
import * as http from "http";
import { Config } from "../../src/config";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor, Mood } from "../fakes/any_vendor";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { eventually } from "../helpers/process";
import { narrowed, walked } from "../helpers/suite_wide";
import { buildCases, CaseAnswer, expectClearMessage, runCase, VendorCase } from "./broken_vendor_cases";
import { vendorEnv } from "./vendor_env";
import request from "supertest";

/**
 * An answer without its failure reference, which is each request's own, and with the millisecond
 * times in names a delivery makes (a SageMaker job is named `transform-job-<epoch ms>`) as one word.
 */
function words(body: any): any {
  const answer = withoutRef(body);
  if (answer?.looker) { delete answer.looker.ref; }
  if (typeof answer?.looker?.message === "string") {
    answer.looker.message = answer.looker.message.replace(/\b1\d{12}\b/g, "<epoch ms>");
  }
  return answer;
}

const SMTP_ONLY = new Set(["email"]);
const FAULTS: Mood[] = ["hang", "reset", "error", "rate_limited", "rate_limited_bare", "garbage", "endless"];
/** Faults whose status is 2xx: an integration that does not read the answer rightly reports success. */
const SUCCESS_STATUS_FAULTS = new Set<Mood>(["garbage", "endless"]);

const TIMING_ENV: Record<string, string> = {
  HTTP_CONNECT_TIMEOUT_SECONDS: "1",
  // Long enough that the probes below are answered while a hanging vendor still holds a request.
  HTTP_IDLE_TIMEOUT_SECONDS: "2",
  HTTP_TOTAL_TIMEOUT_SECONDS: "3",
  HTTP_MAX_ATTEMPTS: "2",
  HTTP_RETRY_BASE_DELAY_MS: "1",
  HTTP_RETRY_MAX_DELAY_MS: "5",
  LOG_LEVEL: "warn",
};

/**
 * Where the vendor breaks: at every request, or only at a later step of a delivery (the upload
 * address the healthy fake hands out, where Slack's file flow sends the bytes).
 */
const STEPS: Array<{ name: string; paths?: RegExp }> = [
  { name: "every request" },
  { name: "upload step", paths: /^\/upload/ },
];

/**
 * The longest a case may take: every attempt silent until the idle timeout, plus scheduling
 * slack. It tells a delivery that ends by the client's timeouts from one that never ends (which
 * would hold the case until the test's own timeout), so the slack is generous: 94 cases at once
 * on a loaded 2-core machine took up to 19 s with 4 s of timeouts.
 */
function boundMs(config: Config): number {
  return config.http.maxAttempts * config.http.idleTimeoutMs + 35_000;
}

/**
 * The heap growth allowed while every case meets the fault at once: 200 MB held for the 94 cases
 * of the registry when it was set, and the registry grows (139 cases in December 2026, when the
 * endless answers of all of them at once peaked at 110 to 220 MB on a loaded 2-core machine).
 */
function memoryBoundMb(cases: number): number {
  return Math.max(200, Math.ceil(cases * 200 / 94));
}

interface Tally {
  failedClearly: number;
  acceptedAnswer: number;
  noVendorCall: number;
  peakMb?: number;
}

describe("broken vendors: every integration fails clearly and the hub stays healthy", function() {
  this.timeout(90_000);
  let vendor: AnyVendor;
  let server: http.Server;
  let config: Config;
  let cases: VendorCase[];
  /** Paths each case asks of a healthy vendor; a case that asks none must answer as it did then. */
  const vendorPaths = new Map<VendorCase, string[]>();
  const healthyAnswers = new Map<VendorCase, CaseAnswer>();
  const tallies: Record<string, Tally> = {};

  before(async () => {
    vendor = await new AnyVendor().start();
    const env = { ...vendorEnv(vendor.url), ...TIMING_ENV };
    config = testConfig(env);
    const { app } = buildTestApp(allIntegrations(config), env);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    vendor.mood = "ok";
    cases = await buildCases(server, walked(allIntegrations(config)), vendor.url);
    for (const c of cases) {
      const before = vendor.paths.length;
      healthyAnswers.set(c, await runCase(server, c));
      vendorPaths.set(c, vendor.paths.slice(before));
    }
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    await vendor?.stop();
    const rows = Object.entries(tallies).map(([fault, t]) =>
      `  ${fault.padEnd(34)} failed clearly ${t.failedClearly}, accepted 2xx ${t.acceptedAnswer}, ` +
      `fault not met ${t.noVendorCall}; heap +${t.peakMb} MB`);
    // The figures docs/SECURITY.md cites.
    process.stdout.write(`      broken-vendor cases per fault:\n${rows.join("\n")}\n`);
  });

  it("covers every registered integration, and most cases reach the vendor", () => {
    const names = new Set(cases.map((c) => c.integration.name));
    expect([...names].sort()).to.deep.equal(walked(allIntegrations(config)).map((i) => i.name).sort());
    // The email integration speaks SMTP (its own suite breaks real SMTP servers), never this HTTP vendor.
    const httpCases = cases.filter((c) => !SMTP_ONLY.has(c.integration.name));
    const reaching = httpCases.filter((c) => vendorPaths.get(c)!.length > 0);
    expect(reaching.length).to.be.greaterThan(httpCases.length / 2);
    // Some existing integrations upload in a step of its own; one narrowed to new ones (SUITE_WIDE_ONLY) may not.
    const uploading = cases.filter((c) => vendorPaths.get(c)!.some((p) => STEPS[1].paths!.test(p)));
    if (!narrowed) { expect(uploading.length, "cases that reach the upload step").to.be.greaterThan(0); }
  });

  for (const step of STEPS) {
  for (const fault of FAULTS) {
    it(`vendor ${fault} at ${step.name}`, async () => {
      vendor.mood = fault;
      vendor.moodPaths = step.paths;
      const reachesFault = (c: VendorCase) => vendorPaths.get(c)!.some((p) => !step.paths || step.paths.test(p));
      const tally: Tally = { failedClearly: 0, acceptedAnswer: 0, noVendorCall: 0 };
      tallies[`${fault} at ${step.name}`] = tally;
      const running = cases;
      let pending = running.length;
      const memory = sampleMemory();
      const answers = Promise.all(running.map((c) => runCase(server, c).finally(() => { pending--; })));

      // While deliveries wait on the broken vendor, the hub answers others. For a hang, the probes
      // go once the vendor holds a request, and the vendor must still hold one when they are answered.
      if (fault === "hang") {
        await eventually(() => vendor.held > 0 || pending === 0, 30_000, "a request held by the vendor");
      } else {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      const status = await request(server).get("/status");
      const debug = await request(server).post("/actions/debug/execute").set("Authorization", authHeader())
        .send({ type: "query", form_params: {}, attachment: { mimetype: "text/csv", data: "a\n1\n" } });
      const stillHeld = vendor.held;

      const results = await answers;
      const peakGrowthMb = memory.stop();
      tally.peakMb = Math.round(peakGrowthMb);
      expect(status.status).to.equal(200);
      expect(debug.body.looker?.success, debug.text).to.equal(true);
      // The probes were answered while the deliveries still waited on the hanging vendor: an
      // outcome, not a timing threshold (those belong in npm run bench). Only a case that reaches
      // the step can be held there (a run narrowed by SUITE_WIDE_ONLY may have none that uploads).
      if (fault === "hang" && running.some(reachesFault)) {
        expect(stillHeld, "requests still held by the vendor during the probes").to.be.greaterThan(0);
      }
      // Every call reads at most its cap (Slack 8 MiB, the shared client 1 MiB, the AWS and Azure
      // SDKs 16 MiB), so the cases at once stay within a bound that grows with them; uncapped, one
      // Segment case alone passed 1 GB within 5 s.
      expect(peakGrowthMb, "memory growth (MB) while the vendor misbehaved").to.be.lessThan(memoryBoundMb(running.length));

      const bound = boundMs(config);
      running.forEach((c, i) => {
        const answer = results[i];
        expect(answer.ms, `${c.label} took ${answer.ms} ms`).to.be.lessThan(bound);
        if (!reachesFault(c)) {
          expect(words(answer.body), `${c.label} does not meet the fault`)
            .to.deep.equal(words(healthyAnswers.get(c)!.body));
          tally.noVendorCall++;
          return;
        }
        expect(answer.status, `${c.label}: ${JSON.stringify(answer.body)}`).to.equal(200);
        const succeeded = c.route === "execute" ? answer.body.looker?.success === true
          : answer.body.error === undefined;
        if (succeeded) {
          expect(SUCCESS_STATUS_FAULTS.has(fault), `${c.label} reported success: ${JSON.stringify(answer.body)}`)
            .to.equal(true);
          tally.acceptedAnswer++;
          return;
        }
        if (c.route === "execute") {
          expect(answer.body.looker.success, c.label).to.equal(false);
          expectClearMessage(answer.body.looker.message, c);
        } else {
          expectClearMessage(answer.body.error, c);
        }
        tally.failedClearly++;
      });
    });
  }
  }
});

/** Samples heap and buffer memory until stopped; answers the peak growth in MB. */
function sampleMemory(): { stop: () => number } {
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const start = used();
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, used()); }, 20);
  return { stop: () => { clearInterval(timer); peak = Math.max(peak, used()); return (peak - start) / 1024 / 1024; } };
}
