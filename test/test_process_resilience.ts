// Process-level breaks, against real hub processes: a closed log pipe never turns the hub into
// a zombie, an uncaught exception ends the process, and any number of SIGTERM/SIGINT to any
// process of the hub drains instead of killing the delivery in flight.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { metricValue } from "./hardening/raw_http";
import { debugDelivery, eventually, HubProcess, listeningUrl, startHubProcess } from "./helpers/process";

const SECRET = "resilience-secret-0123456789";

function start(env: Record<string, string>): HubProcess {
  return startHubProcess([], { PORT: "0", INTEGRATION_SERVICE_SECRET: SECRET, BASE_URL: "https://hub.example.com",
    DEBUG_INTEGRATION: "true", WEB_CONCURRENCY: "1", ...env });
}

const delivery = (url: string, sleepMs: number) => debugDelivery(url, SECRET, sleepMs);

/** The exit code, or "still running" when the process has not exited within `ms`. */
function exitWithin(hub: HubProcess, ms: number): Promise<number | null | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const running = new Promise<"still running">((r) => { timer = setTimeout(() => r("still running"), ms); });
  return Promise.race([hub.exited, running]).finally(() => clearTimeout(timer));
}

function workerPids(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

describe("process resilience", function() {
  this.timeout(120_000);
  const hubs: HubProcess[] = [];
  afterEach(() => { for (const hub of hubs.splice(0)) { hub.child.kill("SIGKILL"); } });

  it("exits on SIGTERM after its log pipe closed, instead of spinning on EPIPE", async () => {
    const hub = start({ SHUTDOWN_GRACE_SECONDS: "5" });
    hubs.push(hub);
    const url = await listeningUrl(hub);
    // The reader of the hub's stdout goes away; the next lines meet a closed pipe.
    hub.child.stdout!.destroy();
    for (let i = 0; i < 5; i++) { await delivery(url, 0); }
    hub.child.kill("SIGTERM");
    expect(await exitWithin(hub, 30_000), "exit code").to.equal(0);
  });

  it("logs an uncaught exception and exits, rather than going on in an unknown state", async () => {
    const hub = start({ NODE_OPTIONS: `--require ${path.join(__dirname, "fixtures/process/throw_after_listen.js")}`,
      THROW_AFTER_MS: "500" });
    hubs.push(hub);
    expect(await exitWithin(hub, 60_000), "exit code").to.equal(1);
    const line = hub.stdout().split("\n").find((l) => l.includes("uncaught exception"));
    expect(line, hub.stdout().slice(-500)).to.not.equal(undefined);
    expect(JSON.parse(line!)).to.include({ level: "error", error: "Error" });
  });

  it("logs a process warning as one JSON line, not as text on stderr", async () => {
    const hub = start({ NODE_OPTIONS: `--require ${path.join(__dirname, "fixtures/process/warn_after_listen.js")}`,
      WARN_AFTER_MS: "300" });
    hubs.push(hub);
    await listeningUrl(hub);
    await eventually(() => hub.stdout().includes("process warning"), 30_000, "the warning logged");
    const line = hub.stdout().split("\n").find((l) => l.includes("process warning"))!;
    expect(JSON.parse(line)).to.include({ level: "warn", warning: "NodeVersionSupportWarning" });
    expect(JSON.parse(line).text).to.include("Upgrade to continue.");
    expect(hub.stderr()).to.not.include("Upgrade");
    for (const l of hub.stdout().split("\n").filter(Boolean)) { JSON.parse(l); }
  });

  for (const workers of ["1", "2"]) {
    it(`drains on any number of SIGTERM and SIGINT to every process (WEB_CONCURRENCY=${workers})`, async () => {
      const hub = start({ WEB_CONCURRENCY: workers, SHUTDOWN_GRACE_SECONDS: "30" });
      hubs.push(hub);
      const url = await listeningUrl(hub);
      await eventually(() => (hub.stdout().match(/"hub listening"/g) ?? []).length === Number(workers), 60_000,
        "every worker listening");
      const port = Number(new URL(url).port);
      const answer = delivery(url, 3000);
      await eventually(async () => await metricValue(port, "hub_deliveries_in_flight") === 1, 30_000,
        "the delivery in flight");
      const pids = [hub.child.pid!, ...(workers === "1" ? [] : workerPids(hub.child.pid!))];
      expect(pids).to.have.length(workers === "1" ? 1 : 3);
      // As a platform (every process) and a terminal (the group) would, several times over.
      for (const signal of ["SIGTERM", "SIGTERM", "SIGINT", "SIGTERM", "SIGINT"] as const) {
        // A worker with nothing in flight drains at once and is gone for the next round.
        for (const pid of pids) { try { process.kill(pid, signal); } catch { /* exited */ } }
        await new Promise((r) => setTimeout(r, 50));
      }
      const result = await answer;
      expect(result.status).to.equal(200);
      expect(JSON.parse(result.body).looker).to.include({ success: true, message: "received 6 bytes, 2 rows" });
      expect(await exitWithin(hub, 60_000), "exit code").to.equal(0);
    });
  }
});
